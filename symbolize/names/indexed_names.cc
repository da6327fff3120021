#include "symbolize/names/indexed_names.h"

#include <optional>
#include <utility>

namespace hprof {

Naming IndexedNames::at(uint64_t file_vaddr) {
  if (!index_->swept(part_, file_vaddr)) {
    grown_ = true;
    return live_->at(file_vaddr);
  }
  if (std::optional<Naming> naming = index_->at(part_, file_vaddr)) return std::move(*naming);
  return live_->at_alone(file_vaddr);
}

void IndexedNames::expect(std::span<const uint64_t> file_vaddrs) {
  std::vector<uint64_t> not_swept;
  for (uint64_t address : file_vaddrs) {
    if (!index_->swept(part_, address)) not_swept.push_back(address);
  }
  if (!not_swept.empty()) live_->expect(not_swept);
}

void IndexedNames::save(IndexContents& contents, IndexPart& part) {
  IndexPart fresh;
  if (grown_) live_->save(contents, fresh);
  index_->copy_part(part_, contents, part, fresh);
}

}  // namespace hprof
