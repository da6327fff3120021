#include "report/trend.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <unordered_map>

namespace hprof {
namespace {

void summarize(TrendRow& row) {
  row.change = row.values.back() - row.values.front();
  row.grew_every_step = std::adjacent_find(row.values.begin(), row.values.end(),
                                           [](int64_t a, int64_t b) { return b <= a; }) == row.values.end();
}

}  // namespace

Trend build_trend(const std::vector<std::string>& paths, const std::vector<Report>& reports,
                  const ReportOptions& options) {
  Trend trend;
  trend.measure = options.sort_by_cum ? TrendMeasure::kCum : TrendMeasure::kFlat;
  trend.labels = trend_labels(paths);
  trend.total.name = "Total";
  const std::size_t dumps = reports.size();
  std::unordered_map<std::string, std::size_t> row_of;  // name -> index in rows
  std::vector<TrendRow> rows;
  for (std::size_t d = 0; d < dumps; ++d) {
    trend.total.values.push_back(reports[d].total);
    for (const ReportRow& row : reports[d].rows) {
      const int64_t value = trend.measure == TrendMeasure::kCum ? row.cum : row.flat;
      if (value == 0) continue;
      auto [it, inserted] = row_of.try_emplace(row.name, rows.size());
      if (inserted) rows.push_back(TrendRow{row.name, std::vector<int64_t>(dumps, 0)});
      rows[it->second].values[d] = value;
    }
  }
  if (dumps > 0) summarize(trend.total);
  for (TrendRow& row : rows) {
    summarize(row);
    if (options.drop_negative && row.change < 0) continue;
    trend.rows.push_back(std::move(row));
  }
  std::sort(trend.rows.begin(), trend.rows.end(), [](const TrendRow& a, const TrendRow& b) {
    if (a.change != b.change) return a.change > b.change;
    return a.name < b.name;
  });
  return trend;
}

std::vector<std::string> trend_labels(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> labels;
  std::set<std::string> distinct;
  for (const std::string& path : paths) {
    labels.push_back(fs::path(path).filename().string());
    distinct.insert(labels.back());
  }
  if (distinct.size() == paths.size()) return labels;
  // The directories every path starts with, as whole components.
  std::size_t common = paths.front().size();
  for (const std::string& path : paths) {
    const std::size_t n = std::min(common, path.size());
    common = static_cast<std::size_t>(std::mismatch(path.begin(), path.begin() + n, paths.front().begin()).first -
                                      path.begin());
  }
  const std::size_t slash = common == 0 ? std::string::npos : paths.front().rfind('/', common - 1);
  common = slash == std::string::npos ? 0 : slash + 1;
  labels.clear();
  for (const std::string& path : paths) labels.push_back(path.substr(common));
  return labels;
}

}  // namespace hprof
