// --flamegraph: the stacks drawn as an SVG.
#include "driver/output_format.h"
#include "report/render_flamegraph.h"

namespace hprof {
namespace {

std::string render(const Rendering& r) { return render_flamegraph(*r.stacks, r.options, r.title); }

}  // namespace

extern const OutputFormat kFlamegraphFormat{"--flamegraph", "Print a flame graph as a self-contained SVG",
                                            ReportModel::kStacks, render};

}  // namespace hprof
