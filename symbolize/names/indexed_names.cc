#include "symbolize/names/indexed_names.h"

#include <optional>
#include <utility>

namespace hprof {

Naming IndexedNames::at(uint64_t file_vaddr) {
  if (std::optional<Naming> naming = index_->at(part_, file_vaddr)) return std::move(*naming);
  return live_->at_alone(file_vaddr);
}

}  // namespace hprof
