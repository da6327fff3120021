#include "report/render_trend_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <string_view>
#include <vector>

#include "report/render_text.h"
#include "report/render_trend.h"
#include "report/value_format.h"
#include "report/xml_text.h"

namespace hprof {
namespace {

using Layout = TrendChartLayout;

constexpr double kFontSize = 11;                // px, every text but the title
constexpr double kCharWidth = kFontSize * 0.6;  // px: a monospace character is 0.6 em wide
constexpr double kInset = 14;                   // px between an axis and the first or last dump
constexpr double kLegendRow = 20;               // px per legend entry
constexpr double kSwatchWidth = 24;             // px: the legend's piece of line
constexpr double kLegendNameLeft = Layout::kLegendLeft + kSwatchWidth + 18;  // px; the marker sits between
// The legend's names are cut to what fits before the right edge.
constexpr auto kLegendChars = static_cast<std::size_t>((Layout::kWidth - 8 - kLegendNameLeft) / kCharWidth);
constexpr std::size_t kTargetTicks = 5;

// Tableau 10 without its grey and olive: apart from each other and from the Total's grey.
constexpr std::array<const char*, Layout::kMaxRows> kPalette = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                                                "#9467bd", "#8c564b", "#e377c2", "#17becf"};
constexpr const char* kTotalColour = "#555555";
constexpr const char* kTotalDash = "8 4";

// A vertical scale in the unit: from `low` to `high`, a tick every `step`.
struct Axis {
  double low = 0, high = 1, step = 1;
  int decimals = 0;  // of the tick labels

  double y(double value) const {
    return Layout::kPlotBottom - (value - low) / (high - low) * (Layout::kPlotBottom - Layout::kPlotTop);
  }
  std::size_t ticks() const { return static_cast<std::size_t>(std::lround((high - low) / step)) + 1; }
  double tick(std::size_t i) const { return low + static_cast<double>(i) * step; }
};

// Ticks at 1, 2 or 5 times a power of ten, about kTargetTicks of them,
// spanning 0 and every value; never a fractional step for a count.
Axis round_axis(double min, double max, bool integral) {
  min = std::min(min, 0.0);
  max = std::max(max, 0.0);
  if (max - min <= 0) max = min + 1;
  const double raw = (max - min) / static_cast<double>(kTargetTicks);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double normalized = raw / magnitude;
  double step = (normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10) * magnitude;
  if (integral) step = std::max(step, 1.0);
  Axis axis;
  axis.step = step;
  // The small epsilon keeps a value that is a whole number of steps from
  // opening one more step through a rounding error.
  axis.low = std::floor(min / step + 1e-9) * step;
  axis.high = std::ceil(max / step - 1e-9) * step;
  axis.decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  return axis;
}

class ChartWriter {
 public:
  ChartWriter(const Trend& trend, const ReportOptions& options)
      : trend_(trend), options_(options), format_(options), megabytes_(format_.unit() == "MB") {
    for (const TrendRow& row : trend.rows) {
      if (row.change <= 0) continue;
      ++grown_;
      if (drawn_.size() < Layout::kMaxRows) drawn_.push_back(&row);
    }
    double rows_min = 0, rows_max = 0;
    for (const TrendRow* row : drawn_) extend(*row, rows_min, rows_max);
    double total_min = 0, total_max = 0;
    extend(trend.total, total_min, total_max);
    total_own_axis_ = !drawn_.empty() && total_max > Layout::kTotalOwnAxisRatio * rows_max;
    if (total_own_axis_) {
      total_axis_ = round_axis(total_min, total_max, !megabytes_);
    } else {
      rows_min = std::min(rows_min, total_min), rows_max = std::max(rows_max, total_max);
    }
    axis_ = round_axis(rows_min, rows_max, !megabytes_);
    if (!total_own_axis_) total_axis_ = axis_;
  }

  std::string write() {
    auto to = std::back_inserter(out_);
    fmt::format_to(to,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{0}\" height=\"{1}\" "
                   "viewBox=\"0 0 {0} {1}\" font-family=\"monospace\" font-size=\"{2}\">\n"
                   "<!-- hprof-text trend chart: one line per row that grew (at most {3}, largest growth first), "
                   "the Total dashed; a point per dump -->\n"
                   "<style>g.series:hover polyline {{ stroke-width: 4 }}</style>\n"
                   "<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>\n",
                   Layout::kWidth, Layout::kHeight, kFontSize, Layout::kMaxRows);
    text("title", Layout::kWidth / 2, 22, trend_heading(trend_, options_), "middle", 15);
    text("note", 10, 42, note(), "start");
    y_axis(axis_, Layout::kPlotLeft, "end", std::string(format_.unit()));
    if (total_own_axis_) y_axis(total_axis_, Layout::kPlotRight, "start", "Total (" + std::string(format_.unit()) + ")");
    x_axis();
    series(trend_.total, kTotalColour, true);
    for (std::size_t i = 0; i < drawn_.size(); ++i) series(*drawn_[i], kPalette[i], false);
    legend();
    out_ += "</svg>\n";
    return std::move(out_);
  }

 private:
  double in_unit(int64_t value) const {
    return megabytes_ ? static_cast<double>(value) / 1048576.0 : static_cast<double>(value);
  }

  void extend(const TrendRow& row, double& min, double& max) const {
    for (int64_t value : row.values) min = std::min(min, in_unit(value)), max = std::max(max, in_unit(value));
  }

  std::string note() const {
    std::string line;
    if (grown_ == 0) {
      line = "No row grew from the first dump to the last";
    } else if (grown_ > drawn_.size()) {
      line = fmt::format("The {} rows that grew most (of {} that grew; at most {} are drawn)", drawn_.size(), grown_,
                         Layout::kMaxRows);
    } else {
      line = fmt::format("The {} row{} that grew (at most {} are drawn)", grown_, grown_ == 1 ? "" : "s",
                         Layout::kMaxRows);
    }
    line += grown_ == 0 ? "" : ", largest change (last - first) first";
    line += total_own_axis_ ? "; dashed: Total, on the right-hand axis (it dwarfs the rows)" : "; dashed: Total";
    return line + "; +: grew in every step";
  }

  void text(std::string_view cls, double x, double y, std::string_view content, std::string_view anchor,
            double size = kFontSize) {
    fmt::format_to(std::back_inserter(out_), "<text class=\"{}\" x=\"{:.1f}\" y=\"{:.1f}\"", cls, x, y);
    if (anchor != "start") fmt::format_to(std::back_inserter(out_), " text-anchor=\"{}\"", anchor);
    if (size != kFontSize) fmt::format_to(std::back_inserter(out_), " font-size=\"{}\"", size);
    out_ += '>';
    append_xml_text(out_, content);
    out_ += "</text>\n";
  }

  void line(std::string_view cls, double x1, double y1, double x2, double y2, std::string_view stroke) {
    fmt::format_to(std::back_inserter(out_),
                   "<line class=\"{}\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\"/>\n", cls,
                   x1, y1, x2, y2, stroke);
  }

  // An axis line at `x` with its tick labels on the side of `anchor`
  // ("end": left of it); the left axis draws the grid too.
  void y_axis(const Axis& axis, double x, std::string_view anchor, const std::string& title) {
    const bool left = anchor == "end";
    const double label_x = left ? x - 6 : x + 6;
    for (std::size_t i = 0; i < axis.ticks(); ++i) {
      const double y = axis.y(axis.tick(i));
      if (left) line("grid", Layout::kPlotLeft, y, Layout::kPlotRight, y, "#e4e4e4");
      line("tick", x, y, left ? x - 4 : x + 4, y, "#000000");
      text(left ? "ytick" : "ytick-right", label_x, y + 4, fmt::format("{:.{}f}", axis.tick(i), axis.decimals),
           anchor);
    }
    line("axis", x, Layout::kPlotTop, x, Layout::kPlotBottom, "#000000");
    text("axis-title", x, Layout::kPlotTop - 12, title, "middle");
  }

  double x_of(std::size_t dump) const {
    const std::size_t dumps = trend_.dumps.labels.size();
    if (dumps < 2) return (Layout::kPlotLeft + Layout::kPlotRight) / 2;
    return Layout::kPlotLeft + kInset +
           static_cast<double>(dump) * (Layout::kPlotRight - Layout::kPlotLeft - 2 * kInset) /
               static_cast<double>(dumps - 1);
  }

  // Every dump has a tick; labels every `every` dumps, so that they never overlap.
  void x_axis() {
    const std::vector<std::string>& labels = trend_.dumps.labels;
    std::size_t widest = 1;
    for (const std::string& label : labels) widest = std::max(widest, utf8_length(label));
    const double spacing = labels.size() < 2 ? Layout::kWidth : x_of(1) - x_of(0);
    const auto every = static_cast<std::size_t>(
        std::max(1.0, std::ceil((static_cast<double>(widest) * kCharWidth + 8) / spacing)));
    for (std::size_t d = 0; d < labels.size(); ++d) {
      line("tick", x_of(d), Layout::kPlotBottom, x_of(d), Layout::kPlotBottom + 4, "#000000");
      if (d % every == 0) text("xtick", x_of(d), Layout::kPlotBottom + 17, labels[d], "middle");
    }
    line("axis", Layout::kPlotLeft, Layout::kPlotBottom, Layout::kPlotRight, Layout::kPlotBottom, "#000000");
    const std::string& pattern = trend_.dumps.pattern;
    text("axis-title", (Layout::kPlotLeft + Layout::kPlotRight) / 2, Layout::kPlotBottom + 40,
         pattern.empty() ? "dump, in the order given" : "dump (" + pattern + "), in the order given", "middle");
  }

  // The dump's whole name: its label in the pattern.
  std::string dump_name(std::size_t dump) const {
    const std::string& pattern = trend_.dumps.pattern;
    const std::string& label = trend_.dumps.labels[dump];
    const std::size_t star = pattern.find('*');
    return star == std::string::npos ? label : pattern.substr(0, star) + label + pattern.substr(star + 1);
  }

  void series(const TrendRow& row, std::string_view colour, bool total) {
    const Axis& axis = total ? total_axis_ : axis_;
    auto to = std::back_inserter(out_);
    out_ += total ? "<g class=\"series total\"><title>" : "<g class=\"series\"><title>";
    append_xml_text(out_, row.name);
    out_ += "</title>\n<polyline points=\"";
    for (std::size_t d = 0; d < row.values.size(); ++d) {
      fmt::format_to(to, "{}{:.1f},{:.1f}", d == 0 ? "" : " ", x_of(d), axis.y(in_unit(row.values[d])));
    }
    fmt::format_to(to, "\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"", colour);
    if (total) fmt::format_to(to, " stroke-dasharray=\"{}\"", kTotalDash);
    out_ += "/>\n";
    for (std::size_t d = 0; d < row.values.size(); ++d) {
      fmt::format_to(to, "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"><title>", x_of(d),
                     axis.y(in_unit(row.values[d])), colour);
      append_xml_text(out_, row.name + "\n" + dump_name(d) + ": " + format_exact_amount(row.values[d], options_));
      out_ += "</title></circle>\n";
    }
    out_ += "</g>\n";
  }

  void legend() {
    legend_entry(0, trend_.total, kTotalColour, true);
    for (std::size_t i = 0; i < drawn_.size(); ++i) legend_entry(i + 1, *drawn_[i], kPalette[i], false);
  }

  void legend_entry(std::size_t index, const TrendRow& row, std::string_view colour, bool total) {
    const double y = Layout::kPlotTop + static_cast<double>(index) * kLegendRow;
    fmt::memory_buffer change;
    format_.append_signed(change, row.change);
    out_ += "<g class=\"legend-entry\"><title>";
    append_xml_text(out_, fmt::format("{}\nchange {} {}{}", row.name, fmt::to_string(change), format_.unit(),
                                      row.grew_every_step ? "; grew in every step" : ""));
    out_ += "</title>\n";
    fmt::format_to(std::back_inserter(out_),
                   "<line class=\"swatch\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" "
                   "stroke-width=\"2\"{}/>\n",
                   Layout::kLegendLeft, y, Layout::kLegendLeft + kSwatchWidth, y, colour,
                   total ? fmt::format(" stroke-dasharray=\"{}\"", kTotalDash) : "");
    if (row.grew_every_step) text("marker", Layout::kLegendLeft + kSwatchWidth + 5, y + 4, "+", "start");
    std::string name = total && total_own_axis_ ? row.name + " (right axis)" : row.name;
    if (utf8_length(name) > kLegendChars) name = std::string(utf8_prefix(name, kLegendChars - 2)) + "..";
    text("name", kLegendNameLeft, y + 4, name, "start");
    out_ += "</g>\n";
  }

  const Trend& trend_;
  const ReportOptions& options_;
  const ValueFormat format_;
  const bool megabytes_;
  std::vector<const TrendRow*> drawn_;  // the rows drawn, in the trend's order
  std::size_t grown_ = 0;               // rows with a positive change
  bool total_own_axis_ = false;
  Axis axis_;        // the rows' (and the Total's, unless it has its own)
  Axis total_axis_;  // the Total's
  std::string out_;
};

}  // namespace

std::string render_trend_chart(const Trend& trend, const ReportOptions& options) {
  return ChartWriter(trend, options).write();
}

}  // namespace hprof
