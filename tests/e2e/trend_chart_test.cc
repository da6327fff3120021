// --trend-chart on the real JVM series (Deflaters never end()ed): the chart
// draws the rows that --trend puts first, with --trend's values, and renders
// in a real browser: headless Chromium turns it into a PNG whose pixels
// carry the lines' colours.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "../support/svg_reader.h"
#include "harness.h"
#include "headless_chromium.h"
#include "trend_table.h"

namespace e2e {
namespace {

CommandResult jvm_trend(const std::string& mode, const std::vector<std::string>& options) {
  std::vector<std::string> args{mode};
  args.insert(args.end(), options.begin(), options.end());
  args.push_back(java_program());
  for (const std::string& dump : jvm_dumps()) args.push_back(dump);
  CommandResult r = hprof_text(args);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  return r;
}

// "NAME\nrec.0002.heap: 126484480 B" -> 126484480.
int64_t bytes_in(const std::string& title) {
  const std::size_t colon = title.rfind(": ");
  return std::stoll(title.substr(colon + 2));
}

// The chart of `--trend-chart --show_bytes OPTIONS` draws the Total and the
// rows of `--trend --show_bytes OPTIONS` that grew, in its order, up to
// eight; each point is the text's cell, each legend marker its '+'.
svg::Document checked_chart(std::vector<std::string> options) {
  options.insert(options.begin(), "--show_bytes");
  const std::size_t dumps = jvm_dumps().size();
  TrendTable text = parse_trend(jvm_trend("--trend", options).out, dumps);
  svg::Document chart = svg::read(jvm_trend("--trend-chart", options).out);
  EXPECT_TRUE(chart.well_formed) << chart.error;
  std::vector<const TrendLine*> drawn{&text.total};
  for (const TrendLine& row : text.rows) {
    if (row.change > 0 && drawn.size() < 9) drawn.push_back(&row);
  }
  EXPECT_EQ(chart.series.size(), drawn.size());
  for (std::size_t i = 0; i < std::min(drawn.size(), chart.series.size()); ++i) {
    const svg::Series& s = chart.series[i];
    EXPECT_EQ(s.name, drawn[i]->name);
    EXPECT_EQ(s.points.size(), dumps) << s.name;
    for (std::size_t d = 0; d < std::min(dumps, s.points.size()); ++d) {
      EXPECT_EQ(bytes_in(s.points[d].title), drawn[i]->values[d]) << s.name;
    }
    EXPECT_EQ(chart.legend.at(i).marker, drawn[i]->marked ? "+" : "") << s.name;
  }
  return chart;
}

TEST(TrendChart, JvmFirstLineIsTheLeakTheTextTrendPutsFirst) {
  ASSERT_GE(jvm_dumps().size(), 3u);
  svg::Document chart = checked_chart({});
  ASSERT_GE(chart.series.size(), 2u);
  EXPECT_EQ(chart.series[1].name, "deflateInit2_");
  EXPECT_EQ(chart.legend[1].marker, "+");
}

TEST(TrendChart, JvmCumDrawsTheCumRowsOfTheTextTrend) {
  svg::Document chart = checked_chart({"--cum"});
  EXPECT_EQ(chart.texts_by_class["title"].at(0).rfind("Trend of cum inuse_space (B) over ", 0), 0u);
  // With --focus on the JNI entry, its callers and itself are the lines.
  svg::Document focused = checked_chart({"--cum", "--focus=Java_java_util_zip_Deflater_init"});
  std::set<std::string> names;
  for (const svg::Series& s : focused.series) names.insert(s.name);
  EXPECT_FALSE(names.count("Java_java_util_zip_Inflater_init"));
}

TEST(TrendChart, RendersInHeadlessChromium) {
  const std::string svg_text = jvm_trend("--trend-chart", {}).out;
  svg::Document doc = svg::read(svg_text);
  ASSERT_TRUE(doc.well_formed) << doc.error;
  const Screenshot shot =
      screenshot_svg(svg_text, static_cast<int>(doc.width), static_cast<int>(doc.height), "trend-chart");
  ASSERT_EQ(shot.chromium.exit_status, 0) << shot.chromium.err;
  ASSERT_FALSE(shot.pixels.rgb.empty()) << shot.chromium.err;

  const Pixels& png = shot.pixels;
  EXPECT_EQ(png.width, static_cast<unsigned>(doc.width));
  EXPECT_EQ(png.height, static_cast<unsigned>(doc.height));
  EXPECT_LT(png.white_share(), 0.99) << "a blank image";
  const std::set<uint32_t> colours(png.rgb.begin(), png.rgb.end());
  ASSERT_GE(doc.series.size(), 3u);
  ASSERT_EQ(doc.legend.size(), doc.series.size());
  for (std::size_t i = 0; i < doc.series.size(); ++i) {
    const uint32_t stroke = rgb_of(doc.series[i].stroke);
    EXPECT_TRUE(colours.count(stroke)) << doc.series[i].name << " " << doc.series[i].stroke;
    // The legend's piece of line, at its start (inside the Total's first dash).
    const svg::LegendEntry& entry = doc.legend[i];
    EXPECT_EQ(png.at(static_cast<unsigned>(entry.x + 2), static_cast<unsigned>(entry.y)), stroke) << entry.name;
  }
  // The leak's last point, where no other line passes.
  const svg::Point& top = doc.series[1].points.back();
  EXPECT_EQ(png.at(static_cast<unsigned>(top.x), static_cast<unsigned>(top.y)), rgb_of(doc.series[1].stroke));
}

}  // namespace
}  // namespace e2e
