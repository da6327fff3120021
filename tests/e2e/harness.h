// Shared by the end-to-end tests: running programs, recording real heap
// profiles under libtcmalloc, and reading the reports of hprof-text and of
// the reference tools back into numbers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace e2e {

struct CommandResult {
  int exit_status = -1;  // 128 + the signal when a signal ended it
  std::string out;
  std::string err;  // from run_report and hprof_text: without recording_warnings
  // run_report and hprof_text: the lines of hprof-text's stderr that describe
  // the recording rather than the behaviour a test checks (describes_recording).
  std::string recording_warnings;
  int pid = -1;  // the process's id (a JVM names its perf map after it)
  long max_rss_kib = 0;  // its peak resident set (getrusage's ru_maxrss)
  double seconds = 0;    // wall time, for the record (no test times anything)
};

// Where a command's standard output goes.
enum class Stdout {
  kCaptured,    // a file read back into CommandResult::out
  kDevFull,     // /dev/full: every write fails with ENOSPC
  kClosed,      // no descriptor 1 at all (`>&-`)
  kBrokenPipe,  // a pipe whose reader is gone: a write raises SIGPIPE, or fails with EPIPE
};

// How to run a command, beyond its arguments and environment.
struct RunOptions {
  std::string cwd;               // its working directory; empty: the test's
  uint64_t stack_limit = 0;      // RLIMIT_STACK in bytes (main and, by glibc's default, thread stacks); 0: the test's
  Stdout stdout_to = Stdout::kCaptured;
  bool ignore_sigpipe = false;   // start it with SIGPIPE ignored (as some parents do), not at its default
  // Its stderr a terminal (a pseudo-terminal in raw mode, read into
  // CommandResult::err as written), not a file.
  bool stderr_terminal = false;
  // Run it as the unprivileged user nobody (uid and gid kNobody) when the
  // test runs as root, who ignores permission bits (CI runs as root).
  bool unprivileged = false;
};
inline constexpr unsigned kNobody = 65534;

// Runs argv[0] (looked up in PATH when it has no '/') with `env`
// ("NAME=value" each) in its environment, stdin from /dev/null.  An entry of
// `env` replaces the variable of that name the test process has.  Safe to
// call from several threads at once.  hprof-text itself is run by
// run_report or hprof_text, and a program is recorded with
// record_under_tcmalloc, never here (std::logic_error).
CommandResult run_command(const std::vector<std::string>& argv, const std::vector<std::string>& env = {},
                          const RunOptions& options = {});

// The one rule for what hprof-text says about a real recording.  A real
// program's recording now and then has records that say something about that
// run and not about the behaviour under test: a record the profiler could not
// unwind (an empty stack), JIT code compiled after the perf map was written,
// records lost at gperftools' dump buffer.  True for a line of stderr that
// warns of such a property; the patterns are in harness.cc.
bool describes_recording(std::string_view line);

// Runs hprof-text, or a copy of it (argv[0]), exactly with `argv`, as
// run_command does, and moves the lines that describes_recording from `err`
// to `recording_warnings`: a test that compares stderr compares what it is
// about, whatever the recording held.
CommandResult run_report(const std::vector<std::string>& argv, const std::vector<std::string>& env = {},
                         const RunOptions& options = {});

// run_report of build/hprof-text with `args` (and `options`: its stdout, ...).
//
// The symbol index cache: so that a report never depends on what the user's
// ~/.cache (or $XDG_CACHE_HOME) holds, when `args` contain neither
// "--no-cache" nor an argument starting with "--cache-dir", one cache option
// is put first (right after the binary, before every other argument, where
// it can be neither an option's value nor a positional argument):
//   HPROF_E2E_CACHE unset, empty or "off"   "--no-cache" (the cold suite)
//   HPROF_E2E_CACHE=DIR                      "--cache-dir=DIR" (the ".warm"
//                                            suite: runs read the indexes
//                                            that earlier runs wrote)
// A test of the cache itself gives its own option; run_report with
// hprof_text_binary() adds nothing (for the default location).
CommandResult hprof_text(const std::vector<std::string>& args, const RunOptions& options = {});
// The option hprof_text puts first when `args` have none.
std::string harness_cache_option();
// build/hprof-text: the file, for a test that copies or maps it, or runs it
// with run_report.
std::string hprof_text_binary();

// The harness's recordings of real programs under libtcmalloc each carry one
// record of every property describes_recording knows that a dump can be made
// to hold: one record with an empty stack (one object of
// kForcedEmptyStackBytes), added to the dump as recorded, its header's totals
// grown to match.  So a test that forgets the rule fails on every run, not on
// the one run in N whose recording had such a record.
inline constexpr int64_t kForcedEmptyStackBytes = 16;
// Adds those records to each of `dumps` (gperftools heap profiles), in place.
void force_recording_properties(const std::vector<std::string>& dumps);

// Every recording under libtcmalloc goes through here: runs `argv` with
// `env`, libtcmalloc preloaded and HEAPPROFILE=`prefix` (the dumps of an
// earlier recording at `prefix` removed first), and returns its dumps in
// order, each with force_recording_properties.  Throws when the program
// fails or writes no dump.
struct TcmallocRecording {
  CommandResult run;               // the recorded program's run
  std::vector<std::string> dumps;  // PREFIX.NNNN.heap, in order
};
TcmallocRecording record_under_tcmalloc(const std::vector<std::string>& argv, const std::string& prefix,
                                        std::vector<std::string> env = {});
// What the records with an empty stack of the gperftools dump `dump` hold in
// the sample `sample_option` ("", "--inuse_space", "--inuse_objects",
// "--alloc_space" or "--alloc_objects"), read from the dump's text: the part
// of Total that no row of a report names.
int64_t empty_stack_value(const std::string& dump, const std::string& sample_option = "");

// Records the C++ workload under the heap profiler once per build (cached,
// safe across concurrent test processes) and returns the dump's path.
// `variant` names a separate recording (each run has its own ASLR layout).
std::string cpp_workload_dump(const std::string& variant = "a");
// Records the C++ workload once per build with a dump every 2 MiB of growth
// in use, and one at exit; returns the dumps in order.  The first dumps
// come while main's first loop runs, before the other allocations exist.
std::vector<std::string> cpp_workload_series();

// Records the JVM Deflater-leak scenario once per build; returns the
// dumps in order (rec.0001.heap, ...).
std::vector<std::string> jvm_dumps();
std::string java_program();  // $JAVA_HOME/bin/java
// The scenario's command line: 600 Deflaters never end()ed, about 160 MB of
// zlib state in native memory (tests/e2e/java/DeflaterLeak.java).
std::vector<std::string> jvm_leak_command();

// The gperftools dumps PREFIX.NNNN.heap in `dir`, in order.
std::vector<std::string> sorted_dumps(const std::string& dir, const std::string& prefix);

// Serializes recordings across the test processes ctest runs in parallel:
// holds an exclusive flock on DIR/.lock (DIR is created) while it lives.
class DirLock {
 public:
  explicit DirLock(const std::string& dir);
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

 private:
  int fd_ = -1;
};

// True when `file` exists and none of `inputs` is newer (or missing): a
// recording made from them is still good.
bool newer_than(const std::string& file, const std::vector<std::string>& inputs);

std::string read_file(const std::string& path);

// FILE's GNU build-id as E2E_READELF prints it; empty when it has none.
std::string build_id_of(const std::string& file);
// Gives the program at `path` another build-id, as a rebuild would: the
// last byte of its GNU build-id note is changed in place (objcopy).  Its
// code and segments stay as they are.  Throws when objcopy fails.
void rebuild_in_place(const std::string& path);
// DIR/.build-id/xx/yyyy.debug, where a debug directory keeps the debug file
// of the build `id`; throws std::invalid_argument for a too short id (as
// build_id_of's empty answer for a file without one).
std::string build_id_path(const std::string& dir, const std::string& id);

// Where `function` starts in the unstripped copy of libe2estripped.so (from
// nm), in hex without "0x" or leading zeros; empty when it is not there.
std::string libstripped_function_start(const std::string& function);

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

// hprof-text's report with `args`, read back; a non-zero exit status is a
// test failure.
TextReport report_of(const std::vector<std::string>& args);
// report_of `--show_bytes OPTIONS PROGRAM PROFILES...`.
TextReport bytes_report(std::vector<std::string> options, const std::string& program,
                        const std::vector<std::string>& profiles);

// The number after "Total: " (integer reports only).
int64_t total_of(const TextReport& report);
// What the rows of `report`, the report of `dump` in `sample_option`, can
// add up to: its Total but for the records with an empty stack.
int64_t unwound_total(const TextReport& report, const std::string& dump, const std::string& sample_option = "");
// A row's function: its name without the " (inline)" label.
std::string function_of(const std::string& row_name);
std::string first_line(const std::string& text);
// The number of occurrences of `needle` in `text`.
std::size_t count_of(const std::string& text, const std::string& needle);

std::string scratch_dir();

}  // namespace e2e
