// Every report reaches stdout or is an error: hprof-text's real binary
// writing to a real full device (/dev/full), to a closed stdout and to a
// pipe nobody reads, in every output mode.
#include <gtest/gtest.h>

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "harness.h"

namespace e2e {
namespace {

constexpr const char* kNoSpace = "hprof-text: error: cannot write the report to standard output: No space left on device\n";

// The arguments of each way hprof-text prints a report to stdout.
struct Mode {
  const char* name;
  std::vector<std::string> options;
  bool two_dumps;  // a trend, or a sum of two profiles
};

const Mode kModes[] = {
    {"text", {"--text"}, false},
    {"collapsed", {"--collapsed"}, false},
    {"flamegraph", {"--flamegraph"}, false},
    {"proto", {"--proto"}, false},
    {"trend", {"--trend"}, true},
    {"trend_chart", {"--trend-chart"}, true},
    {"sum", {"--text"}, true},
};

// gtest prints a parameter by this (the test names show it too).
void PrintTo(const Mode& mode, std::ostream* os) { *os << mode.name; }

std::vector<std::string> args_of(const Mode& mode) {
  std::vector<std::string> args = mode.options;
  args.push_back(E2E_WORKLOAD);
  args.push_back(cpp_workload_dump());
  if (mode.two_dumps) args.push_back(cpp_workload_dump("b"));
  return args;
}

// hprof-text run with `args` (by default, on the C++ workload's dump) and
// its stdout sent `where`.
CommandResult report_to(Stdout where, std::vector<std::string> args = {E2E_WORKLOAD, cpp_workload_dump()},
                        bool ignore_sigpipe = false) {
  RunOptions options;
  options.stdout_to = where;
  options.ignore_sigpipe = ignore_sigpipe;
  return hprof_text(args, options);
}

class ReportWrite : public ::testing::TestWithParam<Mode> {};

TEST_P(ReportWrite, AFullDeviceIsOneErrorLineAndStatusOne) {
  const CommandResult r = report_to(Stdout::kDevFull, args_of(GetParam()));
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err, kNoSpace);
}

INSTANTIATE_TEST_SUITE_P(EveryMode, ReportWrite, ::testing::ValuesIn(kModes),
                         [](const ::testing::TestParamInfo<Mode>& param) { return std::string(param.param.name); });

TEST(ReportWriteTo, AClosedStdoutIsOneErrorLineAndStatusOne) {
  const CommandResult r = report_to(Stdout::kClosed);
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err,
            "hprof-text: error: cannot write the report to standard output: Bad file descriptor\n");
}

TEST(ReportWriteTo, HelpOnAFullDeviceIsAnErrorToo) {
  const CommandResult r = report_to(Stdout::kDevFull, {"--help"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err, kNoSpace);
}

TEST(ReportWriteTo, ABatchWithAClosedStdoutWritesItsFilesWithoutError) {
  const std::string dir = scratch_dir() + "/report-write-batch";
  std::filesystem::create_directories(dir);
  const std::string dump = dir + "/a.heap";
  std::filesystem::copy_file(cpp_workload_dump(), dump, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::remove(dump + ".txt");
  const CommandResult r = report_to(Stdout::kClosed, {"--output-suffix=.txt", E2E_WORKLOAD, dump});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_GT(std::filesystem::file_size(dump + ".txt"), 0u);
}

// `hprof-text ... | head`: the reader stopping is no error.  With SIGPIPE
// at its default the shell sees 141 (128 + SIGPIPE), as for any program.
TEST(ReportWriteTo, APipeWhoseReaderLeftEndsItBySigpipeQuietly) {
  const CommandResult r = report_to(Stdout::kBrokenPipe);
  EXPECT_EQ(r.exit_status, 141);
  EXPECT_EQ(r.err, "");
}

TEST(ReportWriteTo, APipeWhoseReaderLeftWithSigpipeIgnoredIsStatusZeroQuietly) {
  const CommandResult r = report_to(Stdout::kBrokenPipe, {E2E_WORKLOAD, cpp_workload_dump()}, true);
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_EQ(r.err, "");
}

}  // namespace
}  // namespace e2e
