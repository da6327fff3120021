// --dot against the Go pprof's -dot on the same real dumps, with the same
// fractions and node count: the same kept nodes wherever the two tools name
// a function alike, each with the same flat and cum, and each edge between
// them with the same weight.  And Graphviz's dot reads what we write.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "harness.h"
#include "reference_runs.h"

namespace e2e {
namespace {

struct DotGraph {
  std::map<std::string, Row> nodes;                              // by name, as the tooltip gives it
  std::map<std::pair<std::string, std::string>, int64_t> edges;  // (caller, callee) -> weight
};

// The integer a value starts with: "1234B" (Go's -unit=B), "1234 B" (ours, --show_bytes).
int64_t value_at(const std::string& s, std::size_t at = 0) { return std::stoll(s.substr(at)); }

// The text between `open` and the next `close` after it in `line`; "" when absent.
std::string between(const std::string& line, const std::string& open, const std::string& close) {
  const std::size_t start = line.find(open);
  if (start == std::string::npos) return "";
  const std::size_t end = line.find(close, start + open.size());
  return end == std::string::npos ? "" : line.substr(start + open.size(), end - start - open.size());
}

// Flat from a node's label: "...name\nFLAT (p%)", "...\nFLAT (p%)\nof CUM (p%)" or "...\n0 of CUM (p%)".
int64_t flat_of_label(const std::string& label) {
  std::vector<std::string> lines;
  for (std::size_t at = 0;;) {
    const std::size_t next = label.find("\\n", at);
    lines.push_back(label.substr(at, next == std::string::npos ? std::string::npos : next - at));
    if (next == std::string::npos) break;
    at = next + 2;
  }
  const std::string& last = lines.back();
  if (last.starts_with("of ")) return value_at(lines[lines.size() - 2]);
  if (last.starts_with("0 of ")) return 0;
  return value_at(last);
}

// Reads the nodes and edges of a call graph as the Go pprof's -dot writes it
// (its object-size boxes, N1_0 and N1 -> N1_0, skipped).
DotGraph parse_dot(const std::string& dot) {
  DotGraph g;
  std::map<std::string, std::string> names;  // "N1" -> name
  std::istringstream in(dot);
  for (std::string line; std::getline(in, line);) {
    const std::size_t id_end = line.find(' ');
    if (!line.starts_with('N') || id_end == std::string::npos ||
        line.substr(0, id_end).find('_') != std::string::npos) {
      continue;
    }
    const std::string id = line.substr(0, id_end);
    if (line.compare(id_end, 9, " [label=\"") == 0) {
      const std::string tooltip = between(line, "tooltip=\"", "\" color=");
      const std::size_t paren = tooltip.rfind(" (");
      const std::string name = tooltip.substr(0, paren);
      names[id] = name;
      g.nodes[name] = Row{flat_of_label(between(line, "label=\"", "\" id=\"node")), value_at(tooltip, paren + 2)};
    } else if (line.compare(id_end, 4, " -> ") == 0) {
      const std::size_t bracket = line.find(" [label=\" ", id_end + 4);
      const std::string to = line.substr(id_end + 4, bracket - id_end - 4);
      if (bracket == std::string::npos || to.find('_') != std::string::npos) continue;
      g.edges[{names.at(id), names.at(to)}] = value_at(line, bracket + 10);
    }
  }
  return g;
}

// The functions a whole text report names (" (inline)" dropped): a node
// either tool keeps and the other's report never names is a naming
// difference (docs/compat.md), not a pruning one.
std::set<std::string> functions_of(const std::vector<std::string>& names) {
  std::set<std::string> functions;
  for (const std::string& name : names) functions.insert(function_of(name));
  return functions;
}

struct DotComparison {
  int agreeing_nodes = 0;
  int agreeing_edges = 0;
  // The legend's "Showing top N nodes out of M" of each ("" when --nodecount kept every node).
  std::string our_top_line, go_top_line;
};

std::string top_line(const std::string& dot) { return between(dot, "Showing top ", "\\l"); }

DotComparison compare_dot_with_go(const std::string& program, const std::string& dump,
                                  const std::vector<std::string>& pruning) {
  std::vector<std::string> our_args{"--dot", "--show_bytes", "--maxdegree=0"};  // the Go pprof has no maxdegree
  std::vector<std::string> go_args{GO_PPROF, "-dot", "-unit=B"};
  for (const std::string& option : pruning) {
    our_args.push_back("-" + option);
    go_args.push_back(option);
  }
  our_args.insert(our_args.end(), {program, dump});
  go_args.insert(go_args.end(), {program, dump});
  CommandResult ours = hprof_text(our_args);
  EXPECT_EQ(ours.exit_status, 0) << ours.err;
  CommandResult go = run_reference(go_args);
  EXPECT_EQ(go.exit_status, 0) << go.err;
  const DotGraph our_graph = parse_dot(ours.out);
  const DotGraph go_graph = parse_dot(go.out);
  EXPECT_FALSE(go_graph.nodes.empty()) << go.out;

  CommandResult our_text = hprof_text({"--show_bytes", program, dump});
  std::vector<std::string> go_text_names;
  for (const auto& [name, row] :
       parse_go_report(run_reference({GO_PPROF, "-text", "-nodefraction=0", "-unit=B", program, dump}).out)) {
    go_text_names.push_back(name);
  }
  const std::set<std::string> ours_named = functions_of(parse_text_report(our_text.out).names);
  const std::set<std::string> go_named = functions_of(go_text_names);

  DotComparison c;
  c.our_top_line = top_line(ours.out);
  c.go_top_line = top_line(go.out);
  for (const auto& [name, go_node] : go_graph.nodes) {
    if (!ours_named.count(name)) continue;
    auto it = our_graph.nodes.find(name);
    if (it == our_graph.nodes.end()) {
      ADD_FAILURE() << "the Go pprof keeps " << name << " (flat " << go_node.flat << ", cum " << go_node.cum
                    << "), we drop it";
      continue;
    }
    ++c.agreeing_nodes;
    EXPECT_EQ(it->second.flat, go_node.flat) << "flat of " << name;
    EXPECT_EQ(it->second.cum, go_node.cum) << "cum of " << name;
  }
  for (const auto& [name, our_node] : our_graph.nodes) {
    if (go_named.count(name) && !go_graph.nodes.count(name)) {
      ADD_FAILURE() << "we keep " << name << " (flat " << our_node.flat << ", cum " << our_node.cum
                    << "), the Go pprof drops it";
    }
  }
  for (const auto& [edge, go_weight] : go_graph.edges) {
    auto it = our_graph.edges.find(edge);
    if (it == our_graph.edges.end()) continue;
    ++c.agreeing_edges;
    EXPECT_EQ(it->second, go_weight) << "weight of " << edge.first << " -> " << edge.second;
  }
  return c;
}

// Graphviz's dot lays our output out with no complaint.
void expect_dot_reads(const std::vector<std::string>& args, const std::string& name) {
  CommandResult ours = hprof_text(args);
  ASSERT_EQ(ours.exit_status, 0) << ours.err;
  const std::string path = scratch_dir() + "/" + name + ".dot";
  std::ofstream(path) << ours.out;
  CommandResult svg = run_command({GRAPHVIZ_DOT, "-Tsvg", path});
  EXPECT_EQ(svg.exit_status, 0) << svg.err;
  EXPECT_EQ(svg.err, "");
  EXPECT_NE(svg.out.find("<svg"), std::string::npos);
  EXPECT_NE(svg.out.find("class=\"node\""), std::string::npos);
}

TEST(DotCpp, KeptNodesAndEdgesEqualGoPprofsWithItsDefaults) {
  const DotComparison c = compare_dot_with_go(E2E_WORKLOAD, cpp_workload_dump(), {});
  EXPECT_GE(c.agreeing_nodes, 8);
  EXPECT_GE(c.agreeing_edges, 8);
}

TEST(DotCpp, KeptNodesAndEdgesEqualGoPprofsWhenNodecountCutsCountingObjectSizeBoxes) {
  const DotComparison c = compare_dot_with_go(E2E_WORKLOAD, cpp_workload_dump(),
                                              {"-nodecount=5", "-nodefraction=0.02", "-edgefraction=0.01"});
  EXPECT_GE(c.agreeing_nodes, 3);
  // Fewer than 5: the nodes with flat bring their boxes of object sizes into the count.
  EXPECT_EQ(c.our_top_line, c.go_top_line);
  EXPECT_TRUE(c.our_top_line.starts_with("4 nodes out of ")) << c.our_top_line;
}

TEST(DotCpp, GraphvizReadsIt) {
  expect_dot_reads({"--dot", E2E_WORKLOAD, cpp_workload_dump()}, "cpp");
  expect_dot_reads({"--dot", "--lines", "--nodecount=0", E2E_WORKLOAD, cpp_workload_dump()}, "cpp-lines");
}

TEST(DotJvm, KeptNodesAndEdgesEqualGoPprofsWithItsDefaults) {
  const DotComparison c = compare_dot_with_go(java_program(), jvm_dumps().back(), {});
  EXPECT_GE(c.agreeing_nodes, 20);
  EXPECT_GE(c.agreeing_edges, 10);
}

TEST(DotJvm, GraphvizReadsIt) { expect_dot_reads({"--dot", java_program(), jvm_dumps().back()}, "jvm"); }

}  // namespace
}  // namespace e2e
