// The report model: totals and sorted rows, built from resolved profiles and
// rendered separately (report/render_text.h).  No formatting happens here.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "parse/heap_profile.h"
#include "symbolize/resolve.h"

namespace hprof {

enum class SampleIndex { kInuseSpace, kInuseObjects, kAllocSpace, kAllocObjects };

// The value of one sample under the chosen index.
int64_t sample_value(const SampleValues& values, SampleIndex index);
bool is_space(SampleIndex index);
// pprof's name of the sample type: "inuse_space", "alloc_objects", ...
std::string_view sample_index_name(SampleIndex index);

// What one row stands for (pprof's --functions, --lines, --addresses, --files).
enum class Granularity { kFunctions, kLines, kAddresses, kFiles };

struct ReportOptions {
  SampleIndex sample_index = SampleIndex::kInuseSpace;
  Granularity granularity = Granularity::kFunctions;
  // --drop_negative: hide rows that shrank (with --base), the Go pprof's rule:
  // flat < 0, or flat == 0 and cum < 0.  Total is unchanged.
  bool drop_negative = false;
  bool sort_by_cum = false;  // --cum
  bool show_bytes = false;   // --show_bytes: integer bytes, unit "B"
};

struct ReportRow {
  // What the row stands for under the granularity, with " (inline)" for an
  // inlined frame: "f", "f /src/a.cc:12", "0x00000000000011a3 f /src/a.cc:12",
  // "/src/a.cc".
  std::string name;
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
};

// --base: the base's values are subtracted, i.e. its samples are negated
// and then summed with the other profiles.
void negate_values(ResolvedProfile& profile);

// Builds reports one profile at a time, keeping the row keys between
// reports: build_report() for one report, and --trend for one report per dump
// whose rows join by name (with --addresses, every report names a row with
// the address of the first profile that had it, as build_report does).
class ReportBuilder {
 public:
  explicit ReportBuilder(const ReportOptions& options);
  ~ReportBuilder();
  ReportBuilder(const ReportBuilder&) = delete;
  ReportBuilder& operator=(const ReportBuilder&) = delete;

  // Adds the profile's samples to the report being built.
  void add(const ResolvedProfile& profile);
  // The report of everything added since the last take(); the next report
  // starts empty, with the same keys.
  Report take();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Sums the profiles (already resolved, allocator frames pruned) into rows.
// flat goes to the innermost frame of the leaf location; cum counts each
// row once per stack.  Sorted by flat (or cum) descending, then name bytewise.
//
// What a row stands for depends on options.granularity.  Functions, lines
// and files are keyed by the printed name, so equal names from different
// profiles (or from different addresses) share one row.  Addresses are keyed
// by (object, file offset, frame index in the location's chain), so a profile
// of another run (different ASLR layout, e.g. a --base) lands on the same
// row; the row shows the address of the first profile that has it.
//
// Only samples with ResolvedSample::kept make rows; every sample counts in
// Total.  Linear in the number of samples plus frames.
Report build_report(const std::vector<const ResolvedProfile*>& profiles, const ReportOptions& options);
// The same, for profiles held in one vector.
Report build_report(const std::vector<ResolvedProfile>& profiles, const ReportOptions& options);

}  // namespace hprof
