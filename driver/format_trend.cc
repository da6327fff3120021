// --trend: a table with one column per profile.
#include "driver/output_format.h"
#include "report/render_trend.h"

namespace hprof {
namespace {

std::string render(const Rendering& r) { return render_trend(*r.trend, r.options); }

}  // namespace

extern const OutputFormat kTrendFormat{"--trend",
                                       "One column per profile (dumps of one process, in order), rows sorted by growth",
                                       ReportModel::kTrend, render, false, "table"};

}  // namespace hprof
