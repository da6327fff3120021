// Command-line options, pprof's names (CLI11).
#pragma once

#include <optional>
#include <ostream>

#include "driver/options.h"

namespace hprof {

// Outcome of parsing argv: either options to run with, or an exit status
// after printing help/version (to `out`) or a usage error (to `err`).
struct ParsedArgs {
  std::optional<Options> options;
  int exit_status = 0;
};

ParsedArgs parse_args(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace hprof
