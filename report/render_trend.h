// The text of a --trend: a line saying what the values are, a line of
// column labels, the Total row, then one row per function (or line, file,
// address):
//
//   Trend of flat inuse_space (MB) over 3 dumps (rec.*.heap); change = last - first; +: grew in every step
//       0001     0002     0003   change
//       64.0    128.1    162.1    +98.1 + Total
//       57.3    120.6    153.4    +96.1 + deflateInit2_
//
// A column is as wide as its widest cell, label included, and at least 8;
// values use the text report's units (value_format.h); the marker column
// holds '+' or a space.
#pragma once

#include <string>

#include "report/report.h"
#include "report/trend.h"

namespace hprof {

std::string render_trend(const Trend& trend, const ReportOptions& options);

// What the values are, as the text's first line and the chart's title say
// it: "Trend of flat inuse_space (MB) over 3 dumps (rec.*.heap)".
std::string trend_heading(const Trend& trend, const ReportOptions& options);

}  // namespace hprof
