// No subprocess, no network, no writes (issue 5): hprof-text runs on real
// recordings under a guard (guard/no_side_effects_guard.c, preloaded) whose
// seccomp filter kills it if it starts a program or opens a socket, and,
// asked to, if it writes any file anywhere; the Guard tests show that the
// guard does kill.  Where hprof-text may write (the symbol index cache, the
// --output-suffix files), a snapshot of a scratch tree standing for the
// user's world (working directory, HOME, XDG_CACHE_HOME, TMPDIR, the
// profiles' directory) shows that nothing else changed.  A cache that cannot
// be written costs only speed: one warning, the same report.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "harness.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;

constexpr int kKilledBySigsys = 128 + SIGSYS;

// The environment of a guarded run; `writes`: "" (allowed), "kill" or
// "erofs" (guard/no_side_effects_guard.c).  DEBUGINFOD_URLS names a server:
// libdwfl would ask it for every file without a debug file.
std::vector<std::string> guarded(const std::string& writes = "") {
  return {std::string("LD_PRELOAD=") + E2E_GUARD, "E2E_GUARD_WRITES=" + writes,
          "DEBUGINFOD_URLS=http://127.0.0.1:9/"};
}

// ---- the guard ----

TEST(Guard, KillsAProgramThatRunsAnother) {
  EXPECT_EQ(run_command({E2E_GUARD_PROBE, "system"}).out, "done\n");
  EXPECT_EQ(run_command({E2E_GUARD_PROBE, "system"}, guarded()).exit_status, kKilledBySigsys);
}

TEST(Guard, KillsAProgramThatOpensASocket) {
  EXPECT_EQ(run_command({E2E_GUARD_PROBE, "socket"}).out, "done\n");
  EXPECT_EQ(run_command({E2E_GUARD_PROBE, "socket"}, guarded()).exit_status, kKilledBySigsys);
}

TEST(Guard, LetsAProgramRunThreadsAndReadFiles) {
  CommandResult thread = run_command({E2E_GUARD_PROBE, "thread"}, guarded("kill"));
  EXPECT_EQ(thread.exit_status, 0) << thread.err;
  CommandResult read = run_command({E2E_GUARD_PROBE, "read", E2E_GUARD_PROBE}, guarded("kill"));
  EXPECT_EQ(read.exit_status, 0) << read.err;
}

TEST(Guard, WithWritesKillKillsAProgramThatCreatesAFile) {
  const std::string file = scratch_dir() + "/guard-probe-" + std::to_string(getpid());
  EXPECT_EQ(run_command({E2E_GUARD_PROBE, "write", file}, guarded("kill")).exit_status, kKilledBySigsys);
  EXPECT_FALSE(fs::exists(file));
}

TEST(Guard, WithWritesErofsMakesEveryFileSystemReadOnlyEvenForRoot) {
  const std::string file = scratch_dir() + "/guard-probe-" + std::to_string(getpid());
  CommandResult r = run_command({E2E_GUARD_PROBE, "write", file}, guarded("erofs"));
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.out, "failed: " + std::string(std::strerror(EROFS)) + "\n");
  EXPECT_FALSE(fs::exists(file));
}

// ---- hprof-text under the guard ----

// A scratch tree of this test's own standing for the user's world: an
// empty working directory, HOME, XDG_CACHE_HOME and TMPDIR, and the
// profiles (copies of real recordings).
class NoSideEffects : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string suite = harness_cache_option() == "--no-cache" ? "cold" : "warm";
    root_ = scratch_dir() + "/no-side-effects/" + test->name() + "." + suite;
    fs::remove_all(root_);
    for (const char* dir : {"cwd", "home", "xdg", "tmp", "profiles"}) fs::create_directories(root_ + "/" + dir);
    const std::vector<std::string> series = cpp_workload_series();
    for (const auto& [name, source] : std::map<std::string, std::string>{
             {"a.heap", cpp_workload_dump("a")}, {"b.heap", cpp_workload_dump("b")},
             {"first.heap", series.front()}, {"last.heap", series.back()}}) {
      fs::copy_file(source, root_ + "/profiles/" + name);
    }
  }
  void TearDown() override { fs::remove_all(root_); }

  static std::string dir_of(const std::string& variable) {
    return variable == "HOME" ? "home" : variable == "TMPDIR" ? "tmp" : "xdg";
  }
  std::string profile(const std::string& name) const { return root_ + "/profiles/" + name; }
  std::string cache() const { return root_ + "/xdg/hprof-text"; }  // the default under XDG_CACHE_HOME

  // hprof-text with `args` (no cache option but what they give), in the
  // scratch world, with `env` added.
  CommandResult run(const std::vector<std::string>& args, std::vector<std::string> env = {}) const {
    std::vector<std::string> argv{hprof_text_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    for (const std::string var : {"HOME", "XDG_CACHE_HOME", "TMPDIR"}) env.push_back(var + "=" + root_ + "/" + dir_of(var));
    return run_report(argv, env, RunOptions{.cwd = root_ + "/cwd"});
  }

  // Every file and directory under the scratch tree, with its size and
  // modification time.
  std::map<std::string, std::string> snapshot() const {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(root_)) {
      const std::string relative = fs::relative(entry.path(), root_).string();
      const auto size = entry.is_regular_file() ? entry.file_size() : 0;
      files[relative] = std::to_string(size) + "@" +
                        std::to_string(entry.last_write_time().time_since_epoch().count());
    }
    return files;
  }

  // What changed between two snapshots, as "+path", "-path" or "~path".
  static std::vector<std::string> changes(const std::map<std::string, std::string>& before,
                                          const std::map<std::string, std::string>& after) {
    std::vector<std::string> out;
    for (const auto& [path, state] : before) {
      auto it = after.find(path);
      if (it == after.end()) out.push_back("-" + path);
      else if (it->second != state) out.push_back("~" + path);
    }
    for (const auto& [path, state] : after) {
      if (!before.count(path)) out.push_back("+" + path);
    }
    return out;
  }

  std::string root_;
};

// The runs a test makes in each output mode: text, the flame graph, the
// proto and the trend (two dumps).
const std::vector<std::vector<std::string>>& modes() {
  static const std::vector<std::vector<std::string>> all{{}, {"--flamegraph"}, {"--proto"}, {"--trend"}};
  return all;
}

std::vector<std::string> with(std::vector<std::string> front, const std::vector<std::string>& back) {
  front.insert(front.end(), back.begin(), back.end());
  return front;
}

TEST_F(NoSideEffects, WithoutTheCacheNoModeRunsAProgramOpensASocketOrWritesAFile) {
  // Under the guard that kills at the first file opened for writing: each
  // run's output is the unguarded run's.
  for (const auto& mode : modes()) {
    const std::vector<std::string> args =
        with(with({"--no-cache"}, mode), {profile("first.heap"), profile("last.heap")});
    SCOPED_TRACE(::testing::PrintToString(args));
    const CommandResult free = run(args);
    ASSERT_EQ(free.exit_status, 0) << free.err;
    const CommandResult r = run(args, guarded("kill"));
    EXPECT_EQ(r.exit_status, 0) << "(" << kKilledBySigsys << ": killed by the guard)\n" << r.err;
    EXPECT_TRUE(r.out == free.out) << "the guarded run printed another report";
    EXPECT_EQ(r.err, free.err);
  }
}

TEST_F(NoSideEffects, WithTheCacheTheFirstRunWritesOnlyTheCacheAndAWarmRunWritesNothing) {
  for (const auto& mode : modes()) {
    const std::vector<std::string> args = with(mode, {profile("first.heap"), profile("last.heap")});
    SCOPED_TRACE(::testing::PrintToString(args));
    fs::remove_all(cache());
    const auto before = snapshot();
    const CommandResult first = run(args, guarded());
    ASSERT_EQ(first.exit_status, 0) << first.err;
    EXPECT_EQ(first.err, "");
    for (const std::string& change : changes(before, snapshot())) {
      EXPECT_TRUE(change.starts_with("+xdg/hprof-text") || change == "~xdg") << change;
    }
    EXPECT_FALSE(fs::is_empty(cache())) << "no index written";
    // Every index is there and good: a run that would write a file dies.
    const CommandResult warm = run(args, guarded("kill"));
    EXPECT_EQ(warm.exit_status, 0) << warm.err;
    EXPECT_TRUE(warm.out == first.out);
    EXPECT_EQ(warm.err, first.err);
  }
}

TEST_F(NoSideEffects, OutputSuffixWritesOnlyItsFilesAndTheCache) {
  const auto before = snapshot();
  const CommandResult r =
      run({"--output-suffix=.txt", E2E_WORKLOAD, profile("a.heap"), profile("first.heap")}, guarded());
  ASSERT_EQ(r.exit_status, 0) << r.err;
  std::vector<std::string> others;
  for (const std::string& change : changes(before, snapshot())) {
    if (change == "+profiles/a.heap.txt" || change == "+profiles/first.heap.txt" || change == "~profiles") continue;
    if (change.starts_with("+xdg/hprof-text") || change == "~xdg") continue;
    others.push_back(change);
  }
  EXPECT_EQ(others, std::vector<std::string>{});
  EXPECT_TRUE(fs::is_regular_file(profile("a.heap.txt")));
  EXPECT_TRUE(fs::is_regular_file(profile("first.heap.txt")));
}

// ---- a cache that cannot be written ----

// `err` is one warning: the index cache `dir` cannot be written, which costs
// only speed.
void expect_one_cache_warning(const std::string& err, const std::string& dir) {
  ASSERT_EQ(count_of(err, "\n"), 1u) << err;
  EXPECT_EQ(err.rfind("hprof-text: warning: symbol index not saved: cannot write " + dir, 0), 0u) << err;
  EXPECT_NE(err.find("only"), std::string::npos) << "does not say that it costs only speed: " << err;
}

TEST_F(NoSideEffects, ACacheUnderARegularFileIsOneWarningForTwoProfilesOfSeveralObjects) {
  // A path through a regular file cannot be a directory, not even for root.
  std::ofstream(root_ + "/xdg/file") << "not a directory\n";
  const std::string dir = root_ + "/xdg/file/sub";
  const std::vector<std::string> profiles{profile("a.heap"), profile("b.heap")};
  const CommandResult uncached = run(with({"--no-cache"}, profiles));
  ASSERT_EQ(uncached.exit_status, 0) << uncached.err;
  const CommandResult r = run(with({"--cache-dir=" + dir}, profiles), guarded());
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_TRUE(r.out == uncached.out) << r.out;
  expect_one_cache_warning(r.err, dir + "/");

  const auto before = snapshot();
  const CommandResult batch = run(with({"--cache-dir=" + dir, "--output-suffix=.txt"}, profiles), guarded());
  EXPECT_EQ(batch.exit_status, 0);
  expect_one_cache_warning(batch.err, dir + "/");
  EXPECT_EQ(changes(before, snapshot()),
            (std::vector<std::string>{"~profiles", "+profiles/a.heap.txt", "+profiles/b.heap.txt"}));
}

TEST_F(NoSideEffects, AReadOnlyFileSystemIsOneWarningAndTheSameReportInEveryMode) {
  for (const auto& mode : modes()) {
    const std::vector<std::string> args = with(mode, {profile("first.heap"), profile("last.heap")});
    SCOPED_TRACE(::testing::PrintToString(args));
    const CommandResult uncached = run(with({"--no-cache"}, args));
    ASSERT_EQ(uncached.exit_status, 0) << uncached.err;
    const CommandResult r = run(args, guarded("erofs"));
    EXPECT_EQ(r.exit_status, 0);
    EXPECT_TRUE(r.out == uncached.out);
    expect_one_cache_warning(r.err, cache() + "/");
  }
}

TEST_F(NoSideEffects, AReadOnlyCacheOfGoodIndexesIsReadWithoutAWarning) {
  const std::vector<std::string> args{"--show_bytes", profile("a.heap")};
  const CommandResult filled = run(args);
  ASSERT_EQ(filled.exit_status, 0) << filled.err;
  const CommandResult r = run(with({"--verbose"}, args), guarded("erofs"));
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_TRUE(r.out == filled.out);
  EXPECT_EQ(r.err.find("warning"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("index=read:" + cache() + "/"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace e2e
