// The command line as a Unix tool reads it: a usage line for nothing, "--"
// ends the options, "-" is standard input, '_' and '-' alike in option
// names, a suggestion for a misspelt one.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli_harness.h"

namespace hprof::testing {
namespace {

const std::string kProfile = std::string(kHeader) + "   3:  3000 [   3:  3000] @ 0x1000\n";
constexpr const char* kUsage =
    "usage: hprof-text [--text | --collapsed | --flamegraph | --proto | --trend | --trend-chart | --dot] [options] "
    "[PROGRAM] PROFILE...\n";
constexpr const char* kHelpHint = "Run with --help for more information.\n";

// The contract of a usage error: its line, the hint, status 2, no report.
void expect_usage_error(const Outcome& o, const std::string& line) {
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "hprof-text: error: " + line + "\n" + kHelpHint);
  EXPECT_EQ(o.out, "");
}

// Descriptor 0 reads `path` while it lives: a real file behind standard input.
class StdinFrom {
 public:
  explicit StdinFrom(const std::string& path) : saved_(dup(0)) {
    const int fd = open(path.c_str(), O_RDONLY);
    EXPECT_GE(fd, 0) << path;
    dup2(fd, 0);
    close(fd);
  }
  ~StdinFrom() {
    dup2(saved_, 0);
    close(saved_);
  }

 private:
  int saved_;
};

class CliArguments : public CliTest {};

TEST_F(CliArguments, NoArgumentsPrintAUsageLine) {
  const Outcome o = run_with({});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, std::string("hprof-text: error: no profile given\n") + kUsage + kHelpHint);
  EXPECT_EQ(o.out, "");
}

TEST_F(CliArguments, OptionsWithoutAProfileSayNoProfileIsGiven) {
  const Outcome o = run_with({"--show_bytes"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, std::string("hprof-text: error: no profile given\n") + kUsage + kHelpHint);
}

TEST_F(CliArguments, ALoneProgramSaysTheProfileIsMissing) {
  const std::string self = std::filesystem::canonical("/proc/self/exe").string();
  expect_usage_error(run_with({self}),
                     self + " is a program (an ELF file), and the profile is missing: hprof-text PROGRAM PROFILE");
}

TEST_F(CliArguments, DoubleDashEndsTheOptions) {
  write("-weird.heap", kProfile);
  const std::filesystem::path cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir_);
  const Outcome o = run_with({"--show_bytes", "--", "-weird.heap"});
  std::filesystem::current_path(cwd);
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_TRUE(o.out.starts_with("Total: 3000 B\n")) << o.out;
}

TEST_F(CliArguments, AMisspeltOptionGetsADidYouMean) {
  expect_usage_error(run_with({"--foccus=x", "a.heap"}), "unknown option --foccus; did you mean --focus?");
  expect_usage_error(run_with({"-show-byte", "a.heap"}), "unknown option --show-byte; did you mean --show_bytes?");
}

TEST_F(CliArguments, AnOptionLikeNoneIsUnknownWithoutAGuess) {
  expect_usage_error(run_with({"--zzzzzzzz", "a.heap"}), "unknown option --zzzzzzzz");
}

TEST_F(CliArguments, ADashReadsTheProfileFromStandardInput) {
  const std::string path = write("a.heap", kProfile);
  const Outcome from_file = run_with({"--show_bytes", path});
  StdinFrom stdin_from(path);
  const Outcome from_stdin = run_with({"--show_bytes", "-"});
  EXPECT_EQ(from_stdin.status, 0) << from_stdin.err;
  EXPECT_EQ(from_stdin.out, from_file.out);
}

TEST_F(CliArguments, StandardInputIsNamedStdinInMessages) {
  StdinFrom stdin_from(write("bad.heap", std::string(kHeader) + "   3:  3000 [   3:  3000] @ nonsense\n"));
  const Outcome o = run_with({"-"});
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.err, "hprof-text: error: <stdin>:2: malformed address 'nonsense'\n");
}

TEST_F(CliArguments, AProgramOnStandardInputSaysToGiveItsPath) {
  StdinFrom stdin_from(std::filesystem::canonical("/proc/self/exe").string());
  const Outcome o = run_with({"-"});
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.err,
            "hprof-text: error: <stdin>:1: this is an ELF file, not a heap profile; a program is never read from "
            "standard input: give its path: hprof-text PROGRAM PROFILE\n");
}

TEST_F(CliArguments, StandardInputGivenTwiceIsAUsageError) {
  const std::string twice = "standard input (-) is given more than once: it can be read only once";
  expect_usage_error(run_with({"-", "-"}), twice);
  expect_usage_error(run_with({"--base=-", "-"}), twice);
}

TEST_F(CliArguments, StandardInputHasNoNameForOutputSuffix) {
  expect_usage_error(run_with({"--output-suffix=.txt", "-"}),
                     "--output-suffix names each report after its profile, and standard input (-) has no name: "
                     "save it to a file first");
}

}  // namespace
}  // namespace hprof::testing
