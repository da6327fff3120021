// --trend-chart: the trend drawn as an SVG line chart.
#include "driver/output_format.h"
#include "report/render_trend_chart.h"

namespace hprof {
namespace {

std::string render(const Rendering& r) { return render_trend_chart(*r.trend, r.options); }

}  // namespace

extern const OutputFormat kTrendChartFormat{
    "--trend-chart", "The --trend as an SVG line chart: the rows that grew most, and the Total", ReportModel::kTrend,
    render, false, "chart"};

}  // namespace hprof
