#include "common/paths.h"
#include "common/diagnostics.h"
#include "symbolize/object_file.h"

#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <elfutils/libdwfl.h>
#include <fmt/format.h>
#include <gelf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "symbolize/dwarf_frames.h"
#include "symbolize/elf_sections.h"
#include "symbolize/elf_truncation.h"
#include "symbolize/index_eviction.h"
#include "symbolize/inflated_dwarf.h"
#include "symbolize/simplify_name.h"

namespace hprof {
namespace {

// Debug files are searched under the user's --debug-dir directories, then
// like gdb: next to the file, in .debug/, and under /usr/lib/debug (by
// build-id and by .gnu_debuglink); never through debuginfod (symbolize/debug_search.h).
const Dwfl_Callbacks kCallbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = find_debuginfo,
    .section_address = dwfl_offline_section_address,
    .debuginfo_path = nullptr,
};

}  // namespace

ObjectFile::ObjectFile(const std::string& path, DebugSearch search, std::string index_dir)
    : path_(path),
      display_name_(basename_of(path)),
      search_(std::make_unique<DebugSearch>(std::move(search))),
      index_state_(index_dir.empty() ? IndexState::kOff : IndexState::kUnchecked),
      index_dir_(std::move(index_dir)) {
  struct stat st{};
  if (stat(path.c_str(), &st) != 0) throw std::runtime_error(std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw std::runtime_error("is a directory");
  if (!S_ISREG(st.st_mode)) throw std::runtime_error("not a regular file");

  dwfl_ = dwfl_begin(&kCallbacks);
  if (dwfl_ == nullptr) throw std::runtime_error(dwfl_errmsg(-1));
  // Reported at base 0: module addresses are the file's own link-time
  // addresses, so one ObjectFile serves every process that mapped it.
  module_ = dwfl_report_elf(dwfl_, display_name_.c_str(), path.c_str(), -1, 0, true);
  // A file cut short may still open, with its tables, symbols and DWARF
  // gone: refused whole, with why, instead of frames unnamed without a word.
  GElf_Addr main_bias = 0;
  std::optional<std::string> cut = elf_truncation(path, static_cast<uint64_t>(st.st_size),
                                                  module_ != nullptr ? dwfl_module_getelf(module_, &main_bias) : nullptr);
  if (module_ == nullptr || cut) {
    std::string reason = cut ? *cut : dwfl_errmsg(-1);
    dwfl_end(dwfl_);
    throw std::runtime_error(reason);
  }
  dwfl_report_end(dwfl_, nullptr, nullptr);
  void** userdata = nullptr;
  dwfl_module_info(module_, &userdata, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
  if (userdata != nullptr) *userdata = search_.get();

  GElf_Addr bias = 0;
  Elf* elf = dwfl_module_getelf(module_, &bias);
  size_t count = 0;
  if (elf != nullptr && elf_getphdrnum(elf, &count) == 0) {
    for (size_t i = 0; i < count; ++i) {
      GElf_Phdr phdr;
      if (gelf_getphdr(elf, static_cast<int>(i), &phdr) != nullptr && phdr.p_type == PT_LOAD) {
        loads_.push_back({phdr.p_offset, phdr.p_vaddr, phdr.p_filesz});
      }
    }
  }
}

ObjectFile::~ObjectFile() { dwfl_end(dwfl_); }

std::optional<uint64_t> ObjectFile::bias_for_mapping(uint64_t start, uint64_t offset) const {
  auto bias_of = [&](const Segment& seg) { return start - offset + seg.offset - seg.vaddr; };
  for (const Segment& seg : loads_) {
    if (offset >= seg.offset && offset < seg.offset + seg.filesz) return bias_of(seg);
  }
  // The kernel maps whole pages: a mapping's offset may be the segment's
  // offset rounded down to a page.
  for (const Segment& seg : loads_) {
    if (offset < seg.offset && seg.offset - offset < 0x10000 && seg.filesz > 0) return bias_of(seg);
  }
  return std::nullopt;
}

std::optional<uint64_t> ObjectFile::segment_mapping_size(uint64_t offset, uint64_t page_size) const {
  const Segment* holder = nullptr;
  for (const Segment& seg : loads_) {
    uint64_t first_page = seg.offset & ~(page_size - 1);
    if (seg.filesz > 0 && offset >= first_page && offset < seg.offset + seg.filesz) {
      holder = &seg;
      break;
    }
  }
  if (holder == nullptr) return std::nullopt;
  uint64_t end = (holder->offset + holder->filesz + page_size - 1) & ~(page_size - 1);
  return end - (holder->offset & ~(page_size - 1));
}

bool ObjectFile::matches_mapping(uint64_t offset, uint64_t size) const {
  for (uint64_t page_size : {uint64_t{4096}, uint64_t{16384}, uint64_t{65536}}) {
    const uint64_t mask = page_size - 1;
    for (const Segment& seg : loads_) {
      if (seg.filesz == 0 || (seg.offset & ~mask) != offset) continue;
      if (((seg.offset + seg.filesz + mask) & ~mask) - offset == size) return true;
    }
  }
  return false;
}

std::string ObjectFile::build_id() const { return module_build_id(module_).value_or(""); }

namespace {

// The link-time address of the first PT_LOAD segment (libdwfl's address
// sync between a file and its debug file); nullopt when there is none.
std::optional<uint64_t> first_load_vaddr(Elf* elf) {
  size_t count = 0;
  if (elf == nullptr || elf_getphdrnum(elf, &count) != 0) return std::nullopt;
  for (size_t i = 0; i < count; ++i) {
    GElf_Phdr phdr;
    if (gelf_getphdr(elf, static_cast<int>(i), &phdr) != nullptr && phdr.p_type == PT_LOAD) return phdr.p_vaddr;
  }
  return std::nullopt;
}

}  // namespace

// Where libdwfl would read the DWARF, opened as an InflatedDwarf when its
// debug sections are zlib-compressed: the file itself when it has
// .debug_info, else the separate debug file, when its addresses are the
// file's.  The debug file is the one libdwfl found while looking for a
// symbol table (it looks when the file has no .symtab), else the one the
// same search (find_debuginfo, which checks the build-id or the debuglink's
// CRC) finds now.  Null otherwise: then libdwfl reads the DWARF.
InflatedDwarf* ObjectFile::inflated_dwarf() {
  if (inflated_looked_for_) return inflated_.get();
  inflated_looked_for_ = true;
  if (index_state_ == IndexState::kUnchecked) open_index();
  // Only the units of the expected addresses, unless none were announced or
  // an index is to be written, which needs every unit.
  const std::vector<uint64_t>* addresses =
      index_state_ == IndexState::kWanted || expected_.empty() ? nullptr : &expected_;
  // libdwfl's own search first: its symbol table may be the debug file's.
  dwfl_module_getsymtab(module_);
  GElf_Addr bias = 0;
  Elf* elf = dwfl_module_getelf(module_, &bias);
  if (elf == nullptr || bias != 0) return nullptr;
  GElf_Shdr shdr;
  if (section_named(elf, ".debug_info", &shdr) != nullptr) {
    inflated_ = InflatedDwarf::open(path_, -1, addresses);
    return inflated_.get();
  }
  const char* main_file = nullptr;
  const char* debug_file = nullptr;
  dwfl_module_info(module_, nullptr, nullptr, nullptr, nullptr, nullptr, &main_file, &debug_file);
  if (debug_file != nullptr && (main_file == nullptr || std::strcmp(debug_file, main_file) != 0)) {
    inflated_ = InflatedDwarf::open(debug_file, -1, addresses);
  } else if (const std::string& debug_path = debug_file_path(); !debug_path.empty()) {
    inflated_ = InflatedDwarf::open(debug_path, -1, addresses);
  }
  if (!inflated_) return nullptr;
  const std::optional<uint64_t> own_first_load =
      loads_.empty() ? std::nullopt : std::optional<uint64_t>(loads_.front().vaddr);
  if (first_load_vaddr(inflated_->file_elf()) != own_first_load) {
    inflated_.reset();
    return nullptr;
  }
  inflated_is_separate_ = true;
  return inflated_.get();
}

namespace {

bool names_code(const GElf_Sym& sym) {
  int type = GELF_ST_TYPE(sym.st_info);
  return sym.st_shndx != SHN_UNDEF && sym.st_size > 0 &&
         (type == STT_FUNC || type == STT_GNU_IFUNC || type == STT_NOTYPE);
}

}  // namespace

void ObjectFile::load_file_symbols() {
  if (file_symbols_loaded_) return;
  file_symbols_loaded_ = true;
  GElf_Addr bias = 0;
  Elf* elf = dwfl_module_getelf(module_, &bias);
  if (elf == nullptr) return;
  GElf_Shdr table_header{};
  Elf_Scn* table = section_of_type(elf, SHT_SYMTAB, &table_header);
  if (table == nullptr) table = section_of_type(elf, SHT_DYNSYM, &table_header);
  if (table == nullptr || table_header.sh_entsize == 0) return;
  own_table_ = table_header.sh_type == SHT_SYMTAB ? ".symtab" : ".dynsym";
  Elf_Data* data = elf_getdata(table, nullptr);
  if (data == nullptr) return;
  size_t count = table_header.sh_size / table_header.sh_entsize;
  for (size_t i = 1; i < count; ++i) {
    GElf_Sym sym;
    if (gelf_getsym(data, static_cast<int>(i), &sym) == nullptr || !names_code(sym)) continue;
    const char* name = elf_strptr(elf, table_header.sh_link, sym.st_name);
    if (name == nullptr || *name == '\0') continue;
    file_symbols_.add({sym.st_value, sym.st_size, name});
  }
  file_symbols_.finish();
}

void ObjectFile::load_debug_symbols() {
  if (debug_symbols_loaded_) return;
  debug_symbols_loaded_ = true;
  // With a .symtab of its own, libdwfl's table is that one (it looks in a
  // debug file only for a file without): file_symbols_ already has it all.
  load_file_symbols();
  if (own_table_ == ".symtab") return;
  int count = dwfl_module_getsymtab(module_);
  // Locals first, so that where a local alias and a global symbol share an
  // address (glibc's __GI___clone3 and __clone3) the global one is kept.
  for (bool globals : {false, true}) {
    for (int i = 1; i < count; ++i) {
      GElf_Sym sym;
      GElf_Addr addr = 0;
      GElf_Word shndx = 0;
      const char* name = dwfl_module_getsym_info(module_, i, &sym, &addr, &shndx, nullptr, nullptr);
      sym.st_shndx = shndx == SHN_UNDEF ? SHN_UNDEF : 1;
      if (name == nullptr || *name == '\0' || !names_code(sym)) continue;
      if ((GELF_ST_BIND(sym.st_info) != STB_LOCAL) != globals) continue;
      debug_symbols_.add({addr, sym.st_size, name});
    }
  }
  debug_symbols_.finish();
}

Elf* ObjectFile::debug_elf() {
  if (InflatedDwarf* inflated = inflated_dwarf()) return inflated_is_separate_ ? inflated->file_elf() : nullptr;
  Dwarf_Addr bias = 0;
  Dwarf* dwarf = dwfl_module_getdwarf(module_, &bias);
  if (dwarf == nullptr) return nullptr;
  Elf* elf = dwarf_getelf(dwarf);
  GElf_Addr main_bias = 0;
  return elf == dwfl_module_getelf(module_, &main_bias) ? nullptr : elf;
}

// The start of the function holding `file_vaddr`, known from unwind tables
// alone: the start of the FDE that covers it, the FDEs walked once.  A file
// linked with an .eh_frame_hdr has in .eh_frame an FDE for all the code the
// unwinder may meet; without that table, .debug_frame is read too, the
// file's and its debug file's.
const FdeExtents& ObjectFile::fde_extents() {
  if (!fde_extents_) {
    fde_extents_ = std::make_unique<FdeExtents>();
    GElf_Addr bias = 0;
    Elf* elf = dwfl_module_getelf(module_, &bias);
    GElf_Shdr shdr;
    if (section_named(elf, ".eh_frame_hdr", &shdr) != nullptr) {
      fde_extents_->add_sections(elf, false);
    } else {
      fde_extents_->add_sections(elf);
      fde_extents_->add_sections(debug_elf());
    }
    fde_extents_->finish();
  }
  return *fde_extents_;
}

void ObjectFile::expect(std::span<const uint64_t> file_vaddrs) {
  if (index_state_ == IndexState::kRead) return;
  for (uint64_t address : file_vaddrs) {
    if (cache_.count(address) == 0 && prefetched_.count(address) == 0) expected_.push_back(address);
  }
}

// With .debug_info inflated in part, the expected addresses are answered
// a batch of units at a time, each batch with a Dwarf of its own: libdw's
// caches for the units of a JVM dump would otherwise outweigh the units.
void ObjectFile::prefetch_dwarf_frames() {
  if (expected_.empty()) return;
  InflatedDwarf* inflated = inflated_dwarf();  // opened for expected_, when first asked for
  std::vector<uint64_t> addresses = std::move(expected_);
  expected_.clear();
  if (inflated == nullptr || inflated->partial() == nullptr || !inflated->keep_units_at(addresses)) return;
  constexpr uint64_t kBatchBytes = 4 << 20;
  const std::vector<std::vector<uint64_t>> batches = inflated->batches_by_unit(addresses, kBatchBytes);
  // On two threads: Dwarf handles share nothing but the image, whose
  // sections libelf read when it was opened, so from here on it is only
  // read from.
  std::vector<std::vector<std::pair<uint64_t, FrameChain>>> answers(batches.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next++) < batches.size();) {
      Dwarf* dwarf = inflated->begin_dwarf();
      if (dwarf == nullptr) continue;  // those addresses are looked up one by one
      {
        InlineResolver resolver(dwarf);
        for (uint64_t address : batches[i]) answers[i].emplace_back(address, resolver.frames(address));
      }
      dwarf_end(dwarf);
    }
  };
  std::thread helper;
  if (batches.size() > 1 && std::thread::hardware_concurrency() > 1) helper = std::thread(work);
  work();
  if (helper.joinable()) helper.join();
  for (auto& batch : answers) {
    for (auto& [address, chain] : batch) prefetched_.emplace(address, std::move(chain));
  }
}

const ObjectLookup& ObjectFile::lookup(uint64_t file_vaddr) {
  auto it = cache_.find(file_vaddr);
  if (it == cache_.end()) it = cache_.emplace(file_vaddr, resolve(file_vaddr)).first;
  return it->second;
}

namespace {

std::optional<std::string_view> name_of(const SymbolTable::Symbol* symbol) {
  return symbol != nullptr ? std::optional<std::string_view>(symbol->name) : std::nullopt;
}

}  // namespace

InlineResolver& ObjectFile::inlines() {
  if (!inlines_) {
    InflatedDwarf* inflated = inflated_dwarf();
    inlines_ = inflated != nullptr ? std::make_unique<InlineResolver>(inflated->dwarf())
                                   : std::make_unique<InlineResolver>(module_);
  }
  return *inlines_;
}

FrameChain ObjectFile::dwarf_frames(uint64_t file_vaddr) {
  if (index_) {
    if (std::optional<FrameChain> chain = index_->dwarf_frames(file_vaddr)) return std::move(*chain);
  } else {
    prefetch_dwarf_frames();
    if (auto it = prefetched_.find(file_vaddr); it != prefetched_.end()) {
      FrameChain chain = std::move(it->second);
      prefetched_.erase(it);
      return chain;
    }
  }
  InlineResolver& resolver = inlines();
  // An address nobody announced may be in a unit not kept.
  if (inflated_ != nullptr && !inflated_->keep_units_at({&file_vaddr, 1})) return {};
  return resolver.frames(file_vaddr);
}

std::optional<std::string_view> ObjectFile::file_symbol(uint64_t file_vaddr) {
  if (index_) return index_->file_symbol(file_vaddr);
  load_file_symbols();
  return name_of(file_symbols_.find(file_vaddr));
}

std::optional<std::string_view> ObjectFile::debug_symbol(uint64_t file_vaddr) {
  if (index_) return index_->debug_symbol(file_vaddr);
  load_debug_symbols();
  return name_of(debug_symbols_.find(file_vaddr));
}

std::optional<uint64_t> ObjectFile::function_start(uint64_t file_vaddr) {
  return index_ ? index_->function_start(file_vaddr) : fde_extents().start_of(file_vaddr);
}

// The outermost frame is named by the first of: the file's own symbol table,
// DWARF, the debug file's symbol table, the function's start from CFI, and
// finally the object alone.
ObjectLookup ObjectFile::resolve(uint64_t file_vaddr) {
  if (index_state_ == IndexState::kUnchecked) open_index();
  ObjectLookup result;
  result.frames = dwarf_frames(file_vaddr);
  FrameChain& chain = result.frames;
  bool dwarf_has_function = !chain.empty() && !chain.back().inlined;

  std::string name;
  if (std::optional<std::string_view> symbol = file_symbol(file_vaddr)) {
    name = simplify_name(*symbol);
    result.source = NameSource::kFileSymbols;
  } else if (dwarf_has_function && !chain.back().function.empty()) {
    result.source = NameSource::kDwarf;
    // DWARF names a function with internal linkage by its short name alone
    // ("make"): the debug file's symbol table has its scope too.
    std::optional<std::string_view> debug_name = debug_symbol(file_vaddr);
    std::string& dwarf_name = chain.back().function;
    if (debug_name && dwarf_name.find("::") == std::string::npos) {
      std::string qualified = simplify_name(*debug_name);
      if (qualified.size() > dwarf_name.size() + 2 && qualified.ends_with("::" + dwarf_name)) {
        dwarf_name = std::move(qualified);
      }
    }
    return result;
  } else if (std::optional<std::string_view> debug_name = debug_symbol(file_vaddr)) {
    name = simplify_name(*debug_name);
    result.source = NameSource::kDebugSymbols;
  } else if (auto start = function_start(file_vaddr)) {
    // Honest unknown: the function is known by where it starts, not by
    // the nearest exported name before it.
    name = fmt::format("{}+0x{:x}", display_name_, *start);
    result.source = NameSource::kFunctionStart;
  } else {
    name = "[" + display_name_ + "]";
    result.source = NameSource::kObjectOnly;
  }
  if (dwarf_has_function) {
    chain.back().function = std::move(name);
  } else {
    chain.push_back(placeholder_frame(std::move(name)));
  }
  return result;
}

const std::string& ObjectFile::debug_file_path() {
  if (debug_path_) return *debug_path_;
  std::string& debug_path = debug_path_.emplace();
  GElf_Addr bias = 0;
  Elf* elf = dwfl_module_getelf(module_, &bias);
  GElf_Shdr shdr;
  if (elf == nullptr || section_named(elf, ".debug_info", &shdr) != nullptr) return debug_path;
  // Asked of a module of its own: libdwfl's search keeps what it opens in
  // the module it searches for, and this module's own search may be still
  // to come.
  Dwfl* dwfl = dwfl_begin(&kCallbacks);
  if (dwfl == nullptr) return debug_path;
  Dwfl_Module* probe = dwfl_report_elf(dwfl, display_name_.c_str(), path_.c_str(), -1, 0, true);
  dwfl_report_end(dwfl, nullptr, nullptr);
  Elf* probe_elf = probe != nullptr ? dwfl_module_getelf(probe, &bias) : nullptr;
  if (probe_elf != nullptr) {
    void* userdata = search_.get();
    Dwarf_Addr low = 0;
    const char* name = dwfl_module_info(probe, nullptr, &low, nullptr, nullptr, nullptr, nullptr, nullptr);
    GElf_Word crc = 0;
    const char* debuglink = dwelf_elf_gnu_debuglink(probe_elf, &crc);
    char* found = nullptr;
    int fd = find_debuginfo(probe, &userdata, name, low, path_.c_str(), debuglink, crc, &found);
    if (found != nullptr) debug_path = found;
    std::free(found);
    if (fd >= 0) close(fd);
  }
  dwfl_end(dwfl);
  return debug_path;
}

std::optional<IndexKey> ObjectFile::index_key() {
  std::optional<IndexSource> file = index_source_of(path_);
  if (!file) return std::nullopt;
  IndexKey key;
  key.build_id = build_id();
  key.sources.push_back(std::move(*file));
  if (const std::string& debug_path = debug_file_path(); !debug_path.empty()) {
    std::optional<IndexSource> debug = index_source_of(debug_path);
    if (!debug) return std::nullopt;
    key.sources.push_back(std::move(*debug));
  }
  // The answers are also this program's: another build of it may name
  // things otherwise, so its index is not this one's.
  static const std::optional<IndexSource> self = [] {
    std::error_code ec;  // no /proc: no index rather than an exception
    std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::nullopt : index_source_of(exe);
  }();
  if (!self) return std::nullopt;
  key.sources.push_back(*self);
  return key;
}

void ObjectFile::open_index() {
  index_key_ = index_key();
  if (!index_key_) {
    index_state_ = IndexState::kOff;
    return;
  }
  const std::string path = index_path(index_dir_, *index_key_);
  SymbolIndex::Opened opened = SymbolIndex::open(path, *index_key_);
  if (opened.index) {
    index_ = std::move(opened.index);
    index_state_ = IndexState::kRead;
    return;
  }
  index_state_ = IndexState::kWanted;
  if (opened.rejection == IndexRejection::kMissing || search_->diags == nullptr) return;
  if (opened.changed_source == index_key_->sources.size() - 1) {
    // hprof-text itself (the key's last source) was rebuilt: one cause for
    // every index of the directory, said once.
    search_->diags->warn_once("index-self", fmt::format("{}: symbol indexes written by another build of {} are "
                                                        "not used; they are rebuilt",
                                                        index_dir_, index_key_->sources.back().path));
    return;
  }
  if (opened.rejection == IndexRejection::kUnreadable) {
    // Permissions or I/O: the directory's, most likely; said once.
    search_->diags->warn_once("index-unreadable", fmt::format("{}: symbol index not readable ({}); it is rebuilt",
                                                              path, opened.reason));
    return;
  }
  search_->diags->warn_once("index:" + path, fmt::format("{}: symbol index not used ({}); it is rebuilt for {}",
                                                         path, opened.reason, path_));
}

void ObjectFile::write_index() {
  if (index_state_ != IndexState::kWanted || !index_key_) return;
  IndexContents contents;
  load_debug_symbols();  // and the file's own
  contents.own_table = own_table_;
  for (const SymbolTable::Symbol& s : file_symbols_.symbols()) contents.file_symbols.push_back({s.start, s.size, s.name});
  for (const SymbolTable::Symbol& s : debug_symbols_.symbols()) {
    contents.debug_symbols.push_back({s.start, s.size, s.name});
  }
  for (const FdeExtents::Extent& e : fde_extents().extents()) contents.fde_extents.push_back({e.start, e.end});

  // A second thread with a Dwarf of its own was tried: with libdw's caches
  // twice over, it cost more memory than it saved time.
  inlines().sweep([&](uint64_t low, uint64_t high, const FrameChain* chain) {
    contents.intervals.push_back({low, high, chain != nullptr ? contents.add_chain(*chain) : IndexContents::kAskDwarf});
  });
  const std::string path = index_path(index_dir_, *index_key_);
  SymbolIndex::write(path, *index_key_, contents);
  index_state_ = IndexState::kWritten;
  remove_superseded_indexes(index_dir_, *index_key_, path);
}

ObjectDescription ObjectFile::describe() {
  ObjectDescription description;
  description.build_id = build_id();
  load_file_symbols();
  description.own_symbols = own_table_;
  // Asked before the debug file's name: opening the DWARF (already done by
  // any lookup) may be what searched for it.
  InflatedDwarf* inflated = inflated_dwarf();
  Dwarf_Addr bias = 0;
  const bool has_dwarf = inflated != nullptr || dwfl_module_getdwarf(module_, &bias) != nullptr;
  const char* main_file = nullptr;
  const char* debug_file = nullptr;
  dwfl_module_info(module_, nullptr, nullptr, nullptr, nullptr, nullptr, &main_file, &debug_file);
  if (inflated_is_separate_) {
    description.debug_file = inflated->path();
  } else if (debug_file != nullptr && (main_file == nullptr || std::strcmp(debug_file, main_file) != 0)) {
    description.debug_file = debug_file;
  }
  GElf_Shdr shdr;
  description.debug_file_has_symtab = section_of_type(debug_elf(), SHT_SYMTAB, &shdr) != nullptr && shdr.sh_size > 0;
  if (has_dwarf) description.dwarf_file = description.debug_file.empty() ? path_ : description.debug_file;
  description.dwarf_inflated = inflated != nullptr;
  if (const PartialDebugInfo* partial = inflated != nullptr ? inflated->partial() : nullptr) {
    description.dwarf_units_kept = partial->kept_unit_count();
    description.dwarf_units = partial->unit_count();
  }
  switch (index_state_) {
    case IndexState::kOff:
    case IndexState::kUnchecked:
      description.index = "off";
      break;
    case IndexState::kRead:
      description.index = "read:" + index_path(index_dir_, *index_key_);
      break;
    case IndexState::kWanted:
    case IndexState::kWritten:
      description.index = "to-write:" + index_path(index_dir_, *index_key_);
      break;
  }
  return description;
}

}  // namespace hprof
