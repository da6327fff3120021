// --trend and --trend-chart on the command line: one column (or point) per
// profile, each the value that the single-profile report gives that row;
// usage errors for what a trend cannot mean; nothing on stdout when a
// profile cannot be read.  run()
// in-process.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../support/svg_reader.h"
#include "cli_harness.h"

namespace hprof {
namespace {

using testing::kHeader;
using testing::Outcome;
using testing::run_with;
using testing::two_objects_profile;
using CliTrend = testing::CliTest;

TEST_F(CliTrend, OneColumnPerProfileInTheOrderGivenSortedByGrowth) {
  // libgone grows 1000 -> 2000 -> 4000; libother shrinks 5000 -> 5000 -> 1000.
  std::string a = write("a.heap", two_objects_profile("1000", "5000", 0x7f0000000000));
  std::string b = write("b.heap", two_objects_profile("2000", "5000", 0x7f1100000000));
  std::string c = write("c.heap", two_objects_profile("4000", "1000", 0x7f2200000000));
  Outcome o = run_with({"--trend", "--show_bytes", a, b, c});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out,
            "Trend of flat inuse_space (B) over 3 dumps (*.heap); change = last - first; +: grew in every step\n"
            "       a        b        c   change\n"
            "    6000     7000     5000    -1000   Total\n"
            "    1000     2000     4000    +3000 + [libgone.so.1]\n"
            "    5000     5000     1000    -4000   [libother.so]\n");
}

TEST_F(CliTrend, FocusAndGranularityApplyToEachDump) {
  // Another layout in b.heap: address rows join by object and offset and
  // show the first dump's address.
  std::string a = write("a.heap", two_objects_profile("1000", "5000", 0x7f0000000000));
  std::string b = write("b.heap", two_objects_profile("2000", "6000", 0x7f1100000000));
  Outcome o = run_with({"--trend", "--show_bytes", "--addresses", "--focus=libgone", a, b});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out,
            "Trend of flat inuse_space (B) over 2 dumps (*.heap); change = last - first; +: grew in every step\n"
            "       a        b   change\n"
            "    6000     8000    +2000 + Total\n"
            "    1000     2000    +1000 + 0x00007f0000001100 [libgone.so.1]\n");
}

TEST_F(CliTrend, AFocusThatMatchesInOneDumpIsNoWarning) {
  std::string a = write("a.heap", two_objects_profile("1000", "5000", 0x7f0000000000));
  std::string b = write("b.heap", std::string(kHeader) + "   3:  3000 [   3:  3000] @ 0x1000\n");
  Outcome o = run_with({"--trend", "--focus=libgone", a, b});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.err.find("matched no samples"), std::string::npos) << o.err;
  Outcome none = run_with({"--trend", "--focus=zzz", a, b});
  EXPECT_NE(none.err.find("hprof-text: warning: --focus=zzz matched no samples\n"), std::string::npos) << none.err;
}

TEST_F(CliTrend, DropNegativeHidesTheRowsThatShrankOverTheSeries) {
  std::string a = write("a.heap", two_objects_profile("1000", "5000", 0x7f0000000000));
  std::string b = write("b.heap", two_objects_profile("2000", "1000", 0x7f0000000000));
  Outcome o = run_with({"--trend", "--show_bytes", "--drop_negative", a, b});
  EXPECT_EQ(o.out,
            "Trend of flat inuse_space (B) over 2 dumps (*.heap); change = last - first; +: grew in every step\n"
            "       a        b   change\n"
            "    6000     3000    -3000   Total\n"
            "    1000     2000    +1000 + [libgone.so.1]\n");
}

TEST_F(CliTrend, AnUnreadableProfileIsBadInputAndPrintsNothing) {
  std::string a = write("a.heap", two_objects_profile("1000", "5000", 0x7f0000000000));
  std::string missing = (dir_ / "missing.heap").string();
  Outcome o = run_with({"--trend", a, missing});
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.out, "");
  EXPECT_NE(o.err.find("hprof-text: error: " + missing + ": No such file or directory\n"), std::string::npos)
      << o.err;
}

TEST_F(CliTrend, TrendChartDrawsTheRowsThatGrewFromTheSameTrend) {
  // libgone grows 1000 -> 2000 -> 4000 bytes; libother shrinks.
  std::string a = write("a.heap", two_objects_profile("1000", "5000", 0x7f0000000000));
  std::string b = write("b.heap", two_objects_profile("2000", "5000", 0x7f1100000000));
  std::string c = write("c.heap", two_objects_profile("4000", "1000", 0x7f2200000000));
  Outcome o = run_with({"--trend-chart", "--show_bytes", a, b, c});
  ASSERT_EQ(o.status, 0) << o.err;
  svg::Document doc = svg::read(o.out);
  ASSERT_TRUE(doc.well_formed) << doc.error;
  EXPECT_EQ(doc.texts_by_class["title"].at(0), "Trend of flat inuse_space (B) over 3 dumps (*.heap)");
  ASSERT_EQ(doc.series.size(), 2u);
  EXPECT_EQ(doc.series[0].name, "Total");
  EXPECT_EQ(doc.series[1].name, "[libgone.so.1]");
  EXPECT_EQ(doc.series[1].points[2].title, "[libgone.so.1]\nc.heap: 4000 B");
  EXPECT_EQ(doc.legend.at(1).marker, "+");
}

TEST_F(CliTrend, TrendChartFollowsCumAndFocus) {
  std::string a = write("a.heap", two_objects_profile("1000", "5000", 0x7f0000000000));
  std::string b = write("b.heap", two_objects_profile("2000", "6000", 0x7f1100000000));
  Outcome o = run_with({"--trend-chart", "--cum", "--focus=libother", a, b});
  ASSERT_EQ(o.status, 0) << o.err;
  svg::Document doc = svg::read(o.out);
  EXPECT_EQ(doc.texts_by_class["title"].at(0), "Trend of cum inuse_space (MB) over 2 dumps (*.heap)");
  ASSERT_EQ(doc.series.size(), 2u);
  EXPECT_EQ(doc.series[1].name, "[libother.so]");
}

TEST_F(CliTrend, WhatATrendCannotMeanIsAUsageError) {
  std::string a = write("a.heap", two_objects_profile("1000", "5000", 0x7f0000000000));
  std::string b = write("b.heap", two_objects_profile("2000", "1000", 0x7f0000000000));
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"--trend", a}, "--trend needs two or more profiles"},
      {{"--trend", "--base=" + a, b, b}, "--trend takes no --base"},
      {{"--trend", "--output-suffix=.txt", a, b}, "--trend prints one table to stdout: it takes no --output-suffix"},
      {{"--trend-chart", a}, "--trend-chart needs two or more profiles"},
      {{"--trend-chart", "--base=" + a, b, b}, "--trend-chart takes no --base"},
      {{"--trend-chart", "--output-suffix=.svg", a, b},
       "--trend-chart prints one chart to stdout: it takes no --output-suffix"},
  };
  for (const auto& [args, message] : cases) {
    Outcome o = run_with(args);
    EXPECT_EQ(o.status, 2) << message;
    EXPECT_EQ(o.out, "") << message;
    EXPECT_EQ(o.err.rfind("hprof-text: error: " + message, 0), 0u) << o.err;
  }
}

}  // namespace
}  // namespace hprof
