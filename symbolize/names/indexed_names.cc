#include "symbolize/names/indexed_names.h"

#include <utility>

namespace hprof {

Naming IndexedNames::at(uint64_t file_vaddr) {
  switch (part_) {
    case Part::kFileSymbols:
      return Naming::of_symbol(index_->file_symbol(file_vaddr));
    case Part::kDebugSymbols:
      return Naming::of_symbol(index_->debug_symbol(file_vaddr));
    case Part::kFunctionStarts:
      return Naming::of_start(index_->function_start(file_vaddr));
    case Part::kDwarf:
      if (std::optional<FrameChain> chain = index_->dwarf_frames(file_vaddr)) return Naming::of_frames(std::move(*chain));
      break;
  }
  return live_->at_alone(file_vaddr);
}

}  // namespace hprof
