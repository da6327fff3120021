// The text of a --trend: a line saying what the values are, a line of
// column labels, the Total row, then one row per function (or line, file,
// address):
//
//   Trend of flat inuse_space (MB) over 3 dumps; change = last - first; +: grew in every step
//   rec.0001.heap rec.0002.heap rec.0003.heap   change
//            70.1         134.3         198.6   +128.5 + Total
//            40.0         100.0         160.0   +120.0 + deflateInit2_
//
// A column is as wide as its label and at least 8; values use the text
// report's units (value_format.h); the marker column holds '+' or a space.
#pragma once

#include <string>

#include "report/report.h"
#include "report/trend.h"

namespace hprof {

std::string render_trend(const Trend& trend, const ReportOptions& options);

}  // namespace hprof
