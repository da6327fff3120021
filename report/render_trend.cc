#include "report/render_trend.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <string_view>
#include <vector>

#include "report/value_format.h"

namespace hprof {
namespace {

std::string_view sample_index_name(SampleIndex index) {
  switch (index) {
    case SampleIndex::kInuseSpace:
      return "inuse_space";
    case SampleIndex::kInuseObjects:
      return "inuse_objects";
    case SampleIndex::kAllocSpace:
      return "alloc_space";
    case SampleIndex::kAllocObjects:
      return "alloc_objects";
  }
  return "inuse_space";
}

constexpr std::size_t kMinWidth = 8;  // the text report's value columns

void append_cell(fmt::memory_buffer& out, std::string_view text, std::size_t width) {
  fmt::format_to(std::back_inserter(out), "{:>{}} ", text, width);
}

}  // namespace

std::string render_trend(const Trend& trend, const ReportOptions& options) {
  const ValueFormat format(options);
  fmt::memory_buffer out;
  const DumpLabels& dumps = trend.dumps;
  fmt::format_to(std::back_inserter(out), "Trend of {} {} ({}) over {} dumps",
                 trend.measure == TrendMeasure::kCum ? "cum" : "flat", sample_index_name(options.sample_index),
                 format.unit(), dumps.labels.size());
  if (!dumps.pattern.empty()) fmt::format_to(std::back_inserter(out), " ({})", dumps.pattern);
  out.append(std::string_view("; change = last - first; +: grew in every step\n"));
  std::vector<std::size_t> widths;
  for (const std::string& label : dumps.labels) {
    widths.push_back(std::max(kMinWidth, label.size()));
    append_cell(out, label, widths.back());
  }
  out.append(std::string_view("  change\n"));

  fmt::memory_buffer cell;
  auto append_row = [&](const TrendRow& row) {
    for (std::size_t d = 0; d < row.values.size(); ++d) {
      cell.clear();
      format.append(cell, row.values[d]);
      append_cell(out, std::string_view(cell.data(), cell.size()), widths[d]);
    }
    cell.clear();
    format.append_signed(cell, row.change);
    append_cell(out, std::string_view(cell.data(), cell.size()), kMinWidth);
    out.push_back(row.grew_every_step ? '+' : ' ');
    out.push_back(' ');
    out.append(std::string_view(row.name));
    out.push_back('\n');
  };
  append_row(trend.total);
  for (const TrendRow& row : trend.rows) append_row(row);
  return fmt::to_string(out);
}

}  // namespace hprof
