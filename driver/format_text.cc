// --text: the rows as pprof --text prints them.
#include "driver/output_format.h"
#include "report/render_text.h"

namespace hprof {
namespace {

std::string render(const Rendering& r) { return render_text(*r.rows, r.options); }

}  // namespace

extern const OutputFormat kTextFormat{"--text", "Print the text report (the default)", ReportModel::kRows, render};

}  // namespace hprof
