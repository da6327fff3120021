#include "cli/run.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/options.h"
#include "cli/progress.h"
#include "cli/progress_ticker.h"
#include "common/atomic_file.h"
#include "common/diagnostics.h"
#include "common/error.h"
#include "driver/driver.h"

namespace hprof {
namespace {

// --output-suffix: one report per profile, each what `hprof-text [options]
// PROGRAM PROFILE` prints, written to PROFILE + suffix.  A profile that
// cannot be read is an error naming it, the others are still written, and
// the status is 1.  A pattern that matches nothing is one warning, at the
// end, when it matched in no profile of the batch.
int run_batch(const Options& options, std::ostream& err, bool err_is_terminal) {
  ProgressLine progress(err, err_is_terminal, options.profiles.size());
  std::ostream& messages = progress.stream();  // erases the progress line first
  Diagnostics diags(messages);
  std::optional<Driver> made;
  try {
    made.emplace(options, diags);
  } catch (const InputError& e) {  // a perf map
    print_error(messages, std::string(e.what()) + " (no report written)");
    return 1;
  }
  Driver& driver = *made;
  if (!driver.load_base(messages, " (the --base: no report written)")) return 1;
  std::size_t failed = 0;
  for (std::size_t i = 0; i < options.profiles.size(); ++i) {
    const std::string& path = options.profiles[i];
    progress.show(i + 1, path);
    try {
      write_file_atomically(path + *options.output_suffix, driver.report({path}, path + ": "));
    } catch (const std::runtime_error& e) {  // an InputError, or a std::system_error from the write
      print_error(messages, e.what());
      ++failed;
    }
  }
  driver.warn_unmatched_patterns();
  driver.write_indexes();
  if (failed == 0) return 0;
  print_error(messages, fmt::format("{} of {} reports not written (see above)", failed, options.profiles.size()));
  return 1;
}

// How long a run goes before its progress line shows: a second, or
// $HPROF_TEXT_PROGRESS_DELAY_MS (0: from the start), a number of ms.
std::chrono::milliseconds progress_delay() {
  const char* set = std::getenv("HPROF_TEXT_PROGRESS_DELAY_MS");
  if (set == nullptr || *set == '\0') return std::chrono::seconds(1);
  char* end = nullptr;
  const unsigned long ms = std::strtoul(set, &end, 10);
  if (*end != '\0' || ms > 3'600'000) return std::chrono::seconds(1);
  return std::chrono::milliseconds(ms);
}

// Prints the one output of the run.  It is built completely before anything
// is written, so an error leaves stdout empty.  On a terminal, a run that
// takes long says what it is doing (cli/progress_ticker.h), the symbol
// index written after the report too.
int print_report(const Options& options, std::ostream& out, std::ostream& err, bool err_is_terminal) {
  ProgressTicker progress(err, err_is_terminal, progress_delay());
  std::ostream& messages = progress.stream();  // erases the progress line first
  Diagnostics diags(messages);
  try {
    Driver driver(options, diags);
    if (!driver.load_base(messages, " (the --base)")) return 1;
    const std::string report = driver.report(options.profiles, "");
    progress.pause();
    out << report;
    out.flush();
    progress.resume();
    driver.write_indexes();
    return 0;
  } catch (const InputError& e) {
    print_error(messages, e.what());
    return 1;
  }
}

}  // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err, bool err_is_terminal,
        bool out_is_terminal) {
  ParsedArgs parsed = parse_args(argc, argv, out, err);
  if (!parsed.options) return parsed.exit_status;
  const Options& options = *parsed.options;
  if (options.output_suffix) return run_batch(options, err, err_is_terminal);
  // As gzip: compressed data would only garble the terminal.
  if (options.format->binary && out_is_terminal) {
    print_error(err, "--proto writes binary data and stdout is a terminal: redirect it to a file "
                     "(hprof-text --proto ... > rec.pb.gz) or use --output-suffix=.pb.gz");
    return 2;
  }
  return print_report(options, out, err, err_is_terminal);
}

}  // namespace hprof
