// Several profiles are read once, ahead of the report (driver/heap_loader.h):
// what reading each one says still comes at its turn, in order, an error in
// a later profile after the warnings of those before it, and a FIFO is read
// at its turn, once.  run() in-process.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>
#include <thread>

#include "cli_harness.h"

namespace hprof {
namespace {

using testing::run_with;
using testing::with_header;
using CliReadAhead = testing::CliTest;

// A profile whose reading warns "PATH:1: `note`": its only mapping a device, never opened.
std::string warning_profile(const std::string& note, const std::string& bytes) {
  return "%warn " + note + "\n" +
         with_header("   3: " + bytes + " [   3: " + bytes + "] @ 0x7f0000000100\n" +
                     "\nMAPPED_LIBRARIES:\n7f0000000000-7f0000001000 r-xs 00000000 00:05 7 /dev/zero\n");
}

TEST_F(CliReadAhead, EachProfilesWarningsComeAtItsTurnAndOnce) {
  const std::string a = write("a.heap", warning_profile("first", "300"));
  const std::string b = write("b.heap", warning_profile("second", "100"));
  const testing::Outcome o = run_with({"--trend", a, b, a});
  EXPECT_EQ(o.status, 0) << o.err;
  const std::size_t first = o.err.find(a + ":1: first");
  const std::size_t second = o.err.find(b + ":1: second");
  ASSERT_NE(first, std::string::npos) << o.err;
  ASSERT_NE(second, std::string::npos) << o.err;
  EXPECT_LT(first, second) << o.err;
  EXPECT_EQ(o.err.find(a + ":1: first", first + 1), std::string::npos) << o.err;  // once, as before
}

TEST_F(CliReadAhead, AnErrorInALaterProfileFollowsTheWarningsBeforeIt) {
  const std::string a = write("a.heap", warning_profile("first", "300"));
  const std::string bad = write("bad.heap", "%warn before the error\nnot a heap profile\n");
  const testing::Outcome o = run_with({a, bad});
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.out, "");
  const std::size_t first = o.err.find(a + ":1: first");
  const std::size_t before = o.err.find(bad + ":1: before the error");
  const std::size_t error = o.err.find("hprof-text: error: " + bad);
  ASSERT_NE(first, std::string::npos) << o.err;
  ASSERT_NE(before, std::string::npos) << o.err;
  ASSERT_NE(error, std::string::npos) << o.err;
  EXPECT_LT(first, before) << o.err;
  EXPECT_LT(before, error) << o.err;
}

TEST_F(CliReadAhead, AFifoIsReadAtItsTurnOnly) {
  const std::string a = write("a.heap", warning_profile("first", "300"));
  const std::string fifo = (dir_ / "b.fifo").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&fifo] { std::ofstream(fifo, std::ios::binary) << warning_profile("second", "100"); });
  const testing::Outcome o = run_with({a, fifo});
  writer.join();
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_LT(o.err.find(a + ":1: first"), o.err.find(fifo + ":1: second")) << o.err;
  EXPECT_NE(o.out.find("Total: 0.0 MB"), std::string::npos) << o.out;
}

}  // namespace
}  // namespace hprof
