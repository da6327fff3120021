#include "report/render_trend.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <string_view>
#include <vector>

#include "report/value_format.h"

namespace hprof {
namespace {

constexpr std::size_t kMinWidth = 8;  // the text report's value columns

void append_cell(fmt::memory_buffer& out, std::string_view text, std::size_t width) {
  fmt::format_to(std::back_inserter(out), "{:>{}} ", text, width);
}

}  // namespace

std::string trend_heading(const Trend& trend, const ReportOptions& options) {
  std::string out = fmt::format("Trend of {} {} ({}) over {} dumps", trend.measure == TrendMeasure::kCum ? "cum" : "flat",
                                options.sample_type.type, ValueFormat(options).unit(),
                                trend.dumps.labels.size());
  if (!trend.dumps.pattern.empty()) out += " (" + trend.dumps.pattern + ")";
  return out;
}

std::string render_trend(const Trend& trend, const ReportOptions& options) {
  const ValueFormat format(options);
  fmt::memory_buffer cell;
  auto value = [&](int64_t v) {
    cell.clear();
    format.append(cell, v);
    return std::string_view(cell.data(), cell.size());
  };
  auto change = [&](int64_t v) {
    cell.clear();
    format.append_signed(cell, v);
    return std::string_view(cell.data(), cell.size());
  };
  std::vector<const TrendRow*> rows{&trend.total};
  for (const TrendRow& row : trend.rows) rows.push_back(&row);

  // Each column as wide as its widest cell, so that the columns stay aligned.
  const DumpLabels& dumps = trend.dumps;
  std::vector<std::size_t> widths;
  for (const std::string& label : dumps.labels) widths.push_back(std::max(kMinWidth, label.size()));
  std::size_t change_width = kMinWidth;
  for (const TrendRow* row : rows) {
    for (std::size_t d = 0; d < widths.size(); ++d) widths[d] = std::max(widths[d], value(row->values[d]).size());
    change_width = std::max(change_width, change(row->change).size());
  }

  fmt::memory_buffer out;
  out.append(trend_heading(trend, options));
  out.append(std::string_view("; change = last - first; +: grew in every step\n"));
  for (std::size_t d = 0; d < widths.size(); ++d) append_cell(out, dumps.labels[d], widths[d]);
  fmt::format_to(std::back_inserter(out), "{:>{}}\n", "change", change_width);
  for (const TrendRow* row : rows) {
    for (std::size_t d = 0; d < widths.size(); ++d) append_cell(out, value(row->values[d]), widths[d]);
    append_cell(out, change(row->change), change_width);
    out.push_back(row->grew_every_step ? '+' : ' ');
    out.push_back(' ');
    out.append(std::string_view(row->name));
    out.push_back('\n');
  }
  return fmt::to_string(out);
}

}  // namespace hprof
