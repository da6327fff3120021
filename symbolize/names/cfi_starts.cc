#include "symbolize/names/cfi_starts.h"

#include "symbolize/elf/elf_sections.h"
#include "symbolize/index/symbol_index.h"

namespace hprof {

// The FDEs walked once.  A file linked with an .eh_frame_hdr has in
// .eh_frame an FDE for all the code the unwinder may meet; without that
// table, .debug_frame is read too, the file's and its debug file's.
const FdeExtents& CfiStarts::extents() {
  if (!extents_) {
    extents_ = std::make_unique<FdeExtents>();
    Elf* elf = module_->elf();
    GElf_Shdr shdr;
    if (section_named(elf, ".eh_frame_hdr", &shdr) != nullptr) {
      extents_->add_sections(elf, false);
    } else {
      extents_->add_sections(elf);
      extents_->add_sections(dwarf_->debug_elf());
    }
    extents_->finish();
  }
  return *extents_;
}

Naming CfiStarts::at(uint64_t file_vaddr) { return Naming::of_start(extents().start_of(file_vaddr)); }

void CfiStarts::save(IndexContents&, IndexPart& part) { part.extents = extents().extents(); }

}  // namespace hprof
