// --dot: a call graph written as the Go pprof's -dot writes it.
#include "report/render_dot.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace hprof {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ReportOptions in_bytes() {
  ReportOptions o;
  o.show_bytes = true;
  return o;
}

// main (cum 1000) -> ns::Holder::grow (600, inlined into main) and -> load (400).
CallGraph small_graph() {
  CallGraph g;
  g.total = 1000;
  g.program = "workload";
  g.nodes = {GraphNode{"ns::Holder::grow", 600, 600}, GraphNode{"main", 0, 1000}, GraphNode{"load", 400, 400}};
  g.edges = {GraphEdge{1, 0, 600, /*inlined=*/true, /*residual=*/false},
             GraphEdge{1, 2, 400, /*inlined=*/false, /*residual=*/true}};
  return g;
}

// A graph of one node.
CallGraph one_node(const std::string& name, int64_t flat, int64_t cum, int64_t total) {
  CallGraph g;
  g.total = total;
  g.nodes = {GraphNode{name, flat, cum}};
  return g;
}

TEST(RenderDot, IsADigraphNamedByItsProfilesWithDefaultNodeStyle) {
  const std::string dot = render_dot(small_graph(), in_bytes(), "a.heap - \"base\".heap");
  EXPECT_TRUE(dot.starts_with("digraph \"a.heap - \\\"base\\\".heap\" {\nnode [style=filled fillcolor=\"#f8f8f8\"]\n"))
      << dot;
  EXPECT_TRUE(dot.ends_with("}\n"));
}

TEST(RenderDot, LegendNamesProgramTypeTotalAndWhatWasDropped) {
  CallGraph g = small_graph();
  g.dropped_nodes = 2;
  g.node_limit = 5;
  g.dropped_edges = 1;
  g.edge_limit = 1;
  g.nodes_before_count = 5;
  EXPECT_THAT(render_dot(g, in_bytes(), "a.heap"),
              HasSubstr("subgraph cluster_L { \"File: workload\" [shape=box fontsize=16 label=\"File: workload\\l"
                        "Type: inuse_space\\l"
                        "Showing nodes accounting for 1000 B, 100% of 1000 B total\\l"
                        "Dropped 2 nodes (cum <= 5 B)\\l"
                        "Dropped 1 edge (freq <= 1 B)\\l"
                        "Showing top 3 nodes out of 5\\l\"] }\n"));
}

TEST(RenderDot, LegendSaysNothingWasDroppedWhenNothingWas) {
  const std::string dot = render_dot(small_graph(), in_bytes(), "a.heap");
  EXPECT_THAT(dot, Not(HasSubstr("Dropped")));
  EXPECT_THAT(dot, Not(HasSubstr("Showing top")));
}

TEST(RenderDot, NodeLabelIsShortNameFlatAndCumWithFontGrowingWithFlat) {
  const std::string dot = render_dot(small_graph(), in_bytes(), "a.heap");
  // flat == cum: one value; the largest flat gets 8 + 16 points.
  EXPECT_THAT(dot, HasSubstr("N1 [label=\"Holder\\ngrow\\n600 B (60.00%)\" id=\"node1\" fontsize=24 shape=box "
                             "tooltip=\"ns::Holder::grow (600 B)\""));
  // No flat: "0 of" cum; the smallest font.
  EXPECT_THAT(dot, HasSubstr("N2 [label=\"main\\n0 of 1000 B (100%)\" id=\"node2\" fontsize=8 shape=box "
                             "tooltip=\"main (1000 B)\""));
  // 8 + ceil(16 * sqrt(400 / 600)) = 8 + 14.
  EXPECT_THAT(dot, HasSubstr("N3 [label=\"load\\n400 B (40.00%)\" id=\"node3\" fontsize=22 "));
}

TEST(RenderDot, NodeWithFlatAndMoreCumShowsBoth) {
  EXPECT_THAT(render_dot(one_node("f", 250, 1000, 1000), in_bytes(), "a.heap"),
              HasSubstr("label=\"f\\n250 B (25.00%)\\nof 1000 B (100%)\""));
}

TEST(RenderDot, EdgeWeightAndPenWidthGrowWithItsShareOfTotal) {
  const std::string dot = render_dot(small_graph(), in_bytes(), "a.heap");
  // 1 + 600 * 100 / 1000 and 1 + 600 * 5 / 1000.
  EXPECT_THAT(dot, HasSubstr("N2 -> N1 [label=\" 600 B\\n (inline)\" weight=61 penwidth=4 color="));
  EXPECT_THAT(dot, HasSubstr("N2 -> N3 [label=\" 400 B\" weight=41 penwidth=3 color="));
}

TEST(RenderDot, InlinedCallIsDashedAndCallOverDroppedNodesDotted) {
  const std::string dot = render_dot(small_graph(), in_bytes(), "a.heap");
  EXPECT_THAT(dot, HasSubstr("tooltip=\"main -> ns::Holder::grow (600 B)\" labeltooltip=\"main -> ns::Holder::grow "
                             "(600 B)\" style=\"dashed\"]\n"));
  EXPECT_THAT(dot, HasSubstr("tooltip=\"main ... load (400 B)\" labeltooltip=\"main ... load (400 B)\" "
                             "style=\"dotted\"]\n"));
}

TEST(RenderDot, ValuesAreInTheTextReportsUnit) {
  EXPECT_THAT(render_dot(one_node("f", 3 << 20, 3 << 20, 3 << 20), ReportOptions{}, "a.heap"),
              HasSubstr("label=\"f\\n3.0 MB (100%)\""));
}

TEST(RenderDot, QuotesAndBackslashesInNamesAreEscaped) {
  EXPECT_THAT(render_dot(one_node("say\"hi\\", 1, 1, 1), in_bytes(), "a.heap"),
              HasSubstr("tooltip=\"say\\\"hi\\\\ (1 B)\""));
}

TEST(RenderDot, OtherGranularitiesLabelWithTheWholeRowName) {
  ReportOptions o = in_bytes();
  o.granularity = Granularity::kLines;
  EXPECT_THAT(render_dot(one_node("ns::f /src/a.cc:12", 1, 1, 1), o, "a.heap"),
              HasSubstr("label=\"ns::f /src/a.cc:12\\n1 B (100%)\""));
}

TEST(ShortenedFunctionName, DropsNamespacesAndPackagesAsGoPprofDoes) {
  EXPECT_EQ(shortened_function_name("ns::Holder::grow"), "Holder::grow");
  EXPECT_EQ(shortened_function_name("(anonymous namespace)::leak"), "leak");
  EXPECT_EQ(shortened_function_name("std::__cxx11::basic_string::_M_construct"),
            "std::__cxx11::basic_string::_M_construct")
      << "no class name in capitals: kept whole";
  EXPECT_EQ(shortened_function_name("java.util.HashMap.resize"), "HashMap.resize");
  EXPECT_EQ(shortened_function_name("github.com/x/y/v2/pkg.Func"), "pkg.Func");
  EXPECT_EQ(shortened_function_name("malloc"), "malloc");
}

TEST(GoPercentage, TwoDecimalsFromOnePercentTwoDigitsBelow) {
  EXPECT_EQ(go_percentage(8512, 10000), "85.12%");
  EXPECT_EQ(go_percentage(5, 1000), "0.5%");
  EXPECT_EQ(go_percentage(12, 1000), "1.20%");
  EXPECT_EQ(go_percentage(99960, 100000), "100%");
  EXPECT_EQ(go_percentage(0, 1000), "0%");
  EXPECT_EQ(go_percentage(5, 0), "0%");
  EXPECT_EQ(go_percentage(-50, 100), "50.00%");
}

}  // namespace
}  // namespace hprof
