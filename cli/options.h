// Command-line options, pprof's names (CLI11).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "report/filter.h"
#include "report/report.h"
#include "symbolize/symbolize_options.h"

namespace hprof {

// What a run writes: one output format per run (--text, the default, or
// --proto); asking for two is a usage error.
enum class OutputMode {
  kText,   // the text report
  kProto,  // pprof's profile.proto, gzip-compressed (binary)
};

struct Options {
  OutputMode output = OutputMode::kText;
  ReportOptions report;
  FilterOptions filter;
  SymbolizeOptions symbolize;          // symbolize.program: PROGRAM, when the first argument is an ELF file
  std::optional<std::string> base;     // --base: a profile subtracted from the sum of `profiles`
  std::vector<std::string> profiles;
  // --output-suffix: batch mode, one report per profile written to
  // PROFILE + suffix (never empty, never naming an input); stdout stays empty.
  std::optional<std::string> output_suffix;
};

// Outcome of parsing argv: either options to run with, or an exit status
// after printing help/version (to `out`) or a usage error (to `err`).
struct ParsedArgs {
  std::optional<Options> options;
  int exit_status = 0;
};

ParsedArgs parse_args(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace hprof
