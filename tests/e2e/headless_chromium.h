// Renders an SVG in a real browser: headless Chromium takes a screenshot,
// read back with libpng.  Shared by the tests of --flamegraph and
// --trend-chart.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "harness.h"

namespace e2e {

// The pixels of a PNG as 0xRRGGBB, row by row.
struct Pixels {
  unsigned width = 0, height = 0;
  std::vector<uint32_t> rgb;
  uint32_t at(unsigned x, unsigned y) const { return rgb.at(std::size_t{y} * width + x); }
  // The share of pure white pixels (1 for a blank image).
  double white_share() const;
};

struct Screenshot {
  CommandResult chromium;  // its exit status and stderr
  Pixels pixels;           // empty when Chromium wrote no image
};

// `svg` shown by headless Chromium in a window of `width` x `height` px.
// Chromium's profile and home are in a scratch directory of their own
// (named after `name` and this process), so that it reads and writes
// nothing of the user's; the directory is removed when the image was read.
Screenshot screenshot_svg(const std::string& svg, int width, int height, const std::string& name);

// "#1f77b4" as 0x1f77b4.
uint32_t rgb_of(const std::string& hex);

}  // namespace e2e
