// --flamegraph on the real JVM recording with its perf map: the SVG is
// well-formed, draws the leak's path with widths that are its share, and
// renders in a real browser: headless Chromium turns it into a PNG whose
// pixels carry the legend's colours.
#include <gtest/gtest.h>
#include <png.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "../support/svg_reader.h"
#include "harness.h"
#include "jvm_perf_map_recording.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;

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

// The pixels of a PNG as 0xRRGGBB.
struct Pixels {
  unsigned width = 0, height = 0;
  std::vector<uint32_t> rgb;
};

Pixels read_png(const std::string& path) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  Pixels out;
  if (!png_image_begin_read_from_file(&image, path.c_str())) throw std::runtime_error(path + ": " + image.message);
  image.format = PNG_FORMAT_RGB;
  std::vector<uint8_t> buffer(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, buffer.data(), 0, nullptr)) {
    throw std::runtime_error(path + ": " + image.message);
  }
  out.width = image.width, out.height = image.height;
  for (std::size_t i = 0; i + 2 < buffer.size(); i += 3) {
    out.rgb.push_back(uint32_t{buffer[i]} << 16 | uint32_t{buffer[i + 1]} << 8 | buffer[i + 2]);
  }
  return out;
}

uint32_t rgb_of(const std::string& hex) { return static_cast<uint32_t>(std::stoul(hex.substr(1), nullptr, 16)); }

TEST(Flamegraph, RendersInHeadlessChromium) {
  const std::string svg_text = jvm_flamegraph();
  svg::Document doc = svg::read(svg_text);
  ASSERT_TRUE(doc.well_formed) << doc.error;

  // A directory of its own: the image, and Chromium's profile and home, so
  // that it reads and writes nothing of the user's.
  const fs::path dir = fs::path(scratch_dir()) / ("chromium." + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "home");
  const fs::path svg_path = dir / "jvm.svg", png_path = dir / "jvm.png";
  std::ofstream(svg_path) << svg_text;
  const std::string size = std::to_string(static_cast<int>(doc.width)) + "," + std::to_string(static_cast<int>(doc.height));
  CommandResult r = run_command({"timeout", "120", CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                                 "--user-data-dir=" + (dir / "profile").string(), "--no-first-run",
                                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                 "--disable-default-apps", "--disable-extensions", "--hide-scrollbars",
                                 "--screenshot=" + png_path.string(), "--window-size=" + size,
                                 "file://" + svg_path.string()},
                                {"HOME=" + (dir / "home").string(), "XDG_CONFIG_HOME=" + (dir / "home").string(),
                                 "XDG_CACHE_HOME=" + (dir / "home").string()});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  ASSERT_TRUE(fs::exists(png_path)) << r.err;

  Pixels png = read_png(png_path.string());
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
    EXPECT_EQ(png.rgb.at(y * png.width + x), rgb_of(frame->fill)) << name << " at " << x << "," << y;
  }
  std::size_t white = 0;
  for (uint32_t c : png.rgb) white += c == 0xffffff;
  EXPECT_LT(white, png.rgb.size() * 9 / 10) << "a blank image";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace e2e
