// Memory maps as the Go pprof reads them (docs/compat.md): google/pprof's
// own test dumps define an attribute ("source=/home") and name the program
// "$source/cppbench_server_main", or name it by a relative path.  The C++
// workload's dump, its program written so, names the same file: the report
// is the Go pprof's, function by function, with no warning.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "go_comparison.h"
#include "harness.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;

const std::string kProgramDir = fs::path(E2E_WORKLOAD).parent_path().string();
const std::string kProgramName = fs::path(E2E_WORKLOAD).filename().string();

// A directory of this test's own, emptied, with no copy of the program.
std::string empty_test_dir() {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir =
      fs::path(scratch_dir()) / "maps-paths" / (std::string(test->name()) + "." + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

// The C++ workload's dump written into `dir`, the program's path in its maps
// replaced by `program`, and `attribute` (a maps line) first in the maps.
std::string dump_naming_the_program(const std::string& dir, const std::string& program,
                                    const std::string& attribute = "") {
  const std::string sentinel = "MAPPED_LIBRARIES:\n";
  const std::string text = read_file(cpp_workload_dump());
  const std::size_t maps = text.find(sentinel);
  EXPECT_NE(maps, std::string::npos);
  std::string rewritten = text.substr(0, maps) + sentinel + attribute;
  std::istringstream lines(text.substr(maps + sentinel.size()));
  int replaced = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.ends_with(" " + std::string(E2E_WORKLOAD))) {
      line.replace(line.size() - std::string(E2E_WORKLOAD).size(), std::string::npos, program);
      ++replaced;
    }
    rewritten += line + "\n";
  }
  EXPECT_GT(replaced, 0);
  const std::string path = dir + "/workload.heap";
  std::ofstream(path, std::ios::binary) << rewritten;
  return path;
}

// Both reports of `dump`, run in `cwd`, the Go pprof's with `go_env`: equal
// wherever both name a function, and every function that holds memory named.
void expect_report_of_go_pprof(const std::vector<std::string>& options, const std::string& dump,
                               const std::string& cwd, const std::vector<std::string>& go_env = {}) {
  std::vector<std::string> args{"--show_bytes"};
  args.insert(args.end(), options.begin(), options.end());
  args.push_back(dump);
  const CommandResult ours = hprof_text(args, RunOptions{.cwd = cwd});
  ASSERT_EQ(ours.exit_status, 0) << ours.err;
  EXPECT_EQ(ours.err, "");
  const CommandResult go =
      run_command({GO_PPROF, "-text", "-nodefraction=0", "-unit=B", dump}, go_env, RunOptions{.cwd = cwd});
  ASSERT_EQ(go.exit_status, 0) << go.err;
  const GoComparison c = compare_with_go_report(ours.out, go.out);
  EXPECT_GE(c.agreeing_names, 8);
  EXPECT_TRUE(c.our_flat_rows_unknown_to_go.empty()) << ours.out;
  // The program's own functions, not "[e2e_workload]".
  EXPECT_EQ(parse_text_report(ours.out).rows.count("main"), 1u) << ours.out;
}

TEST(MapsPaths, AnAttributeOfTheMapsIsSubstitutedInThePathsAfterItAsInGoPprof) {
  const std::string dir = empty_test_dir();
  const std::string dump = dump_naming_the_program(dir, "$build/" + kProgramName, "build=" + kProgramDir + "\n");
  expect_report_of_go_pprof({}, dump, dir);
  fs::remove_all(dir);
}

TEST(MapsPaths, ARelativePathIsOpenedFromTheCurrentDirectoryAsInGoPprof) {
  const std::string dir = empty_test_dir();
  const std::string dump = dump_naming_the_program(dir, kProgramName);
  expect_report_of_go_pprof({}, dump, kProgramDir);
  fs::remove_all(dir);
}

TEST(MapsPaths, ARelativePathIsLookedForUnderLibPrefixAsUnderGoPprofBinaryPath) {
  const std::string dir = empty_test_dir();
  const std::string dump = dump_naming_the_program(dir, kProgramName);
  expect_report_of_go_pprof({"--lib_prefix=" + kProgramDir}, dump, dir, {"PPROF_BINARY_PATH=" + kProgramDir});
  fs::remove_all(dir);
}

}  // namespace
}  // namespace e2e
