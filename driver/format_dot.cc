// --dot: the call graph as DOT text, for Graphviz's dot.
#include "driver/output_format.h"
#include "report/render_dot.h"

namespace hprof {
namespace {

std::string render(const Rendering& r) { return render_dot(*r.graph, r.options, r.title); }

}  // namespace

extern const OutputFormat kDotFormat{"--dot",
                                     "Print the call graph in DOT, as pprof -dot (render it with Graphviz: dot -Tsvg)",
                                     ReportModel::kGraph, render};

}  // namespace hprof
