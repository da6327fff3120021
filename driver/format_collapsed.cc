// --collapsed: folded stacks, one line each.
#include "driver/output_format.h"
#include "report/render_collapsed.h"

namespace hprof {
namespace {

std::string render(const Rendering& r) { return render_collapsed(*r.stacks); }

}  // namespace

extern const OutputFormat kCollapsedFormat{
    "--collapsed", "Print folded stacks, 'root;...;leaf VALUE' (FlameGraph, inferno, speedscope)",
    ReportModel::kStacks, render};

}  // namespace hprof
