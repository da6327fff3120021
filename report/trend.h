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

// Short names for the dumps, for column heads or a chart's axis.
struct DumpLabels {
  // What the labels stand for, "*" marking the label ("rec.*.heap"); empty
  // when each label is a whole name.
  std::string pattern;
  std::vector<std::string> labels;  // one per dump, in order ("0001", ...)
  bool operator==(const DumpLabels&) const = default;
};

struct Trend {
  TrendMeasure measure = TrendMeasure::kFlat;
  DumpLabels dumps;
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

// Short names for the dumps (two or more): their base names when these are
// distinct, else the paths without the directories they all share; then
// without the prefix and suffix that all share up to a separator (not a
// letter or digit), which become the pattern: rec.0001.heap, rec.0002.heap
// are "0001", "0002" in "rec.*.heap".  A dump given twice keeps its name.
DumpLabels dump_labels(const std::vector<std::string>& paths);

}  // namespace hprof
