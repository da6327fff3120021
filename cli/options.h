// Command-line options, pprof's names (CLI11).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/output_mode.h"
#include "report/filter.h"
#include "report/report.h"
#include "symbolize/symbolize_options.h"

namespace hprof {

struct Options {
  OutputMode mode = OutputMode::kText;
  ReportOptions report;
  FilterOptions filter;
  SymbolizeOptions symbolize;          // symbolize.program: PROGRAM, when the first argument is an ELF file
  std::optional<std::string> base;     // --base: a profile subtracted from the sum of `profiles`
  std::vector<std::string> profiles;
  // --output-suffix: batch mode, one report per profile written to
  // PROFILE + suffix (never empty, never naming an input); stdout stays empty.
  std::optional<std::string> output_suffix;
  // --trend and --trend-chart: each profile reported on its own, the reports
  // joined into one table (or chart) with a column per profile (two or more;
  // neither --base nor --output-suffix).
  bool trend() const { return mode == OutputMode::kTrend || mode == OutputMode::kTrendChart; }
};

// Outcome of parsing argv: either options to run with, or an exit status
// after printing help/version (to `out`) or a usage error (to `err`).
struct ParsedArgs {
  std::optional<Options> options;
  int exit_status = 0;
};

ParsedArgs parse_args(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace hprof
