// --trend: one report per dump of one process, joined into one row per key
// with one value per dump, sorted by growth.  This is the model that the
// renderers draw (render_trend.h: text; a chart can draw the same rows);
// nothing here formats a value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "report/report.h"

namespace hprof {

// Which value of a row the trend follows: flat, or cum with --cum.
enum class TrendMeasure { kFlat, kCum };

struct TrendRow {
  std::string name;              // the row's name in the reports (or "Total")
  std::vector<int64_t> values;   // one per dump, in the order given; 0 in a dump without the row
  int64_t change = 0;            // values.back() - values.front()
  bool grew_every_step = false;  // each value strictly greater than the one before
};

struct Trend {
  TrendMeasure measure = TrendMeasure::kFlat;
  std::vector<std::string> labels;  // one short name per dump (trend_labels)
  TrendRow total;                   // each dump's Total, named "Total"
  // Every row whose value is not 0 in every dump; change descending, then
  // name bytewise.  With drop_negative, no row whose change is negative.
  std::vector<TrendRow> rows;
};

// `reports[i]` is the report of `paths[i]` alone, all built by one
// ReportBuilder (so that equal keys have equal names).  The measure follows
// options.sort_by_cum; options.drop_negative hides the rows that shrank
// from first to last.
Trend build_trend(const std::vector<std::string>& paths, const std::vector<Report>& reports,
                  const ReportOptions& options);

// Short names for the dumps: their base names when these are distinct, else
// the paths without the leading directories they all share.
std::vector<std::string> trend_labels(const std::vector<std::string>& paths);

}  // namespace hprof
