#include "symbolize/index/sweep_merge.h"

#include <algorithm>
#include <utility>

namespace hprof {

std::vector<IndexPart::Interval> merge_sweeps(const std::vector<UnitSweep>& sweeps) {
  std::vector<IndexPart::Interval> merged;
  // Skipped by all: where as many skipped ranges are open as there are
  // sweeps (each sweep's ranges are disjoint, so each counts once).
  std::vector<std::pair<uint64_t, int>> edges;
  for (const UnitSweep& sweep : sweeps) {
    merged.insert(merged.end(), sweep.answered.begin(), sweep.answered.end());
    for (const UnitSweep::Range& range : sweep.skipped) {
      edges.emplace_back(range.low, +1);
      edges.emplace_back(range.high, -1);
    }
  }
  std::sort(edges.begin(), edges.end());  // at one address, closings first
  const int all = static_cast<int>(sweeps.size());
  int open = 0;
  uint64_t from = 0;
  for (const auto& [at, step] : edges) {
    if (open == all && at > from) {
      if (!merged.empty() && merged.back().chain == IndexContents::kNotSwept && merged.back().end == from) {
        merged.back().end = at;
      } else {
        merged.push_back({from, at, IndexContents::kNotSwept});
      }
    }
    open += step;
    from = at;
  }
  std::stable_sort(merged.begin(), merged.end(),
                   [](const IndexPart::Interval& a, const IndexPart::Interval& b) { return a.start < b.start; });
  // One sweep's answer inside what another one skipped is that sweep's, so
  // nothing overlaps; a unit two sweeps both read gives the same answers
  // twice, kept once.
  std::vector<IndexPart::Interval> disjoint;
  disjoint.reserve(merged.size());
  for (const IndexPart::Interval& interval : merged) {
    if (!disjoint.empty() && interval.start < disjoint.back().end) {
      if (interval.end <= disjoint.back().end) continue;
      disjoint.push_back({disjoint.back().end, interval.end, interval.chain});
      continue;
    }
    disjoint.push_back(interval);
  }
  return disjoint;
}

}  // namespace hprof
