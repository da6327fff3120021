// A PROGRAM that is not the file the dump maps (docs/errors.md): another
// build of the workload, the same code and segments under another build-id,
// given for a dump recorded with the original, is one warning naming both;
// the file the dump maps, given by another path, is none.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "harness.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;

// A directory of this test's own, emptied.
std::string fresh_dir() {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir = fs::path(scratch_dir()) / "program-build" / (std::string(test->name()) + "." +
                                                                    std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

TEST(ProgramBuild, AnotherBuildOfTheProgramThanTheMappedFileIsOneWarningNamingBoth) {
  const std::string dump = cpp_workload_dump();
  const std::string dir = fresh_dir();
  const std::string rebuilt = dir + "/e2e_workload";
  fs::copy_file(E2E_WORKLOAD, rebuilt);
  rebuild_in_place(rebuilt);
  const std::string ours = build_id_of(rebuilt), theirs = build_id_of(E2E_WORKLOAD);
  ASSERT_NE(ours, theirs);

  const CommandResult r = hprof_text({"--show_bytes", rebuilt, dump});
  fs::remove_all(dir);
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.err,
            "hprof-text: warning: " + rebuilt + " is another build than the file the profile maps as its program, " +
                E2E_WORKLOAD + ": build-id " + ours + " here, " + theirs +
                " there; its names are used, and are wrong if the profile was recorded with " + E2E_WORKLOAD +
                " (give the program that ran: hprof-text PROGRAM PROFILE)\n");
  // Its code is the same, so its names are used.
  EXPECT_EQ(parse_text_report(r.out).rows.count("main"), 1u) << r.out;
}

TEST(ProgramBuild, TheMappedFileIsLookedForWhereLibPrefixFindsFiles) {
  // A copy of the host's files under DIR, this one of another build: the
  // PROGRAM is compared with the file --lib_prefix finds for the mapped path.
  const std::string dump = cpp_workload_dump();
  const std::string dir = fresh_dir();
  const std::string copy = dir + E2E_WORKLOAD;
  fs::create_directories(fs::path(copy).parent_path());
  fs::copy_file(E2E_WORKLOAD, copy);
  rebuild_in_place(copy);

  const CommandResult r = hprof_text({"--show_bytes", "--lib_prefix=" + dir, E2E_WORKLOAD, dump});
  const std::string copy_id = build_id_of(copy);
  fs::remove_all(dir);
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.err,
            std::string("hprof-text: warning: ") + E2E_WORKLOAD +
                " is another build than the file the profile maps as its program, " + E2E_WORKLOAD + " (found as " +
                copy + "): build-id " + build_id_of(E2E_WORKLOAD) + " here, " + copy_id +
                " there; its names are used, and are wrong if the profile was recorded with " + copy +
                " (give the program that ran: hprof-text PROGRAM PROFILE)\n");
}

TEST(ProgramBuild, TheProgramTheDumpMapsIsNoWarningThroughASymlink) {
  const std::string dir = fresh_dir();
  const std::string link = dir + "/workload";
  fs::create_symlink(E2E_WORKLOAD, link);
  const CommandResult r = hprof_text({"--show_bytes", link, cpp_workload_dump()});
  fs::remove_all(dir);
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.err, "");
}

}  // namespace
}  // namespace e2e
