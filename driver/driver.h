// Between the command line and the stages: the reports of one run.  Each
// profile goes load -> symbolize -> prune -> filter, a --base is negated
// and added last, and what one report sums is bounded by 2^63-1; the output
// format (driver/output_formats.h) says which model is built and renders it.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "common/diagnostics.h"
#include "driver/heap_loader.h"
#include "driver/options.h"
#include "parse/perf_map.h"
#include "report/filter.h"
#include "report/report.h"
#include "report/report_profile.h"
#include "symbolize/object_cache.h"

namespace hprof {

// What the reports of one run share: the object cache (each file and its
// debug info is read once), the perf maps, the compiled --focus/--ignore (a
// pattern that matches in no report is one warning) and the --base, read and
// filtered once.
class Driver {
 public:
  // Reads the perf maps (an InputError when one cannot be read), then, with
  // more than one profile to read (several, or a --base), reads them all
  // ahead of the reports (driver/heap_loader.h).
  Driver(const Options& options, Diagnostics& diags);

  // Reads the --base, when there is one, before any report: when it is bad,
  // its error (ending in `context`) is the one line on `err`, with no warning
  // about the profiles before it.  False then.
  bool load_base(std::ostream& err, const std::string& context);

  // The output of `paths` in the run's format: summed, minus the --base
  // (symbolized with its own memory map, so a base from another run still
  // cancels; added last, so rows show the addresses of the profiles
  // themselves), or for a trend each reported on its own.  `about` prefixes
  // warnings about this one report ("PROFILE: " in a batch).  Nothing is
  // returned unless every path could be read.
  std::string report(const std::vector<std::string>& paths, const std::string& about);

  // One warning per pattern that matched in no profile so far.
  void warn_unmatched_patterns();
  // Writes the symbol indexes this run's lookups wanted: after the reports,
  // which never wait for them.
  void write_indexes() { objects_.write_indexes(); }

 private:
  Report rows_of(const std::vector<std::string>& paths, const std::string& about, ReportBuilder& rows);
  StackProfile stacks_of(const std::vector<std::string>& paths, const std::string& about);
  PprofProfile pprof_of(const std::vector<std::string>& paths, const std::string& about);
  Trend trend_of(const std::vector<std::string>& paths);
  CallGraph graph_of(const std::vector<std::string>& paths, const std::string& about);
  std::vector<ReportProfile> load_all(const std::vector<std::string>& paths);
  std::vector<const ReportProfile*> with_base(const std::vector<ReportProfile>& profiles) const;
  ReportProfile load(const std::string& path, Values& magnitude);
  void warn_empty_stacks(int64_t count, const std::string& about, const std::string& how);
  std::string drawn_title(const std::vector<std::string>& paths) const;

  const Options* options_;
  ReportOptions report_options_;  // the options', the sample type resolved
  Diagnostics* diags_;
  ObjectCache objects_;
  std::optional<PerfMap> perf_map_;  // before loader_, which points to it
  HeapLoader loader_;
  SampleFilter filter_;
  std::optional<ReportProfile> base_;
  // Per value, the sum of |value| over what the report being built adds up
  // (over every dump of a trend): bounded by 2^63-1 so that no sum,
  // difference or negation in the report layer overflows int64_t.
  Values magnitude_{};
  Values base_magnitude_{};
};

}  // namespace hprof
