// A call graph (report/graph.h) as DOT text, laid out as the Go pprof's -dot
// writes it, for Graphviz's dot: a legend box (program, sample type, Total,
// what was dropped), a box per node labelled with its name, flat and flat%,
// "of" cum and cum%, its font growing with flat, and edges weighted and
// widened by the value through them; inlined calls dashed, calls over dropped
// nodes dotted.
#pragma once

#include <string>

#include "report/graph.h"
#include "report/report.h"

namespace hprof {

// `title`: the profiles shown ("a.heap + b.heap - base.heap").
std::string render_dot(const CallGraph& graph, const ReportOptions& options, const std::string& title);

// The Go pprof's ShortenFunctionName: namespaces and packages dropped from a
// C++, Java or Go name ("ns::Holder::grow" -> "Holder::grow").
std::string shortened_function_name(const std::string& name);

// The Go pprof's Percentage, trimmed: "85.12%", "0.5%", "100%".
std::string go_percentage(int64_t value, int64_t total);

}  // namespace hprof
