// The DWARF frames of many addresses at once, in a .debug_info inflated in
// part: a batch of units at a time, each batch with a Dwarf of its own, on
// two threads.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "symbolize/dwarf/inflated_dwarf.h"
#include "profile/frame.h"

namespace hprof {

// Adds to `out` the frames at each of `addresses`, whose units `inflated`
// keeps.  An address whose batch could not be read is left out: it is then
// looked up alone.
void prefetch_frames(const InflatedDwarf& inflated, const std::vector<uint64_t>& addresses,
                     std::unordered_map<uint64_t, FrameChain>& out);

}  // namespace hprof
