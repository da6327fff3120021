// Paths of a memory map as the Go pprof reads them (docs/compat.md): a
// relative path names a file, read from the current directory unless
// --lib_prefix finds it first, and "$NAME" stands for what an attribute line
// of the maps defines.  The file is a copy of this test binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli_harness.h"
#include "self_profiles.h"

namespace hprof {
namespace {

using testing::one_row;
using testing::Outcome;
using testing::run_with;
namespace fs = std::filesystem;

class CliMapsPaths : public testing::SelfProfileTest {
 protected:
  // hprof-text with `args`, the scratch directory its current directory.
  Outcome run_in_scratch_dir(const std::vector<std::string>& args) {
    const fs::path cwd = fs::current_path();
    fs::current_path(dir_);
    Outcome o = run_with(args);
    fs::current_path(cwd);
    return o;
  }
};

TEST_F(CliMapsPaths, ARelativePathIsReadFromTheCurrentDirectory) {
  copy_of_self("bin/app");
  const Outcome o = run_in_scratch_dir({"--show_bytes", "--no-cache", write("app.heap", profile_mapping("bin/app"))});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, one_row("hprof_self_marker"));
  EXPECT_EQ(o.err, "");
}

TEST_F(CliMapsPaths, ARelativePathIsLookedForUnderLibPrefixBeforeTheCurrentDirectory) {
  copy_of_self("root/bin/app");
  fs::create_directories(dir_ / "bin");
  write("bin/app", "not the program");
  const Outcome o = run_in_scratch_dir({"--show_bytes", "--no-cache", "--lib_prefix=" + (dir_ / "root").string(),
                                        write("app.heap", profile_mapping("bin/app"))});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, one_row("hprof_self_marker"));
  EXPECT_EQ(o.err, "");
}

TEST_F(CliMapsPaths, ARelativePathFoundNowhereIsOneWarningNamingWhereItWasLookedFor) {
  const Outcome o = run_in_scratch_dir({"--show_bytes", "--no-cache", write("app.heap", profile_mapping("bin/app"))});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, one_row("[app]"));
  EXPECT_EQ(o.err, "hprof-text: warning: " + (dir_ / "bin/app").string() +
                       ": No such file or directory; its frames are shown as [app] (point --lib_prefix at a copy of "
                       "the files, or give the program's path on the command line)\n");
}

TEST_F(CliMapsPaths, AnAttributeOfTheMapsNamesADirectoryOfThePathsAfterIt) {
  copy_of_self("bin/app");
  std::string profile = profile_mapping("$bin/app");
  const std::string sentinel = "MAPPED_LIBRARIES:\n";
  profile.insert(profile.find(sentinel) + sentinel.size(), "bin=" + (dir_ / "bin").string() + "\n");
  const Outcome o = run_with({"--show_bytes", "--no-cache", write("app.heap", profile)});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, one_row("hprof_self_marker"));
  EXPECT_EQ(o.err, "");
}

}  // namespace
}  // namespace hprof
