#include "symbolize/object_file.h"

#include <vector>

namespace hprof {

ObjectFile::ObjectFile(const std::string& path, DebugSearch search, std::string index_dir)
    : module_(path, std::move(search)),
      segments_(module_.elf()),
      index_(module_, std::move(index_dir)),
      dwarf_(module_, segments_.first_vaddr()),
      file_symbols_(module_),
      dwarf_names_(dwarf_,
                   [this] {
                     index_.read();
                     return index_.enabled();
                   }),
      debug_symbols_(module_, file_symbols_),
      cfi_starts_(module_, dwarf_),
      live_{&file_symbols_, &dwarf_names_, &debug_symbols_, &cfi_starts_} {
  dwarf_.keep_resume_points_at([this] {
    index_.read();
    return index_.resume_points_path();
  });
}

const NameSources& ObjectFile::sources() {
  const SymbolIndex* index = index_.read();
  if (index == nullptr) return live_;
  if (!indexed_[0]) {
    const std::array<NameSource*, 4> live = live_.all();
    for (size_t part = 0; part < indexed_.size(); ++part) {
      indexed_[part] = std::make_unique<IndexedNames>(*index, part, *live[part]);
    }
    from_index_ = {indexed_[0].get(), indexed_[1].get(), indexed_[2].get(), indexed_[3].get()};
  }
  return from_index_;
}

const ObjectLookup& ObjectFile::lookup(uint64_t file_vaddr) {
  auto it = cache_.find(file_vaddr);
  if (it == cache_.end()) {
    it = cache_.emplace(file_vaddr, name_address(sources(), file_vaddr, module_.display_name())).first;
  }
  return it->second;
}

void ObjectFile::expect(std::span<const uint64_t> file_vaddrs) {
  std::vector<uint64_t> unanswered;
  unanswered.reserve(file_vaddrs.size());
  for (uint64_t address : file_vaddrs) {
    if (cache_.count(address) == 0) unanswered.push_back(address);
  }
  for (NameSource* source : sources().all()) source->expect(unanswered);
}

}  // namespace hprof
