// run_reference keeps a reference tool's answer for the same question, and
// asks again when an input file changed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "harness.h"
#include "reference_runs.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;

// A "tool" that counts its runs in `dir`/runs and prints its input file.
struct CountingTool {
  std::string dir = scratch_dir() + "/reference-test." + std::to_string(getpid());
  std::string input = dir + "/input";
  CountingTool() {
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(input) << "first\n";
  }
  ~CountingTool() { fs::remove_all(dir); }
  std::vector<std::string> argv(const std::string& path) const {
    return {"/bin/sh", "-c", "echo run >> '" + dir + "/runs'; cat \"$1\"", "sh", path};
  }
  std::size_t runs() const { return count_of(read_file(dir + "/runs"), "run\n"); }
};

TEST(ReferenceRuns, TheSameQuestionRunsOnceAndGivesTheSameAnswer) {
  CountingTool tool;
  const CommandResult first = run_reference(tool.argv(tool.input));
  const CommandResult again = run_reference(tool.argv(tool.input));
  EXPECT_EQ(tool.runs(), 1u);
  EXPECT_EQ(first.exit_status, 0);
  EXPECT_EQ(again.exit_status, 0);
  EXPECT_EQ(first.out, "first\n");
  EXPECT_EQ(again.out, "first\n");
}

TEST(ReferenceRuns, AnInputFileWrittenAgainIsANewQuestion) {
  CountingTool tool;
  EXPECT_EQ(run_reference(tool.argv(tool.input)).out, "first\n");
  std::ofstream(tool.input) << "second, longer\n";
  EXPECT_EQ(run_reference(tool.argv(tool.input)).out, "second, longer\n");
  EXPECT_EQ(tool.runs(), 2u);
}

TEST(ReferenceRuns, AFileNamedAfterAnEqualsSignIsAnInputToo) {
  CountingTool tool;
  const std::vector<std::string> argv{"/bin/sh", "-c", "echo run >> '" + tool.dir + "/runs'; cat \"${1#--base=}\"",
                                      "sh", "--base=" + tool.input};
  EXPECT_EQ(run_reference(argv).out, "first\n");
  std::ofstream(tool.input) << "second, longer\n";
  EXPECT_EQ(run_reference(argv).out, "second, longer\n");
}

TEST(ReferenceRuns, TheExitStatusAndStderrAreKept) {
  CountingTool tool;
  const std::vector<std::string> argv{"/bin/sh", "-c", "echo run >> '" + tool.dir + "/runs'; echo no >&2; exit 3"};
  run_reference(argv);
  const CommandResult kept = run_reference(argv);
  EXPECT_EQ(tool.runs(), 1u);
  EXPECT_EQ(kept.exit_status, 3);
  EXPECT_EQ(kept.err, "no\n");
}

}  // namespace
}  // namespace e2e
