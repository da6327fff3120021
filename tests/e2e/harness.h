// Shared by the end-to-end tests: running programs, recording real heap
// profiles under libtcmalloc, and reading the reports of hprof-text and of
// the reference tools back into numbers.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace e2e {

struct CommandResult {
  int exit_status = -1;
  std::string out;
  std::string err;
};

// Runs argv[0] with `env` added to the environment, stdin from /dev/null.
CommandResult run_command(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});

// Runs build/hprof-text with `args`.
CommandResult hprof_text(const std::vector<std::string>& args);

// Records the C++ workload under the heap profiler once per build (cached,
// safe across concurrent test processes) and returns the dump's path.
// `variant` names a separate recording (each run has its own ASLR layout).
std::string cpp_workload_dump(const std::string& variant = "a");

// Records the JVM Deflater-leak scenario once per build; returns the
// dumps in order (rec.0001.heap, ...).
std::vector<std::string> jvm_dumps();
std::string java_program();  // $JAVA_HOME/bin/java

struct Row {
  int64_t flat = 0;
  int64_t cum = 0;
};

struct TextReport {
  std::string total_line;               // "Total: ..." (empty when absent)
  std::vector<std::string> names;       // in printed order
  std::map<std::string, Row> rows;      // by name
};

// Reads hprof-text's or the Perl pprof's --text output (values must be
// integers: --show_bytes or objects).
TextReport parse_text_report(const std::string& text);

// Reads the Go pprof's `-text -unit=B` output.
std::map<std::string, Row> parse_go_report(const std::string& text);

std::string scratch_dir();

}  // namespace e2e
