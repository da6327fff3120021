// --flamegraph on the real JVM recording with its perf map: the SVG is
// well-formed, draws the leak's path with widths that are its share, and
// renders in a real browser: headless Chromium turns it into a PNG whose
// pixels carry the legend's colours.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

#include "../support/svg_reader.h"
#include "harness.h"
#include "headless_chromium.h"
#include "jvm_perf_map_recording.h"

namespace e2e {
namespace {

std::string jvm_flamegraph() {
  const JvmPerfMapRecording rec = jvm_perf_map_recording();
  CommandResult r = hprof_text({"--flamegraph", "--perf-map=" + rec.perf_map, java_program(), rec.dump});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  return r.out;
}

double width_of_every(const svg::Document& doc, const std::string& name) {
  double width = 0;
  for (const svg::Frame& f : doc.frames) width += f.name == name ? f.width : 0;
  return width;
}

TEST(Flamegraph, JvmLeakPathIsDrawnWithItsShareOfTheWidth) {
  const JvmPerfMapRecording rec = jvm_perf_map_recording();
  svg::Document doc = svg::read(jvm_flamegraph());
  ASSERT_TRUE(doc.well_formed) << doc.error;
  TextReport text = bytes_report({"--perf-map=" + rec.perf_map}, java_program(), {rec.dump});
  const double plot = doc.frames.at(0).width;  // the "all" bar: the whole profile here
  ASSERT_EQ(doc.frames[0].name, "all");
  for (const std::string name : {"deflateInit2_", "Java_java_util_zip_Deflater_init", "java.util.zip.Deflater.init"}) {
    ASSERT_TRUE(text.rows.count(name)) << name;
    const double expected = plot * static_cast<double>(text.rows[name].cum) / static_cast<double>(total_of(text));
    EXPECT_NEAR(width_of_every(doc, name), expected, plot * 0.005) << name;
  }
}

TEST(Flamegraph, RendersInHeadlessChromium) {
  const std::string svg_text = jvm_flamegraph();
  svg::Document doc = svg::read(svg_text);
  ASSERT_TRUE(doc.well_formed) << doc.error;

  const Screenshot shot =
      screenshot_svg(svg_text, static_cast<int>(doc.width), static_cast<int>(doc.height), "flamegraph");
  ASSERT_EQ(shot.chromium.exit_status, 0) << shot.chromium.err;
  ASSERT_FALSE(shot.pixels.rgb.empty()) << shot.chromium.err;

  const Pixels& png = shot.pixels;
  EXPECT_EQ(png.width, static_cast<unsigned>(doc.width));
  EXPECT_EQ(png.height, static_cast<unsigned>(doc.height));
  const std::set<uint32_t> colours(png.rgb.begin(), png.rgb.end());
  EXPECT_GE(colours.size(), 20u);  // frames lightened by name, text, legend
  ASSERT_EQ(doc.legend_fills.size(), 6u);
  for (const std::string& fill : doc.legend_fills) EXPECT_TRUE(colours.count(rgb_of(fill))) << "legend " << fill;
  // The leak's own frames, drawn in their colours (not an error page).
  for (const std::string name : {"all", "deflateInit2_", "java.util.zip.Deflater.init"}) {
    const svg::Frame* frame = svg::frame_named(doc, name);
    ASSERT_TRUE(frame) << name;
    const auto x = static_cast<unsigned>(frame->x + 1), y = static_cast<unsigned>(frame->y + 1);
    EXPECT_EQ(png.at(x, y), rgb_of(frame->fill)) << name << " at " << x << "," << y;
  }
  EXPECT_LT(png.white_share(), 0.9) << "a blank image";
}

}  // namespace
}  // namespace e2e
