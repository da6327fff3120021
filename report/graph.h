// The call graph of a report, as the Go pprof draws it (internal/graph and
// newTrimmedGraph in internal/report): nodes at the report's granularity with
// flat and cum, edges caller -> callee with the value that flows through
// them, then pprof's pruning.  Built from the same resolved, pruned and
// filtered samples as the text report; rendered by report/render_dot.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "report/report.h"
#include "report/report_profile.h"

namespace hprof {

// The pruning, with pprof's defaults.
struct GraphOptions {
  // --nodecount: the nodes drawn at most, chosen in pprof's visual order;
  // 0 draws every node nodefraction keeps.
  int nodecount = 80;
  // --nodefraction: nodes whose |cum| is below this share of the graph's
  // flat sum are dropped (before --nodecount chooses).
  double nodefraction = 0.005;
  // --edgefraction: edges whose |weight| is below this share are dropped.
  double edgefraction = 0.001;
  // --maxdegree: the Perl pprof's limit of edges into and out of a node, the
  // heaviest kept first (a node's heaviest caller is always kept); 0: none.
  int maxdegree = 8;
};

struct GraphNode {
  // The row's name (ReportRow::name) without " (inline)": a function's
  // inlined and out-of-line frames are one node, as in the Go pprof.
  std::string name;
  int64_t flat = 0;  // of the samples whose innermost frame is this node
  int64_t cum = 0;   // of the samples through this node, once per stack
};

struct GraphEdge {
  uint32_t from = 0;      // the caller, an index into CallGraph::nodes
  uint32_t to = 0;        // the callee
  int64_t weight = 0;     // the value of the samples through the call, once per stack
  bool inlined = false;   // every call it stands for was inlined into the caller
  bool residual = false;  // it passes over nodes that were dropped
};

struct CallGraph {
  int64_t total = 0;                   // Report::total
  int64_t empty_stack_records = 0;     // Report::empty_stack_records
  std::vector<GraphNode> nodes;        // kept, in the Go pprof's visual order (its DOT's N1, N2, ...)
  std::vector<GraphEdge> edges;        // kept, heaviest first
  std::size_t dropped_nodes = 0;       // below nodefraction
  std::size_t dropped_edges = 0;       // below edgefraction, or past maxdegree
  std::size_t nodes_before_count = 0;  // the nodes --nodecount chose from
  // What the legend says was dropped: |total * fraction| ("cum <= ...").
  int64_t node_limit = 0;
  int64_t edge_limit = 0;
  std::string program;  // what the legend names the profile's program by ("" when unknown)
};

// Sums the profiles (the base negated, as for build_report) into a graph and
// prunes it in the Go pprof's order: nodes below nodefraction, then the
// first nodecount in its visual (entropy) order, counting each node's
// object-size boxes as it does; then edges below edgefraction, residual
// edges whose callee is reached another way, and edges past maxdegree.
CallGraph build_call_graph(const std::vector<const ReportProfile*>& profiles, const ReportOptions& options,
                           const GraphOptions& graph_options);

}  // namespace hprof
