// A flame graph as one self-contained SVG document: no script, no external
// font, style sheet or image.  Root at the bottom, each frame drawn on its
// caller (FlameGraph's layout), siblings in name order, width proportional
// to value.  Each frame has a <title> tooltip (name, value, percentage of
// Total, object) and a text label cut to fit.  Colours say where the code
// lives (report/object_kind.h): Java/JIT, libjvm, libz, libc/libstdc++, the
// program, other; a legend shows them.  The same input gives the same bytes.
#pragma once

#include <string>

#include "report/report.h"
#include "report/stacks.h"

namespace hprof {

struct FlameGraphLayout {
  static constexpr double kWidth = 1200;       // px, the whole image
  static constexpr double kMargin = 10;        // px, left and right of the frames
  static constexpr double kFrameHeight = 16;   // px per stack level
  // px: a narrower frame and what it calls are not drawn (a note counts them)
  static constexpr double kMinFrameWidth = 0.5;
};

// `title` names what is drawn (the profile's path).  Stacks with a negative
// value (with --base: what shrank) are not drawn; a note counts them.
// Percentages are of `stacks.total`, as in the text report (with --focus,
// of the unfiltered Total); none when that Total is not positive.
std::string render_flamegraph(const StackProfile& stacks, const ReportOptions& options, const std::string& title);

}  // namespace hprof
