#include "report/trend.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <unordered_map>

namespace hprof {
namespace {

// The length of the longest prefix that all `names` (at least one) share.
std::size_t common_prefix(const std::vector<std::string>& names) {
  std::size_t n = names.front().size();
  for (const std::string& name : names) {
    const auto end = name.begin() + static_cast<std::ptrdiff_t>(std::min(n, name.size()));
    n = static_cast<std::size_t>(std::mismatch(name.begin(), end, names.front().begin()).first - name.begin());
  }
  return n;
}

std::size_t common_suffix(const std::vector<std::string>& names) {
  std::size_t n = names.front().size();
  for (const std::string& name : names) {
    const auto end = name.rbegin() + static_cast<std::ptrdiff_t>(std::min(n, name.size()));
    n = static_cast<std::size_t>(std::mismatch(name.rbegin(), end, names.front().rbegin()).first - name.rbegin());
  }
  return n;
}

bool is_separator(char c) { return std::isalnum(static_cast<unsigned char>(c)) == 0; }

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
  trend.dumps = dump_labels(paths);
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

DumpLabels dump_labels(const std::vector<std::string>& paths) {
  DumpLabels out;
  std::vector<std::string>& names = out.labels;
  for (const std::string& path : paths) names.push_back(std::filesystem::path(path).filename().string());
  if (std::set<std::string>(names.begin(), names.end()).size() < names.size()) {
    // Without the directories all paths share, as whole components.
    const std::size_t common = common_prefix(paths);
    const std::size_t slash = common == 0 ? std::string::npos : paths.front().rfind('/', common - 1);
    names.clear();
    for (const std::string& path : paths) names.push_back(path.substr(slash == std::string::npos ? 0 : slash + 1));
    if (std::set<std::string>(names.begin(), names.end()).size() < names.size()) return out;  // a dump given twice
  }
  // "rec." and ".heap": cut at a separator, never inside a number or a word,
  // and leaving at least one character of each name.
  std::size_t shortest = names.front().size();
  for (const std::string& name : names) shortest = std::min(shortest, name.size());
  if (shortest == 0) return out;
  const std::string& first = names.front();
  std::size_t prefix = std::min(common_prefix(names), shortest - 1);
  while (prefix > 0 && !is_separator(first[prefix - 1])) --prefix;
  std::size_t suffix = std::min(common_suffix(names), shortest - 1 - prefix);
  while (suffix > 0 && !is_separator(first[first.size() - suffix])) --suffix;
  if (prefix + suffix == 0) return out;
  out.pattern = first.substr(0, prefix) + "*" + first.substr(first.size() - suffix);
  for (std::string& name : names) name = name.substr(prefix, name.size() - prefix - suffix);
  return out;
}

}  // namespace hprof
