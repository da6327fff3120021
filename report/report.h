// The report model: totals and sorted rows, built from resolved profiles and
// rendered separately (report/render_text.h).  No formatting happens here.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "profile/heap_kind.h"
#include "profile/kind.h"
#include "report/report_profile.h"

namespace hprof {

// True when values of `type` are bytes (shown in MB unless --show_bytes).
inline bool is_space(const SampleType& type) { return type.unit == "bytes"; }

// What one row stands for (pprof's --functions, --lines, --addresses, --files).
enum class Granularity { kFunctions, kLines, kAddresses, kFiles };

struct ReportOptions {
  // The sample type the report sums, one of the profiles' kind's.  The
  // driver sets the kind's default unless one is asked for; heap's in-use
  // space for options made without it.
  SampleType sample_type = heap_sample_type(HeapValue::kInuseSpace);
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
  // The records (ProfileSample::records) of the samples with no frame at all
  // (no location, or only empty frame chains), counted whatever their value
  // under the chosen index (a zero-valued one too).  Their values are in
  // `total` and in no row.
  int64_t empty_stack_records = 0;
};

// --base: the base's values are subtracted, i.e. its samples are negated
// and then summed with the other profiles.
inline void negate_values(ReportProfile& profile) { profile.negated = !profile.negated; }

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
  void add(const ReportProfile& profile);
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
// Only kept samples (ReportProfile::kept) make rows; every sample counts in
// Total.  Linear in the number of samples plus frames.
Report build_report(const std::vector<const ReportProfile*>& profiles, const ReportOptions& options);
// The same, for profiles held in one vector.
Report build_report(const std::vector<ReportProfile>& profiles, const ReportOptions& options);

}  // namespace hprof
