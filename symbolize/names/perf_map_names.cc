#include "symbolize/names/perf_map_names.h"

#include "symbolize/names/jit_name.h"

namespace hprof {

Naming PerfMapNames::at(uint64_t address) {
  ++counts_.looked_up;
  const PerfMap::Hit hit = map_->find(address);
  if (hit.kind == PerfMap::Hit::kNamed) return Naming::of_frames({placeholder_frame(jit_function_name(hit.entry->name))});
  if (hit.kind == PerfMap::Hit::kConflict) {
    if (counts_.conflicts++ == 0) counts_.first_conflict = hit;
  } else {
    ++counts_.uncovered;
  }
  return {};
}

}  // namespace hprof
