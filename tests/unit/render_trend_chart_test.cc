// --trend-chart: the SVG read back with a real XML parser
// (tests/support/svg_reader.h): well-formed, one line per row that grew (at
// most eight, in the text trend's order) and the Total dashed, points left to
// right in dump order at heights proportional to their values, tooltips,
// legend, round ticks, names escaped.
#include "report/render_trend_chart.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "../support/svg_reader.h"
#include "trend_rows.h"

namespace hprof {
namespace {

using testing::make_trend;
using testing::trend_row;
using Layout = TrendChartLayout;

constexpr int64_t kMiB = 1 << 20;
const DumpLabels kDumps{"rec.*.heap", {"0001", "0002", "0003", "0004"}};

svg::Document drawn(const Trend& trend, ReportOptions options = {}) {
  svg::Document doc = svg::read(render_trend_chart(trend, options));
  EXPECT_TRUE(doc.well_formed) << doc.error;
  return doc;
}

std::vector<std::string> series_names(const svg::Document& doc) {
  std::vector<std::string> names;
  for (const svg::Series& s : doc.series) names.push_back(s.name);
  return names;
}

// Total 10, 15, 20, 25 MiB (under 4 times the largest row: one axis); leak
// grows in every step, late appears in the third dump, dip grows overall
// with a dip, gone shrinks, flat stays.
Trend leak_trend() {
  return make_trend(kDumps, trend_row("Total", {10 * kMiB, 15 * kMiB, 20 * kMiB, 25 * kMiB}),
                    {trend_row("leak", {1 * kMiB, 2 * kMiB, 4 * kMiB, 8 * kMiB}),
                     trend_row("dip", {1 * kMiB, 3 * kMiB, 2 * kMiB, 4 * kMiB}),
                     trend_row("late", {0, 0, 1 * kMiB, 2 * kMiB}),
                     trend_row("flat", {5 * kMiB, 5 * kMiB, 5 * kMiB, 5 * kMiB}),
                     trend_row("gone", {3 * kMiB, 3 * kMiB, 0, 0})});
}

TEST(RenderTrendChart, OneLinePerRowThatGrewInTheTrendsOrderAfterTheDashedTotal) {
  svg::Document doc = drawn(leak_trend());
  EXPECT_EQ(series_names(doc), (std::vector<std::string>{"Total", "leak", "dip", "late"}));
  EXPECT_TRUE(doc.series[0].total);
  EXPECT_FALSE(doc.series[0].dasharray.empty());
  for (std::size_t i = 1; i < doc.series.size(); ++i) {
    EXPECT_FALSE(doc.series[i].total);
    EXPECT_TRUE(doc.series[i].dasharray.empty()) << doc.series[i].name;
  }
  EXPECT_EQ(doc.texts_by_class["note"].at(0),
            "The 3 rows that grew (at most 8 are drawn), largest change (last - first) first; dashed: Total; "
            "+: grew in every step");
}

TEST(RenderTrendChart, PointsGoLeftToRightInDumpOrderEvenlySpaced) {
  svg::Document doc = drawn(leak_trend());
  for (const svg::Series& s : doc.series) {
    ASSERT_EQ(s.points.size(), 4u) << s.name;
    const double spacing = s.points[1].x - s.points[0].x;
    EXPECT_GT(spacing, 0);
    for (std::size_t d = 1; d < 4; ++d) EXPECT_NEAR(s.points[d].x - s.points[d - 1].x, spacing, 0.11) << s.name;
    EXPECT_NE(s.points[2].title.find("\nrec.0003.heap: "), std::string::npos) << s.points[2].title;
  }
  EXPECT_GE(doc.series[0].points.front().x, Layout::kPlotLeft);
  EXPECT_LE(doc.series[0].points.back().x, Layout::kPlotRight);
}

TEST(RenderTrendChart, HeightAboveTheAxisIsProportionalToTheValue) {
  svg::Document doc = drawn(leak_trend());
  const svg::Series& leak = doc.series.at(1);  // 1, 2, 4, 8 MiB
  const double unit = Layout::kPlotBottom - leak.points[0].y;
  ASSERT_GT(unit, 0);
  EXPECT_NEAR(Layout::kPlotBottom - leak.points[1].y, 2 * unit, 0.15);
  EXPECT_NEAR(Layout::kPlotBottom - leak.points[2].y, 4 * unit, 0.15);
  EXPECT_NEAR(Layout::kPlotBottom - leak.points[3].y, 8 * unit, 0.15);
  const svg::Series& total = doc.series.at(0);  // 10 MiB: on the same scale
  EXPECT_NEAR(Layout::kPlotBottom - total.points[0].y, 10 * unit, 0.15);
}

TEST(RenderTrendChart, ARowAbsentFromEarlyDumpsIsOnTheAxisThere) {
  svg::Document doc = drawn(leak_trend());
  const svg::Series& late = doc.series.at(3);
  ASSERT_EQ(late.name, "late");
  EXPECT_EQ(late.points[0].y, Layout::kPlotBottom);
  EXPECT_EQ(late.points[1].y, Layout::kPlotBottom);
  EXPECT_LT(late.points[2].y, Layout::kPlotBottom);
  EXPECT_EQ(late.points[0].title, "late\nrec.0001.heap: 0.0 MB (0 B)");
}

TEST(RenderTrendChart, EachPointsTooltipGivesNameDumpAndValue) {
  svg::Document doc = drawn(leak_trend());
  EXPECT_EQ(doc.series.at(1).points[3].title, "leak\nrec.0004.heap: 8.0 MB (8388608 B)");
  ReportOptions bytes;
  bytes.show_bytes = true;
  EXPECT_EQ(drawn(leak_trend(), bytes).series.at(1).points[3].title, "leak\nrec.0004.heap: 8388608 B");
  Trend unnamed = make_trend({"", {"before", "after"}}, trend_row("Total", {1, 3}), {trend_row("f", {1, 3})});
  ReportOptions objects;
  objects.sample_type = heap_sample_type(HeapValue::kInuseObjects);
  EXPECT_EQ(drawn(unnamed, objects).series.at(1).points[1].title, "f\nafter: 3 objects");
}

TEST(RenderTrendChart, AtMostEightRowsTheLargestGrowthFirstInDistinctColours) {
  std::vector<TrendRow> rows;
  for (int i = 0; i < 10; ++i) rows.push_back(trend_row("f" + std::to_string(i), {0, (20 - i) * kMiB}));
  svg::Document doc = drawn(make_trend({"", {"a", "b"}}, trend_row("Total", {0, 200 * kMiB}), rows));
  ASSERT_EQ(doc.series.size(), 1 + Layout::kMaxRows);
  EXPECT_EQ(doc.series[1].name, "f0");
  EXPECT_EQ(doc.series.back().name, "f7");
  std::set<std::string> strokes;
  for (const svg::Series& s : doc.series) strokes.insert(s.stroke);
  EXPECT_EQ(strokes.size(), doc.series.size());
  EXPECT_EQ(doc.texts_by_class["note"].at(0).rfind("The 8 rows that grew most (of 10 that grew; at most 8 are drawn)", 0),
            0u)
      << doc.texts_by_class["note"].at(0);
}

TEST(RenderTrendChart, LegendNamesEachLineInItsColourAndMarksSteadyGrowth) {
  svg::Document doc = drawn(leak_trend());
  ASSERT_EQ(doc.legend.size(), doc.series.size());
  for (std::size_t i = 0; i < doc.legend.size(); ++i) {
    EXPECT_EQ(doc.legend[i].name, doc.series[i].name);
    EXPECT_EQ(doc.legend[i].stroke, doc.series[i].stroke);
    EXPECT_EQ(doc.legend[i].dasharray, doc.series[i].dasharray);
  }
  EXPECT_EQ(doc.legend[1].marker, "+");  // leak
  EXPECT_EQ(doc.legend[2].marker, "");   // dip
  EXPECT_EQ(doc.legend[1].title, "leak\nchange +7.0 MB; grew in every step");
  EXPECT_EQ(doc.legend[2].title, "dip\nchange +3.0 MB");
}

TEST(RenderTrendChart, ALongNameIsCutInTheLegendAndWholeInItsTitle) {
  const std::string long_name = "std::vector<std::pair<std::string, int>>::_M_realloc_insert<std::string const&>";
  svg::Document doc = drawn(make_trend({"", {"a", "b"}}, trend_row("Total", {1, 9}), {trend_row(long_name, {1, 9})}));
  const svg::LegendEntry& entry = doc.legend.at(1);
  EXPECT_EQ(entry.title.substr(0, entry.title.find('\n')), long_name);
  EXPECT_LT(entry.name.size(), long_name.size());
  EXPECT_TRUE(entry.name.ends_with("..")) << entry.name;
  EXPECT_EQ(long_name.rfind(entry.name.substr(0, entry.name.size() - 2), 0), 0u) << entry.name;
  EXPECT_EQ(doc.series.at(1).name, long_name);
}

TEST(RenderTrendChart, NamesWithMarkupAndBadBytesAreEscapedAndStillRead) {
  const std::string name = "std::map<K, V>::operator[] & \"q\" 'a'";
  svg::Document doc = drawn(make_trend({"<a>", {"&1", "2"}}, trend_row("Total", {1, 9}),
                                       {trend_row(name, {1, 9}), trend_row("bad\xFF" "byte", {1, 5})}));
  ASSERT_TRUE(doc.well_formed) << doc.error;
  EXPECT_EQ(doc.series.at(1).name, name);
  EXPECT_EQ(doc.series.at(2).name, "bad\xEF\xBF\xBD" "byte");
  EXPECT_EQ(doc.texts_by_class["xtick"].at(0), "&1");
}

TEST(RenderTrendChart, TheTitleSaysWhatIsPlotted) {
  Trend t = leak_trend();
  t.measure = TrendMeasure::kCum;
  ReportOptions objects;
  objects.sample_type = heap_sample_type(HeapValue::kAllocObjects);
  EXPECT_EQ(drawn(t, objects).texts_by_class["title"].at(0),
            "Trend of cum alloc_objects (objects) over 4 dumps (rec.*.heap)");
  EXPECT_EQ(drawn(leak_trend()).texts_by_class["title"].at(0),
            "Trend of flat inuse_space (MB) over 4 dumps (rec.*.heap)");
  EXPECT_EQ(drawn(leak_trend()).texts_by_class["xtick"], (std::vector<std::string>{"0001", "0002", "0003", "0004"}));
}

TEST(RenderTrendChart, TicksAreRoundNumbersFromZeroPastTheLargestValue) {
  auto ticks = [](int64_t largest, ReportOptions options = {}) {
    Trend t = make_trend({"", {"a", "b"}}, trend_row("Total", {0, largest}), {trend_row("f", {0, largest})});
    return drawn(t, options).texts_by_class["ytick"];
  };
  using Labels = std::vector<std::string>;
  EXPECT_EQ(ticks(170011498), (Labels{"0", "50", "100", "150", "200"}));  // 162.1 MB
  EXPECT_EQ(ticks(300 * 1024), (Labels{"0.0", "0.1", "0.2", "0.3"}));      // 0.29 MB
  ReportOptions bytes;
  bytes.show_bytes = true;
  EXPECT_EQ(ticks(7, bytes), (Labels{"0", "2", "4", "6", "8"}));
  EXPECT_EQ(ticks(2, bytes), (Labels{"0", "1", "2"}));  // never a fraction of a byte
  EXPECT_EQ(ticks(0, bytes), (Labels{"0", "1"}));
}

TEST(RenderTrendChart, ATotalThatDwarfsTheRowsHasItsOwnAxisOnTheRight) {
  Trend t = make_trend({"", {"a", "b"}}, trend_row("Total", {900 * kMiB, 1000 * kMiB}),
                       {trend_row("leak", {1 * kMiB, 10 * kMiB})});
  svg::Document doc = drawn(t);
  EXPECT_EQ(doc.texts_by_class["ytick"], (std::vector<std::string>{"0", "2", "4", "6", "8", "10"}));
  EXPECT_EQ(doc.texts_by_class["ytick-right"],
            (std::vector<std::string>{"0", "200", "400", "600", "800", "1000"}));
  EXPECT_NEAR(doc.series.at(1).points[1].y, Layout::kPlotTop, 0.01);  // 10 MB at the top of 0..10
  EXPECT_NEAR(doc.series.at(0).points[1].y, Layout::kPlotTop, 0.01);  // 1000 MB at the top of 0..1000
  EXPECT_EQ(doc.legend.at(0).name, "Total (right axis)");
  EXPECT_NE(doc.texts_by_class["note"].at(0).find("dashed: Total, on the right-hand axis"), std::string::npos);
  // Within kTotalOwnAxisRatio of the rows, one axis for all.
  EXPECT_TRUE(drawn(leak_trend()).texts_by_class["ytick-right"].empty());
}

TEST(RenderTrendChart, WithNoRowThatGrewOnlyTheTotalIsDrawn) {
  Trend t = make_trend({"", {"a", "b"}}, trend_row("Total", {9, 5}), {trend_row("f", {9, 5})});
  svg::Document doc = drawn(t);
  EXPECT_EQ(series_names(doc), (std::vector<std::string>{"Total"}));
  EXPECT_EQ(doc.texts_by_class["note"].at(0).rfind("No row grew from the first dump to the last; dashed: Total", 0), 0u);
}

TEST(RenderTrendChart, ManyDumpsLabelOnlyEveryFewTicksSoThatLabelsDoNotOverlap) {
  DumpLabels many;
  std::vector<int64_t> values;
  for (int d = 0; d < 200; ++d) many.labels.push_back("dump-" + std::to_string(1000 + d)), values.push_back(d);
  svg::Document doc = drawn(make_trend(many, trend_row("Total", values), {trend_row("f", values)}));
  const std::vector<std::string>& labels = doc.texts_by_class["xtick"];
  ASSERT_GE(labels.size(), 2u);
  EXPECT_LT(labels.size(), 20u);  // 9 characters, 66 px each with room, on a 700 px axis
  EXPECT_EQ(labels[0], "dump-1000");
  EXPECT_EQ(doc.series.at(1).points.size(), 200u);
}

}  // namespace
}  // namespace hprof
