// --trend-chart: a trend (report/trend.h) as one self-contained SVG line
// chart, no script and nothing fetched.  The x axis holds the dumps in
// order, spaced evenly, labelled as the text trend's columns; the y axis the
// value in the text trend's unit, from 0 (or below, for a negative value),
// with ticks at round numbers.  One line per row for the rows that grew
// (change > 0), the first kMaxRows in the text trend's order (largest growth
// first), each in a colour of a fixed palette; the Total as a dashed grey
// line.  When the Total dwarfs the rows (its largest value over
// kTotalOwnAxisRatio times theirs) it is drawn on an axis of its own, on the
// right, so that the rows are not flattened at the bottom; the legend and a
// note say so.  Each point has a <title> tooltip (name, dump, value); the
// legend gives each line's name (cut to fit, whole in its <title>) and '+'
// for a row that grew in every step.  The same trend gives the same bytes.
#pragma once

#include <cstddef>
#include <string>

#include "report/report.h"
#include "report/trend.h"

namespace hprof {

struct TrendChartLayout {
  static constexpr double kWidth = 1200;       // px, the whole image
  static constexpr double kHeight = 600;
  static constexpr double kPlotLeft = 90;      // px: the plot area, axes on its edges
  static constexpr double kPlotRight = 820;
  static constexpr double kPlotTop = 70;
  static constexpr double kPlotBottom = 530;
  static constexpr double kLegendLeft = 900;   // px, right of the right-hand axis's labels
  static constexpr std::size_t kMaxRows = 8;   // lines besides the Total: one per colour
  static constexpr double kTotalOwnAxisRatio = 4;
};

std::string render_trend_chart(const Trend& trend, const ReportOptions& options);

}  // namespace hprof
