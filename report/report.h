// The report model: totals and sorted rows, built from resolved profiles and
// rendered separately (report/render_text.h).  No formatting happens here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "parse/heap_profile.h"
#include "symbolize/resolve.h"

namespace hprof {

enum class SampleIndex { kInuseSpace, kInuseObjects, kAllocSpace, kAllocObjects };

// The value of one sample under the chosen index.
int64_t sample_value(const SampleValues& values, SampleIndex index);
bool is_space(SampleIndex index);

// What one row stands for (pprof's --functions, --lines, --addresses, --files).
enum class Granularity { kFunctions, kLines, kAddresses, kFiles };

struct ReportOptions {
  SampleIndex sample_index = SampleIndex::kInuseSpace;
  Granularity granularity = Granularity::kFunctions;
  bool drop_negative = false;  // --drop_negative: hide rows that shrank (with --base)
  bool sort_by_cum = false;  // --cum
  bool show_bytes = false;   // --show_bytes: integer bytes, unit "B"
};

struct ReportRow {
  std::string name;  // function name, with " (inline)" for inlined frames
  int64_t flat = 0;
  int64_t cum = 0;
};

struct Report {
  int64_t total = 0;             // sum over every sample (empty stacks included)
  std::vector<ReportRow> rows;   // every row with flat != 0 or cum != 0, sorted
  // Samples with no frame at all (no location, or only empty frame chains),
  // counted whatever their value under the chosen index (a zero-valued one
  // too).  Their values are in `total` and in no row.
  int64_t empty_stack_samples = 0;
  int64_t empty_stack_value = 0;  // the sum of those samples' values (part of total)
};

// Sums the profiles (already resolved, allocator frames pruned) into rows.
// flat goes to the innermost frame of the leaf location; cum counts each
// name once per stack.  Sorted by flat (or cum) descending, then name bytewise.
// Rows are keyed by name, so equal names from different profiles (or from
// different addresses) share one row.  Linear in the number of samples plus
// frames.
Report build_report(const std::vector<ResolvedProfile>& profiles, const ReportOptions& options);

}  // namespace hprof
