// The command-line contract: exit statuses, what goes to stdout (the report
// only) and what to stderr (one line per cause).  run() is called in-process.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <thread>

#include "cli_harness.h"

namespace hprof {
namespace {

using testing::kHeader;
using testing::Outcome;
using testing::run_with;
using testing::two_objects_profile;
using testing::with_header;
using CliRun = testing::CliTest;

TEST_F(CliRun, HelpGoesToStdoutWithStatusZero) {
  Outcome o = run_with({"--help"});
  EXPECT_EQ(o.status, 0);
  EXPECT_NE(o.out.find("PROFILE"), std::string::npos);
  EXPECT_NE(o.out.find("--inuse_objects"), std::string::npos);
  EXPECT_TRUE(o.err.empty());
}

TEST_F(CliRun, VersionNamesTheTool) {
  Outcome o = run_with({"--version"});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out.rfind("hprof-text ", 0), 0u);
}

TEST_F(CliRun, NoArgumentsIsAUsageError) {
  Outcome o = run_with({});
  EXPECT_EQ(o.status, 2);
  EXPECT_TRUE(o.out.empty());
  EXPECT_EQ(o.err.rfind("hprof-text: error: ", 0), 0u);
}

TEST_F(CliRun, UnknownOptionIsAUsageError) {
  Outcome o = run_with({"--bogus", write("a.heap", kHeader)});
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("bogus"), std::string::npos);
  EXPECT_TRUE(o.out.empty());
}

TEST_F(CliRun, TwoSampleIndexesIsAUsageError) {
  Outcome o = run_with({"--inuse_objects", "--alloc_space", write("a.heap", kHeader)});
  EXPECT_EQ(o.status, 2);
  EXPECT_TRUE(o.out.empty());
}

TEST_F(CliRun, ProfileWithoutMapsIsReportedWithOneWarning) {
  std::string path = write("nomaps.heap", std::string(kHeader) +
                                             "   2:  2000 [   2:  2000] @ 0x1000 0x2000\n"
                                             "   1:  1000 [   1:  1000] @ 0x3000\n");
  Outcome o = run_with({"--show_bytes", path});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out,
            "Total: 3000 B\n"
            "    3000 100.0% 100.0%     3000 100.0% <unknown>\n");
  EXPECT_NE(o.err.find("no memory map"), std::string::npos);
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
}

TEST_F(CliRun, MissingMappedFileIsOneWarningAndTheReportIsPrinted) {
  std::string path = write("gone.heap", std::string(kHeader) +
                                           "   2:  2000 [   2:  2000] @ 0x7f0000001100\n"
                                           "   1:  1000 [   1:  1000] @ 0x7f0000002100\n"
                                           "\nMAPPED_LIBRARIES:\n"
                                           "7f0000000000-7f0000001000 r--p 00000000 08:01 42 /nonexistent/libgone.so.1\n"
                                           "7f0000001000-7f0000003000 r-xp 00001000 08:01 42 /nonexistent/libgone.so.1\n");
  Outcome o = run_with({"--show_bytes", path});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out,
            "Total: 3000 B\n"
            "    3000 100.0% 100.0%     3000 100.0% [libgone.so.1]\n");
  EXPECT_NE(o.err.find("/nonexistent/libgone.so.1"), std::string::npos);
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
}

TEST_F(CliRun, MissingFilesAreOneWarningNamingOnlyFilesThatHoldFrames) {
  // Two files with frames are gone, a third without frames is gone too: one
  // line for the two that matter.
  std::string path = write("gone3.heap", with_header("   2:  2000 [   2:  2000] @ 0x7f0000001100 0x7f0000011100\n"
                                                        "\nMAPPED_LIBRARIES:\n"
                                                        "7f0000001000-7f0000003000 r-xp 00001000 08:01 42 /nonexistent/liba.so\n"
                                                        "7f0000011000-7f0000013000 r-xp 00001000 08:01 43 /nonexistent/libb.so\n"
                                                        "7f0000021000-7f0000023000 r-xp 00001000 08:01 44 /nonexistent/libc.so\n"));
  Outcome o = run_with({"--show_bytes", path});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out,
            "Total: 2000 B\n"
            "    2000 100.0% 100.0%     2000 100.0% [liba.so]\n"
            "       0   0.0% 100.0%     2000 100.0% [libb.so]\n");
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
  EXPECT_NE(o.err.find("2 files with frames of " + path + " do not exist here (/nonexistent/liba.so, ...)"),
            std::string::npos)
      << o.err;
  EXPECT_NE(o.err.find("--lib_prefix"), std::string::npos) << o.err;
}

TEST_F(CliRun, JemallocDumpWithoutAllocCountsWarnsUnderAllocOptions) {
  // Recorded without prof_accum:true: every allocated pair is [0: 0].
  std::string path = write("noaccum.heap",
                           "heap_v2/1\n"
                           "  t*: 2: 300 [0: 0]\n"
                           "@ 0x7f0000001100\n"
                           "  t*: 2: 300 [0: 0]\n");
  Outcome alloc = run_with({"--show_bytes", "--alloc_space", path});
  EXPECT_EQ(alloc.status, 0);
  EXPECT_EQ(alloc.out, "Total: 0 B\n");
  EXPECT_NE(alloc.err.find("no allocation counts"), std::string::npos) << alloc.err;
  EXPECT_NE(alloc.err.find("prof_accum:true"), std::string::npos) << alloc.err;

  Outcome inuse = run_with({"--show_bytes", path});
  EXPECT_EQ(inuse.err.find("no allocation counts"), std::string::npos) << inuse.err;
}

TEST_F(CliRun, DeviceFilesInTheMapsAreNeverOpened) {
  // Opening a device named by a profile once hung the Go pprof; it is only a label here.
  std::string path = write("dev.heap", std::string(kHeader) +
                                          "   3:  3000 [   3:  3000] @ 0x7f0000000100\n"
                                          "\nMAPPED_LIBRARIES:\n"
                                          "7f0000000000-7f0000001000 r-xs 00000000 00:05 7 /dev/zero\n");
  Outcome o = run_with({"--show_bytes", path});
  EXPECT_EQ(o.status, 0);
  EXPECT_NE(o.out.find("[zero]"), std::string::npos);
  EXPECT_TRUE(o.err.empty()) << o.err;
}

TEST_F(CliRun, AnonymousExecutableMemoryIsOneJitRow) {
  std::string path = write("jit.heap", std::string(kHeader) +
                                          "   2:  2000 [   2:  2000] @ 0x7f0000000100\n"
                                          "   1:  1000 [   1:  1000] @ 0x7f0000000200\n"
                                          "\nMAPPED_LIBRARIES:\n"
                                          "7f0000000000-7f0000001000 rwxp 00000000 00:00 0\n");
  Outcome o = run_with({"--show_bytes", path});
  EXPECT_EQ(o.out,
            "Total: 3000 B\n"
            "    3000 100.0% 100.0%     3000 100.0% [anon:jit]\n");
}

TEST_F(CliRun, EmptyStacksCountInTotalWithOneWarning) {
  std::string path = write("empty-stack.heap", std::string(kHeader) +
                                                  "   1:  1000 [   1:  1000] @\n"
                                                  "   2:  2000 [   2:  2000] @ 0x1000\n"
                                                  "\nMAPPED_LIBRARIES:\n");
  Outcome o = run_with({"--show_bytes", path});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out.rfind("Total: 3000 B\n", 0), 0u) << o.out;
  EXPECT_NE(o.err.find("empty stack"), std::string::npos);
}

TEST_F(CliRun, SingleDashLongOptionsWorkAsInPprof) {
  std::string path = write("a.heap", std::string(kHeader) + "   3:  3000 [   3:  3000] @ 0x1000\n");
  Outcome o = run_with({"-text", "-inuse_objects", path});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out.rfind("Total: 3 objects\n", 0), 0u) << o.out;
}

TEST_F(CliRun, SeveralProfilesAreSummed) {
  std::string a = write("a.heap", std::string(kHeader) + "   3:  3000 [   3:  3000] @ 0x1000\n");
  std::string b = write("b.heap", std::string(kHeader) + "   1:  1000 [   1:  1000] @ 0x1000\n");
  Outcome o = run_with({"--show_bytes", a, b});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out.rfind("Total: 4000 B\n", 0), 0u) << o.out;
}

TEST_F(CliRun, AnErrorInTheSecondProfilePrintsNoReport) {
  std::string a = write("a.heap", std::string(kHeader) + "   3:  3000 [   3:  3000] @ 0x1000\n");
  Outcome o = run_with({a, (dir_ / "missing.heap").string()});
  EXPECT_EQ(o.status, 1);
  EXPECT_TRUE(o.out.empty());
}

TEST_F(CliRun, BaseIsSubtracted) {
  std::string now = write("now.heap", std::string(kHeader) + "   3:  3000 [   3:  3000] @ 0x1000\n");
  std::string before = write("before.heap", std::string(kHeader) + "   1:  1000 [   1:  1000] @ 0x1000\n");
  Outcome o = run_with({"--show_bytes", "--base=" + before, now});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out,
            "Total: 2000 B\n"
            "    2000 100.0% 100.0%     2000 100.0% <unknown>\n");
}

TEST_F(CliRun, BaseOfAnotherRunCancelsInEveryGranularity) {
  // The same code loaded at other addresses: equal (object, offset) cancel.
  std::string now = write("now.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  std::string before = write("before.heap", two_objects_profile("3000", "1000", 0x7f5500000000));
  for (const char* granularity : {"--functions", "--lines", "--addresses", "--files"}) {
    Outcome o = run_with({"--show_bytes", granularity, "--base=" + before, now});
    EXPECT_EQ(o.status, 0) << o.err;
    EXPECT_EQ(o.out, "Total: 0 B\n") << granularity;
  }
}

TEST_F(CliRun, AddressesShowThePcMinusOneOfTheProfileNotOfTheBase) {
  std::string now = write("now.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  std::string before = write("before.heap", two_objects_profile("1000", "1000", 0x7f5500000000));
  Outcome o = run_with({"--show_bytes", "--addresses", "--base=" + before, now});
  EXPECT_EQ(o.out,
            "Total: 2000 B\n"
            "    2000 100.0% 100.0%     2000 100.0% 0x00007f0000001100 [libgone.so.1]\n");
}

TEST_F(CliRun, ShrunkRowsAreNegativeAndDropNegativeHidesThem) {
  std::string now = write("now.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  std::string before = write("before.heap", two_objects_profile("1000", "1500", 0x7f5500000000));
  EXPECT_EQ(run_with({"--show_bytes", "--base=" + before, now}).out,
            "Total: 1500 B\n"
            "    2000 133.3% 133.3%     2000 133.3% [libgone.so.1]\n"
            "    -500 -33.3% 100.0%     -500 -33.3% [libother.so]\n");
  EXPECT_EQ(run_with({"--show_bytes", "--drop_negative", "--base=" + before, now}).out,
            "Total: 1500 B\n"
            "    2000 133.3% 133.3%     2000 133.3% [libgone.so.1]\n");
}

TEST_F(CliRun, FocusKeepsMatchingSamplesAndTheTotal) {
  // "libgone" is only in the object's path.
  std::string path = write("two.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  Outcome o = run_with({"--show_bytes", "--focus=libgone", path});
  EXPECT_EQ(o.out,
            "Total: 4000 B\n"
            "    3000  75.0%  75.0%     3000  75.0% [libgone.so.1]\n");
}

TEST_F(CliRun, IgnoreDropsMatchingSamplesAndKeepsTheTotal) {
  std::string path = write("two.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  Outcome o = run_with({"--show_bytes", "--ignore=libgone", path});
  EXPECT_EQ(o.out,
            "Total: 4000 B\n"
            "    1000  25.0%  25.0%     1000  25.0% [libother.so]\n");
}

TEST_F(CliRun, FocusThatMatchesNothingIsOneWarning) {
  std::string path = write("a.heap", std::string(kHeader) + "   3:  3000 [   3:  3000] @ 0x1000\n");
  Outcome o = run_with({"--show_bytes", "--focus=zzz", path});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, "Total: 3000 B\n");
  EXPECT_NE(o.err.find("hprof-text: warning: --focus=zzz matched no samples\n"), std::string::npos) << o.err;
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 2) << o.err;  // and the no-maps warning
}

TEST_F(CliRun, InvalidFocusIsAUsageError) {
  Outcome o = run_with({"--focus=(", write("a.heap", kHeader)});
  EXPECT_EQ(o.status, 2);
  EXPECT_TRUE(o.out.empty());
  EXPECT_NE(o.err.find("invalid regular expression '('"), std::string::npos) << o.err;
}

TEST_F(CliRun, AFifoAsFirstArgumentIsAProfileAndIsOpenedOnce) {
  // Checking whether the first argument is an ELF program must not open a
  // FIFO: the writer's one text would be taken by the check and the profile
  // reader would then wait for a writer forever.
  std::string fifo = (dir_ / "pipe").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string profile = write("a.heap", std::string(kHeader) + "   3:  3000 [   3:  3000] @ 0x1000\n");
  std::thread writer([&] { std::ofstream(fifo) << "not a profile\n"; });
  std::future<Outcome> outcome = std::async(std::launch::async, [&] { return run_with({fifo, profile}); });
  const bool returned = outcome.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
  // A reader stuck on the FIFO gets a writer that closes at once: end of file.
  while (outcome.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
    int fd = open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0) close(fd);
  }
  // A writer nobody read from gets a reader (kept open until it has written).
  int reader = open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  writer.join();
  if (reader >= 0) close(reader);
  ASSERT_TRUE(returned) << "run() blocked on the FIFO";
  Outcome o = outcome.get();
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.err.rfind("hprof-text: error: " + fifo + ":1: ", 0), 0u) << o.err;
  EXPECT_TRUE(o.out.empty());
}

TEST_F(CliRun, ARelativeProgramIsMadeAbsolute) {
  // Being no real ELF file, it is named in a warning by its absolute path:
  // the message says which file was read, whatever the current directory.
  write("prog", std::string("\x7f" "ELF") + std::string(60, '\0'));
  std::string profile = write("app.heap", std::string(kHeader) +
                                             "   3:  3000 [   3:  3000] @ 0x5560000001100\n"
                                             "\nMAPPED_LIBRARIES:\n"
                                             "5560000001000-5560000003000 r-xp 00001000 08:01 42 /nonexistent/app\n");
  const std::filesystem::path cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir_);
  Outcome o = run_with({"--show_bytes", "prog", "app.heap"});
  std::filesystem::current_path(cwd);
  EXPECT_EQ(o.status, 0) << o.err;
  const std::string absolute = (dir_ / "prog").string();
  EXPECT_EQ(o.err.rfind("hprof-text: warning: " + absolute + ": ", 0), 0u) << o.err;
  EXPECT_EQ(o.out,
            "Total: 3000 B\n"
            "    3000 100.0% 100.0%     3000 100.0% [prog]\n");
}

}  // namespace
}  // namespace hprof
