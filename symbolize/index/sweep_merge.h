// The DWARF part of an index from several sweeps of one file, each over some
// of its units (InlineResolver::sweep_units_at): the batches a run read its
// units in.  Each sweep says what it answered and which addresses it skipped;
// an address is left not swept (kNotSwept) only when every sweep skipped it.
#pragma once

#include <cstdint>
#include <vector>

#include "symbolize/index/symbol_index.h"

namespace hprof {

struct UnitSweep {
  std::vector<IndexPart::Interval> answered;  // in address order, disjoint
  struct Range {
    uint64_t low, high;  // [low, high)
  };
  std::vector<Range> skipped;  // in address order, disjoint
};

// The intervals of the index's DWARF part: every sweep's answers, and the
// addresses all of them skipped as kNotSwept intervals, sorted and disjoint.
// With no sweep at all, no interval: nothing was there to sweep.
std::vector<IndexPart::Interval> merge_sweeps(const std::vector<UnitSweep>& sweeps);

}  // namespace hprof
