// --focus and --ignore: keep or drop whole samples by the names, source files
// and object files of their frames (RE2, unanchored, like the Go pprof).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "report/report_profile.h"

namespace re2 {
class RE2;
}

namespace hprof {

struct FilterOptions {
  std::string focus;   // empty: no focus
  std::string ignore;  // empty: nothing ignored
};

// RE2's reason when `pattern` does not compile; nullopt when it does.
std::optional<std::string> regex_error(const std::string& pattern);

// The compiled --focus/--ignore, applied to one profile at a time (the base
// included).  A location matches a pattern when one of its frames' function
// or source file does, or its object (the mapping's path): the Go pprof's
// Location.matchesName.  A sample is kept when it has a location matching
// --focus (or there is no --focus) and none matching --ignore.
class SampleFilter {
 public:
  // The patterns must compile (the CLI checks them with regex_error).
  explicit SampleFilter(const FilterOptions& options);
  ~SampleFilter();
  SampleFilter(const SampleFilter&) = delete;
  SampleFilter& operator=(const SampleFilter&) = delete;

  bool active() const { return focus_ != nullptr || ignore_ != nullptr; }

  // Sets ReportProfile::kept of every sample of `profile`: whether it makes
  // rows.  Each location is matched once, however many samples share it.
  // Nothing changes when the filter is not active().
  void apply(ReportProfile& profile);

  // One message per pattern that no sample seen so far matched, e.g.
  // "--focus=work::nothing matched no samples".
  std::vector<std::string> unmatched_patterns() const;

 private:
  FilterOptions options_;
  std::unique_ptr<re2::RE2> focus_;
  std::unique_ptr<re2::RE2> ignore_;
  bool focus_matched_ = false;
  bool ignore_matched_ = false;
};

}  // namespace hprof
