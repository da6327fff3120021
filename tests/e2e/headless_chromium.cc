#include "headless_chromium.h"

#include <png.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace e2e {
namespace {

namespace fs = std::filesystem;

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

}  // namespace

double Pixels::white_share() const {
  if (rgb.empty()) return 1;
  std::size_t white = 0;
  for (uint32_t c : rgb) white += c == 0xffffff;
  return static_cast<double>(white) / static_cast<double>(rgb.size());
}

Screenshot screenshot_svg(const std::string& svg, int width, int height, const std::string& name) {
  const fs::path dir = fs::path(scratch_dir()) / ("chromium." + name + "." + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "home");
  const fs::path svg_path = dir / (name + ".svg"), png_path = dir / (name + ".png");
  std::ofstream(svg_path) << svg;
  Screenshot shot;
  shot.chromium = run_command(
      {"timeout", "120", CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
       "--user-data-dir=" + (dir / "profile").string(), "--no-first-run", "--disable-background-networking",
       "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
       "--hide-scrollbars", "--screenshot=" + png_path.string(),
       "--window-size=" + std::to_string(width) + "," + std::to_string(height), "file://" + svg_path.string()},
      {"HOME=" + (dir / "home").string(), "XDG_CONFIG_HOME=" + (dir / "home").string(),
       "XDG_CACHE_HOME=" + (dir / "home").string()});
  if (shot.chromium.exit_status != 0 || !fs::exists(png_path)) return shot;  // kept for a look
  shot.pixels = read_png(png_path.string());
  fs::remove_all(dir);
  return shot;
}

uint32_t rgb_of(const std::string& hex) { return static_cast<uint32_t>(std::stoul(hex.substr(1), nullptr, 16)); }

}  // namespace e2e
