// --perf-map: JIT code named from perf maps, through run() in-process, on a
// small profile whose JIT code a hand-written map names (the real JVM is in
// tests/e2e/jvm_perf_map_test.cc).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli_harness.h"

namespace hprof {
namespace {

using testing::kHeader;
using testing::Outcome;
using testing::run_with;
using CliPerfMap = testing::CliTest;

// Stacks through JIT code at 0x7f0000000000 (leaf first):
//   3000 B: Deflater.<init> <- Leak.leak <- Interpreter   (1000 B + 2000 B)
//   4000 B: an address that kMap does not cover
constexpr const char* kJitProfile =
    "heap profile:    7:     7000 [     7:     7000] @ heapprofile\n"
    "   1:  1000 [   1:  1000] @ 0x7f0000000111 0x7f0000000211 0x7f0000000311\n"
    "   2:  2000 [   2:  2000] @ 0x7f0000000121 0x7f0000000221 0x7f0000000311\n"
    "   4:  4000 [   4:  4000] @ 0x7f0000000911\n"
    "\nMAPPED_LIBRARIES:\n"
    "7f0000000000-7f0000001000 rwxp 00000000 00:00 0\n";

constexpr const char* kMap =
    "0x00007f0000000100 0x0000000000000080 void java.util.zip.Deflater.<init>(int, boolean)\n"
    "0x00007f0000000200 0x0000000000000080 int Leak.leak(byte[])\n"
    "0x00007f0000000300 0x0000000000000080 Interpreter\n";

TEST_F(CliPerfMap, JitCodeIsNamedFromTheMapAndWhatItDoesNotCoverIsOneWarning) {
  Outcome o = run_with({"--show_bytes", "--perf-map=" + write("perf-1.map", kMap), write("jit.heap", kJitProfile)});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out,
            "Total: 7000 B\n"
            "    4000  57.1%  57.1%     4000  57.1% [anon:jit]\n"
            "    3000  42.9% 100.0%     3000  42.9% java.util.zip.Deflater.<init>\n"
            "       0   0.0% 100.0%     3000  42.9% Interpreter\n"
            "       0   0.0% 100.0%     3000  42.9% Leak.leak\n");
  EXPECT_EQ(o.err, "hprof-text: warning: " + (dir_ / "jit.heap").string() +
                       ": 1 of the 6 distinct PCs in JIT code are in no entry of the perf map; they stay [anon:jit] "
                       "(code compiled after the map was written or freed before it: write the map when the dump "
                       "is written, e.g. jcmd <pid> Compiler.perfmap)\n");
}

TEST_F(CliPerfMap, WithoutAMapJitCodeIsOneRow) {
  Outcome o = run_with({"--show_bytes", write("jit.heap", kJitProfile)});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out,
            "Total: 7000 B\n"
            "    7000 100.0% 100.0%     7000 100.0% [anon:jit]\n");
  EXPECT_EQ(o.err, "");
}

TEST_F(CliPerfMap, LinesAndAddressesShowJavaFramesWithoutFileAndLine) {
  const std::string map = "--perf-map=" + write("perf-1.map", kMap), profile = write("jit.heap", kJitProfile);
  Outcome lines = run_with({"--show_bytes", "--lines", map, profile});
  EXPECT_NE(lines.out.find("42.9% java.util.zip.Deflater.<init>\n"), std::string::npos) << lines.out;
  Outcome addresses = run_with({"--show_bytes", "--addresses", map, profile});
  EXPECT_NE(addresses.out.find("    2000  28.6%  85.7%     2000  28.6% 0x00007f0000000120 java.util.zip.Deflater.<init>\n"),
            std::string::npos)
      << addresses.out;
  EXPECT_NE(addresses.out.find("       0   0.0% 100.0%     3000  42.9% 0x00007f0000000310 Interpreter\n"),
            std::string::npos)
      << addresses.out;
}

TEST_F(CliPerfMap, FilesPutJavaFramesInTheJitRow) {
  // Java frames have no source file: their object is the JIT code.
  Outcome o = run_with({"--show_bytes", "--files", "--perf-map=" + write("perf-1.map", kMap),
                        write("jit.heap", kJitProfile)});
  EXPECT_EQ(o.out,
            "Total: 7000 B\n"
            "    7000 100.0% 100.0%     7000 100.0% [anon:jit]\n");
}

TEST_F(CliPerfMap, FocusMatchesJavaNamesAndTheJitObject) {
  const std::string map = "--perf-map=" + write("perf-1.map", kMap), profile = write("jit.heap", kJitProfile);
  Outcome java = run_with({"--show_bytes", "--focus=Leak\\.leak", map, profile});
  EXPECT_NE(java.out.find("   3000  42.9%  42.9%     3000  42.9% java.util.zip.Deflater.<init>\n"), std::string::npos)
      << java.out;
  EXPECT_EQ(java.out.find("[anon:jit]"), std::string::npos) << java.out;
  Outcome jit = run_with({"--show_bytes", "--focus=anon:jit", map, profile});
  EXPECT_NE(jit.out.find("   4000  57.1%  57.1%     4000  57.1% [anon:jit]\n"), std::string::npos) << jit.out;
  EXPECT_NE(jit.out.find("java.util.zip.Deflater.<init>\n"), std::string::npos) << jit.out;
}

TEST_F(CliPerfMap, VerboseCountsThePcsTheMapNamed) {
  Outcome o = run_with({"--verbose", "--perf-map=" + write("perf-1.map", kMap), write("jit.heap", kJitProfile)});
  EXPECT_NE(o.err.find("hprof-text:   7f0000000000-7f0000001000 (anonymous): names=perf-map pcs=6 named=5 "
                       "placeholders=1\n"),
            std::string::npos)
      << o.err;
}

TEST_F(CliPerfMap, AMapThatCoversNothingIsOneWarningAndNamesNothing) {
  Outcome o = run_with({"--show_bytes", "--perf-map=" + write("other.map", "0x1000 0x100 void a.B.c()\n"),
                        write("jit.heap", kJitProfile)});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out,
            "Total: 7000 B\n"
            "    7000 100.0% 100.0%     7000 100.0% [anon:jit]\n");
  EXPECT_EQ(o.err, "hprof-text: warning: " + (dir_ / "jit.heap").string() +
                       ": none of the 6 distinct PCs in JIT code is in an entry of the perf map; they stay "
                       "[anon:jit] (is it the map of the process that wrote this dump? HotSpot writes "
                       "/tmp/perf-<pid>.map)\n");
}

TEST_F(CliPerfMap, AProfileWithoutJitPcsIsOneWarning) {
  const std::string profile = write("native.heap", std::string(kHeader) +
                                                       "   3:  3000 [   3:  3000] @ 0x7f0000000100\n"
                                                       "\nMAPPED_LIBRARIES:\n"
                                                       "7f0000000000-7f0000001000 r-xs 00000000 00:05 7 /dev/zero\n");
  Outcome o = run_with({"--show_bytes", "--perf-map=" + write("perf-1.map", kMap), profile});
  EXPECT_EQ(o.status, 0);
  EXPECT_NE(o.out.find("[zero]"), std::string::npos) << o.out;
  EXPECT_EQ(o.err, "hprof-text: warning: " + profile +
                       ": no PC of the profile is in anonymous executable memory (JIT code), so the perf map names "
                       "nothing here (is it the dump of a JIT process, such as a JVM?)\n");
}

TEST_F(CliPerfMap, AMapThatIsALogNamesEachAddressByItsLatestEntry) {
  // V8's --perf-basic-prof appends for the life of the process: code that
  // was at Leak.leak's address before, and a stub logged there earlier.
  const std::string log = write("perf-1.map",
                                "0x00007f0000000200 0x0000000000000100 void Gone.code()\n"
                                "0x00007f0000000300 0x0000000000000080 stub\n" +
                                    std::string(kMap));
  Outcome o = run_with({"--show_bytes", "--verbose", "--perf-map=" + log, write("jit.heap", kJitProfile)});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("       0   0.0% 100.0%     3000  42.9% Leak.leak\n"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("       0   0.0% 100.0%     3000  42.9% Interpreter\n"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("Gone.code"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("stub"), std::string::npos) << o.out;
  EXPECT_NE(o.err.find("hprof-text:   " + log + ": a log: 2 entries are replaced at their addresses by later ones "
                       "with other names (a JIT that reuses code memory); each address is named by its latest "
                       "entry\n"),
            std::string::npos)
      << o.err;
  EXPECT_EQ(o.err.find("different names"), std::string::npos) << o.err;
}

TEST_F(CliPerfMap, AWarningAboutTheMapIsSaidOncePerRunNotOncePerDumpOfATrend) {
  const std::string map = "--perf-map=" + write("perf-1.map", kMap);
  Outcome o = run_with({"--trend", "--show_bytes", map, write("jit.1.heap", kJitProfile), write("jit.2.heap", kJitProfile)});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.err, "hprof-text: warning: " + (dir_ / "jit.1.heap").string() +
                       ": 1 of the 6 distinct PCs in JIT code are in no entry of the perf map; they stay [anon:jit] "
                       "(code compiled after the map was written or freed before it: write the map when the dump "
                       "is written, e.g. jcmd <pid> Compiler.perfmap)\n");
}

TEST_F(CliPerfMap, EntriesOfTwoMapsWithDifferentNamesOverAnAddressLeaveItUnnamedWithOneWarning) {
  // A second map, written after the JIT reused Leak.leak's memory.
  const std::string first = write("perf-1.map", kMap);
  const std::string later = write("perf-1-later.map", "0x00007f0000000200 0x0000000000000080 void Other.code()\n");
  Outcome o = run_with({"--show_bytes", "--perf-map=" + first, "--perf-map=" + later, write("jit.heap", kJitProfile)});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out.find("Leak.leak"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("Other.code"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("    4000  57.1%  57.1%     7000 100.0% [anon:jit]\n"), std::string::npos) << o.out;
  EXPECT_NE(o.err.find(": 2 distinct PCs in JIT code are covered by entries of different perf maps with different "
                       "names, e.g. " + first + ":2 'int Leak.leak(byte[])' and " + later + ":1 'void Other.code()'; "
                       "they stay [anon:jit]"),
            std::string::npos)
      << o.err;
}

TEST_F(CliPerfMap, AMalformedLineIsOneWarningAndTheOtherLinesStillName) {
  const std::string map =
      write("perf-1.map", std::string(kMap).insert(std::string(kMap).find("0x00007f0000000300"), "garbage\n"));
  Outcome o = run_with({"--show_bytes", "--perf-map=" + map, write("jit.heap", kJitProfile)});
  EXPECT_EQ(o.status, 0);
  EXPECT_NE(o.err.find("hprof-text: warning: " + map + ":3: START 'garbage' is not a hex number in 'garbage': line skipped"), std::string::npos)
      << o.err;
  EXPECT_NE(o.out.find("java.util.zip.Deflater.<init>\n"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("Interpreter\n"), std::string::npos) << o.out;
}

TEST_F(CliPerfMap, AMissingMapIsAnInputErrorAndNoReport) {
  const std::string missing = (dir_ / "perf-404.map").string();
  Outcome o = run_with({"--perf-map=" + missing, write("jit.heap", kJitProfile)});
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "hprof-text: error: " + missing +
                       ": cannot read the perf map (--perf-map): No such file or directory\n");
}

TEST_F(CliPerfMap, AMissingMapInBatchModeWritesNoReport) {
  const std::string missing = (dir_ / "perf-404.map").string(), profile = write("jit.heap", kJitProfile);
  Outcome o = run_with({"--output-suffix=.txt", "--perf-map=" + missing, profile});
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.err, "hprof-text: error: " + missing +
                       ": cannot read the perf map (--perf-map): No such file or directory (no report written)\n");
  EXPECT_FALSE(std::filesystem::exists(profile + ".txt"));
}

}  // namespace
}  // namespace hprof
