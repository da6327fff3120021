// The output modes on the command line: --text (the default), --collapsed,
// --flamegraph, --trend and --trend-chart, one at a time, each but the trends
// through --output-suffix too.
// run() in-process.
#include <gtest/gtest.h>

#include <numeric>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "../support/svg_reader.h"
#include "cli_harness.h"

namespace hprof {
namespace {

using testing::kHeader;
using testing::Outcome;
using testing::read_file;
using testing::run_with;
using testing::two_objects_profile;
using CliOutputMode = testing::CliTest;

// The sum of the values of folded-stack lines.
int64_t folded_sum(const std::string& folded) {
  std::istringstream in(folded);
  int64_t sum = 0;
  for (std::string line; std::getline(in, line);) sum += std::stoll(line.substr(line.rfind(' ') + 1));
  return sum;
}

TEST_F(CliOutputMode, TwoModesAreAUsageErrorNamingBoth) {
  const std::string a = write("a.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  for (auto [first, second] : std::vector<std::pair<std::string, std::string>>{
           {"--text", "--collapsed"}, {"--collapsed", "--flamegraph"}, {"--flamegraph", "--text"},
           {"--trend", "--text"}, {"--flamegraph", "--trend"}, {"--proto", "--collapsed"}, {"--trend-chart", "--trend"},
           {"--collapsed", "--trend-chart"}}) {
    Outcome o = run_with({first, second, a, a});
    EXPECT_EQ(o.status, 2) << first << " " << second;
    EXPECT_TRUE(o.out.empty());
    EXPECT_EQ(o.err.rfind("hprof-text: error: ", 0), 0u) << o.err;
    EXPECT_NE(o.err.find(first), std::string::npos) << o.err;
    EXPECT_NE(o.err.find(second), std::string::npos) << o.err;
  }
}

TEST_F(CliOutputMode, TextIsTheDefault) {
  const std::string a = write("a.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  Outcome plain = run_with({"--show_bytes", a});
  Outcome text = run_with({"--show_bytes", "--text", a});
  ASSERT_EQ(plain.status, 0) << plain.err;
  EXPECT_EQ(plain.out.rfind("Total: 4000 B\n", 0), 0u) << plain.out;
  EXPECT_EQ(text.out, plain.out);
}

TEST_F(CliOutputMode, CollapsedPrintsOneLinePerStackSummingToTheTextTotal) {
  const std::string a = write("a.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  Outcome o = run_with({"--collapsed", a});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out, "[libgone.so.1] 3000\n[libother.so] 1000\n");
  EXPECT_EQ(folded_sum(o.out), 4000);
}

TEST_F(CliOutputMode, ModeFlagsTakeOneDashAsPprofFlags) {
  const std::string a = write("a.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  EXPECT_EQ(run_with({"-collapsed", a}).out, run_with({"--collapsed", a}).out);
}

TEST_F(CliOutputMode, CollapsedValuesAreTheChosenSample) {
  // Two objects of 3000 bytes in one record, one of 1000 in the other.
  const std::string a = write("a.heap", std::string(kHeader) +
                                            "   2:   3000 [   2:   3000] @ 0x7f0000001101\n"
                                            "   1:   1000 [   1:   1000] @ 0x7f0000010101\n"
                                            "\nMAPPED_LIBRARIES:\n"
                                            "7f0000001000-7f0000003000 r-xp 00001000 08:01 42 /nonexistent/libgone.so.1\n"
                                            "7f0000010000-7f0000011000 r-xp 00000000 08:01 43 /nonexistent/libother.so\n");
  Outcome o = run_with({"--collapsed", "--inuse_objects", a});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out, "[libgone.so.1] 2\n[libother.so] 1\n");
}

TEST_F(CliOutputMode, FlamegraphIsAWellFormedSvgOnStdoutNamingTheProfile) {
  const std::string a = write("a.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  Outcome o = run_with({"--flamegraph", a});
  ASSERT_EQ(o.status, 0) << o.err;
  svg::Document doc = svg::read(o.out);
  ASSERT_TRUE(doc.well_formed) << doc.error;
  EXPECT_EQ(doc.texts[0], "Flame graph of " + a + " (in-use space)");
  EXPECT_TRUE(svg::frame_named(doc, "[libgone.so.1]"));
  EXPECT_TRUE(svg::frame_named(doc, "[libother.so]"));
}

TEST_F(CliOutputMode, FocusLeavesOtherStacksOutWhileTotalStaysTheWholeProfile) {
  const std::string a = write("a.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  EXPECT_EQ(run_with({"--collapsed", "--focus=gone", a}).out, "[libgone.so.1] 3000\n");
  svg::Document doc = svg::read(run_with({"--flamegraph", "--show_bytes", "--focus=gone", a}).out);
  ASSERT_GE(doc.texts.size(), 2u);
  EXPECT_EQ(doc.texts[1], "Total: 4000 B. In the graph: 3000 B, 75.0% of Total, 1 frames drawn.");
  EXPECT_FALSE(svg::frame_named(doc, "[libother.so]"));
}

TEST_F(CliOutputMode, BaseMakesSignedStacksAndTheFlamegraphTitleNamesIt) {
  const std::string now = write("now.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  const std::string base = write("base.heap", two_objects_profile("1000", "1500", 0x7f0000000000));
  EXPECT_EQ(run_with({"--collapsed", "--base=" + base, now}).out, "[libgone.so.1] 2000\n[libother.so] -500\n");
  EXPECT_EQ(run_with({"--collapsed", "--drop_negative", "--base=" + base, now}).out, "[libgone.so.1] 2000\n");
  svg::Document doc = svg::read(run_with({"--flamegraph", "--base=" + base, now}).out);
  EXPECT_EQ(doc.texts[0], "Flame graph of " + now + " - " + base + " (in-use space)");
  EXPECT_NE(doc.texts[2].find("1 stacks that shrank not drawn"), std::string::npos) << doc.texts[2];
}

TEST_F(CliOutputMode, OutputSuffixWritesEachProfilesOwnOutputInEveryMode) {
  const std::string a = write("a.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  const std::string b = write("b.heap", two_objects_profile("5000", "7000", 0x7f0000000000));
  for (auto [mode, suffix] : std::vector<std::pair<std::string, std::string>>{
           {"--text", ".txt"}, {"--collapsed", ".folded"}, {"--flamegraph", ".svg"}}) {
    Outcome batch = run_with({mode, "--output-suffix=" + suffix, a, b});
    EXPECT_EQ(batch.status, 0) << batch.err;
    EXPECT_EQ(batch.out, "");
    for (const std::string& profile : {a, b}) {
      const std::string single = run_with({mode, profile}).out;
      ASSERT_FALSE(single.empty());
      EXPECT_EQ(read_file(profile + suffix), single) << mode << " " << profile;
    }
  }
}

TEST_F(CliOutputMode, EmptyStacksAreAFrameOfTheirOwnAndTheWarningSaysSo) {
  // One record without a stack, one at an address outside every mapping.
  const std::string a = write("a.heap", std::string(kHeader) +
                                            "   1:   700 [   1:   700] @\n"
                                            "   1:   300 [   1:   300] @ 0x10\n"
                                            "\nMAPPED_LIBRARIES:\n");
  Outcome o = run_with({"--collapsed", a});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("[empty stack] 700\n"), std::string::npos) << o.out;
  EXPECT_EQ(folded_sum(o.out), 1000);
  EXPECT_NE(o.err.find("1 record(s) have an empty stack: they count in Total as the frame [empty stack]"),
            std::string::npos)
      << o.err;
}

}  // namespace
}  // namespace hprof
