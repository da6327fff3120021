#include "symbolize/dwarf/dwarf_file.h"

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include <utility>

#include "common/activity.h"
#include "symbolize/elf/elf_sections.h"
#include "symbolize/elf/load_segments.h"

namespace hprof {

DwarfFile::DwarfFile(ElfModule& module, std::optional<uint64_t> first_vaddr)
    : module_(&module), first_vaddr_(first_vaddr) {}

DwarfFile::~DwarfFile() = default;

std::vector<uint64_t> DwarfFile::take_announced() {
  std::vector<uint64_t> addresses = std::move(announced_);
  announced_.clear();
  return addresses;
}

// Where libdwfl would read the DWARF, opened as an InflatedDwarf when its
// debug sections are zlib-compressed: the file itself when it has
// .debug_info, else the separate debug file, when its addresses are the
// file's.  The debug file is the one libdwfl found while looking for a
// symbol table (it looks when the file has no .symtab), else the one the
// same search (find_debuginfo, which checks the build-id or the debuglink's
// CRC) finds now.  Null otherwise: then libdwfl reads the DWARF.
InflatedDwarf* DwarfFile::inflated(const InflatedDwarf::WhileStreaming& while_streaming) {
  if (inflated_looked_for_) return inflated_.get();
  inflated_looked_for_ = true;
  const Activity reading("reading the debug info of " + module_->display_name());
  // Only the units of the announced addresses, unless none were announced.
  const std::vector<uint64_t>* addresses = announced_.empty() ? nullptr : &announced_;
  InflatedDwarf::Resume resume;
  if (addresses != nullptr && resume_path_) resume_file_ = resume_path_();
  if (!resume_file_.empty()) {
    resume_points_ = ResumePoints::read(resume_file_);
    resume.read = resume_points_ ? &*resume_points_ : nullptr;
    resume.record = true;
  }
  Dwfl_Module* module = module_->module();
  // libdwfl's own search first: its symbol table may be the debug file's.
  dwfl_module_getsymtab(module);
  GElf_Addr bias = 0;
  Elf* elf = dwfl_module_getelf(module, &bias);
  if (elf == nullptr || bias != 0) return nullptr;
  GElf_Shdr shdr;
  if (section_named(elf, ".debug_info", &shdr) != nullptr) {
    inflated_ = InflatedDwarf::open(module_->path(), -1, addresses, while_streaming, resume);
    return inflated_.get();
  }
  if (const char* debug_file = module_->libdwfl_debug_file()) {
    inflated_ = InflatedDwarf::open(debug_file, -1, addresses, while_streaming, resume);
  } else if (const std::string& debug_path = module_->debug_file_path(); !debug_path.empty()) {
    inflated_ = InflatedDwarf::open(debug_path, -1, addresses, while_streaming, resume);
  }
  if (!inflated_) return nullptr;
  if (first_load_vaddr(inflated_->file_elf()) != first_vaddr_) {
    inflated_.reset();
    return nullptr;
  }
  inflated_is_separate_ = true;
  return inflated_.get();
}

void DwarfFile::save_resume_points() {
  const PartialDebugInfo* partial = inflated_ ? inflated_->partial() : nullptr;
  if (partial != nullptr && partial->recorded() != nullptr && !resume_file_.empty()) {
    partial->recorded()->write(resume_file_);
  }
}

bool DwarfFile::has_dwarf() {
  Dwarf_Addr bias = 0;
  return inflated() != nullptr || dwfl_module_getdwarf(module_->module(), &bias) != nullptr;
}

Elf* DwarfFile::debug_elf() {
  if (InflatedDwarf* opened = inflated()) return inflated_is_separate_ ? opened->file_elf() : nullptr;
  Dwarf_Addr bias = 0;
  Dwarf* dwarf = dwfl_module_getdwarf(module_->module(), &bias);
  if (dwarf == nullptr) return nullptr;
  Elf* elf = dwarf_getelf(dwarf);
  return elf == module_->elf() ? nullptr : elf;
}

InlineResolver& DwarfFile::inlines() {
  if (!inlines_) {
    InflatedDwarf* opened = inflated();
    inlines_ = opened != nullptr ? std::make_unique<InlineResolver>(opened->dwarf())
                                 : std::make_unique<InlineResolver>(module_->module());
  }
  return *inlines_;
}

bool DwarfFile::readable_at(uint64_t file_vaddr) {
  return inflated_ == nullptr || inflated_->keep_units_at({&file_vaddr, 1});
}

}  // namespace hprof
