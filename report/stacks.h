// The stacks of a report, each distinct stack once with its summed value:
// what --collapsed prints and --flamegraph draws.  Built from the same
// resolved, pruned and filtered samples as the text report, with the same
// frame names (report/row_keys.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "report/report.h"
#include "report/report_profile.h"

namespace hprof {

// The frame that stands for a sample with no frame at all (the profiler
// could not unwind it), so that the stacks still sum to Total.
inline constexpr const char* kEmptyStackName = "[empty stack]";

struct Stack {
  std::vector<uint32_t> frames;  // frame ids, root (outermost caller) first, inlined frames in call order
  int64_t value = 0;
};

struct StackProfile {
  int64_t total = 0;                 // Report::total: every sample, kept by --focus/--ignore or not
  int64_t empty_stack_records = 0;   // Report::empty_stack_records
  std::vector<std::string> names;    // by frame id: ReportRow::name under the granularity
  std::vector<std::string> objects;  // by frame id: the object its code lives in ("" for none)
  // Every distinct stack of the kept samples whose summed value is not 0
  // (with ReportOptions::drop_negative, also not negative), sorted by frame
  // names, frame by frame from the root.
  std::vector<Stack> stacks;
};

// Sums the profiles (the base negated, as for build_report) stack by stack.
// Stacks are equal when their frames have the same rows, so the stacks of
// several profiles (or of several pcs of one function) merge.  With nothing
// filtered out, the values sum to `total`.
StackProfile build_stacks(const std::vector<const ReportProfile*>& profiles, const ReportOptions& options);

}  // namespace hprof
