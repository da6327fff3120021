// The call graph and the Go pprof's pruning of it, on small profiles: stacks
// are written leaf first, each {...} one location (its frames innermost
// first).
#include "report/graph.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "profile_builder.h"

namespace hprof {
namespace {

using ::hprof::testing::fn;
using ::hprof::testing::ProfileBuilder;

// No pruning at all.
constexpr GraphOptions kNoPruning{.nodecount = 0, .nodefraction = 0, .edgefraction = 0, .maxdegree = 0};

CallGraph graph(const ProfileBuilder& b, const GraphOptions& o, ReportOptions options = {}) {
  const ReportProfile profile = b.build();
  return build_call_graph({&profile}, options, o);
}

const GraphNode* node(const CallGraph& g, const std::string& name) {
  for (const GraphNode& n : g.nodes) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

std::vector<std::string> node_names(const CallGraph& g) {
  std::vector<std::string> names;
  for (const GraphNode& n : g.nodes) names.push_back(n.name);
  return names;
}

const GraphEdge* edge(const CallGraph& g, const std::string& from, const std::string& to) {
  for (const GraphEdge& e : g.edges) {
    if (g.nodes[e.from].name == from && g.nodes[e.to].name == to) return &e;
  }
  return nullptr;
}

// `bytes` in `objects` objects of one size, so that each node's flat has one
// object size (one of the Go pprof's boxes).
HeapValues in_use(int64_t bytes, int64_t objects = 1) { return HeapValues{objects, bytes, objects, bytes}; }

TEST(CallGraph, FlatGoesToTheLeafAndCumToEveryNodeOnTheStack) {
  ProfileBuilder b;
  b.sample(100, {{fn("leaf")}, {fn("mid")}, {fn("main")}}).sample(50, {{fn("mid")}, {fn("main")}});
  const CallGraph g = graph(b, kNoPruning);
  ASSERT_EQ(g.nodes.size(), 3u);
  EXPECT_EQ(node(g, "leaf")->flat, 100);
  EXPECT_EQ(node(g, "leaf")->cum, 100);
  EXPECT_EQ(node(g, "mid")->flat, 50);
  EXPECT_EQ(node(g, "mid")->cum, 150);
  EXPECT_EQ(node(g, "main")->flat, 0);
  EXPECT_EQ(node(g, "main")->cum, 150);
  EXPECT_EQ(g.total, 150);
}

TEST(CallGraph, AnEdgeCarriesTheValueOfTheStacksThroughTheCall) {
  ProfileBuilder b;
  b.sample(100, {{fn("leaf")}, {fn("mid")}, {fn("main")}}).sample(50, {{fn("mid")}, {fn("main")}});
  const CallGraph g = graph(b, kNoPruning);
  ASSERT_EQ(g.edges.size(), 2u);
  ASSERT_TRUE(edge(g, "main", "mid"));
  EXPECT_EQ(edge(g, "main", "mid")->weight, 150);
  ASSERT_TRUE(edge(g, "mid", "leaf"));
  EXPECT_EQ(edge(g, "mid", "leaf")->weight, 100);
  EXPECT_FALSE(edge(g, "mid", "leaf")->inlined);
  EXPECT_FALSE(edge(g, "mid", "leaf")->residual);
  // Heaviest first.
  EXPECT_EQ(g.nodes[g.edges[0].to].name, "mid");
}

TEST(CallGraph, RecursionCountsOncePerStack) {
  ProfileBuilder b;
  // f -> g -> f, and f calling itself directly.
  b.sample(100, {{fn("f")}, {fn("g")}, {fn("f")}, {fn("main")}}).sample(10, {{fn("f")}, {fn("f")}, {fn("main")}});
  const CallGraph g = graph(b, kNoPruning);
  EXPECT_EQ(node(g, "f")->cum, 110);
  EXPECT_EQ(node(g, "f")->flat, 110);
  EXPECT_EQ(node(g, "g")->cum, 100);
  EXPECT_EQ(edge(g, "main", "f")->weight, 110);
  EXPECT_EQ(edge(g, "f", "g")->weight, 100);
  EXPECT_EQ(edge(g, "g", "f")->weight, 100);
  EXPECT_FALSE(edge(g, "f", "f")) << "a call of a node to itself is no edge, as in the Go pprof";
}

TEST(CallGraph, AnInlinedFrameIsItsFunctionsNodeAndItsCallEdgeIsMarkedInline) {
  ProfileBuilder b;
  // copy_into inlined into outer at one place, called out of line from main at another.
  b.sample(100, {{fn("copy_into", true), fn("outer")}, {fn("main")}}).sample(50, {{fn("copy_into")}, {fn("main")}});
  const CallGraph g = graph(b, kNoPruning);
  EXPECT_EQ(node_names(g).size(), 3u);
  ASSERT_TRUE(node(g, "copy_into"));
  EXPECT_FALSE(node(g, "copy_into (inline)"));
  EXPECT_EQ(node(g, "copy_into")->flat, 150);
  ASSERT_TRUE(edge(g, "outer", "copy_into"));
  EXPECT_TRUE(edge(g, "outer", "copy_into")->inlined);
  EXPECT_EQ(edge(g, "outer", "copy_into")->weight, 100);
  EXPECT_FALSE(edge(g, "main", "copy_into")->inlined);
  EXPECT_FALSE(edge(g, "main", "outer")->inlined);
}

TEST(CallGraph, AnEdgeIsInlineOnlyWhenEveryCallItStandsForWasInlined) {
  ProfileBuilder b;
  b.sample(100, {{fn("f", true), fn("main")}}).sample(50, {{fn("f")}, {fn("main")}});
  const CallGraph g = graph(b, kNoPruning);
  ASSERT_TRUE(edge(g, "main", "f"));
  EXPECT_EQ(edge(g, "main", "f")->weight, 150);
  EXPECT_FALSE(edge(g, "main", "f")->inlined);
}

TEST(CallGraph, OnlyKeptSamplesMakeNodesAndEverySampleCountsInTotal) {
  ProfileBuilder b;
  b.sample(100, {{fn("a")}, {fn("main")}}).sample(40, {{fn("b")}, {fn("main")}}).sample(7, {});
  ReportProfile profile = b.build();
  profile.kept = {1, 0, 1};  // --focus=a
  const CallGraph g = build_call_graph({&profile}, ReportOptions{}, kNoPruning);
  EXPECT_EQ(g.total, 147);
  EXPECT_EQ(g.empty_stack_records, 1);
  EXPECT_FALSE(node(g, "b"));
  EXPECT_EQ(node(g, "main")->cum, 100);
}

TEST(CallGraph, NodefractionDropsNodesBelowTheShareOfTheFlatSumAndTheirFlatWithThem) {
  ProfileBuilder b;
  // Flat sum 1000: the cutoff is int64(1000 * 0.005) = 5; a node with cum 5 stays.
  b.sample(991, {{fn("a")}, {fn("main")}})
      .sample(4, {{fn("tiny")}, {fn("a")}, {fn("main")}})
      .sample(5, {{fn("small")}, {fn("main")}});
  const CallGraph g = graph(b, GraphOptions{.nodecount = 0, .nodefraction = 0.005, .edgefraction = 0, .maxdegree = 0});
  EXPECT_FALSE(node(g, "tiny"));
  ASSERT_TRUE(node(g, "small"));
  EXPECT_EQ(g.dropped_nodes, 1u);
  EXPECT_EQ(g.node_limit, 5);
  // tiny's sample still passes a and main; its flat is nobody's, as in the Go pprof.
  EXPECT_EQ(node(g, "a")->cum, 995);
  EXPECT_EQ(node(g, "a")->flat, 991);
  EXPECT_EQ(node(g, "main")->cum, 1000);
}

TEST(CallGraph, AnEdgeOverDroppedNodesIsResidual) {
  ProfileBuilder b;
  // mid1 and mid2 (cum 3 each) are below the cutoff 5; leaf (cum 6) is not.
  b.sample(3, {{fn("leaf")}, {fn("mid1")}, {fn("main")}})
      .sample(3, {{fn("leaf")}, {fn("mid2")}, {fn("main")}})
      .sample(994, {{fn("a")}, {fn("main")}});
  const CallGraph g = graph(b, GraphOptions{.nodecount = 0, .nodefraction = 0.005, .edgefraction = 0, .maxdegree = 0});
  EXPECT_EQ(g.dropped_nodes, 2u);
  ASSERT_TRUE(edge(g, "main", "leaf"));
  EXPECT_TRUE(edge(g, "main", "leaf")->residual);
  EXPECT_EQ(edge(g, "main", "leaf")->weight, 6);
  EXPECT_EQ(node(g, "leaf")->flat, 6);
}

TEST(CallGraph, AResidualEdgeGoesWhenItsCalleeIsReachedAnotherWay) {
  ProfileBuilder b;
  b.sample(3, {{fn("leaf")}, {fn("mid1")}, {fn("main")}})
      .sample(3, {{fn("leaf")}, {fn("mid2")}, {fn("main")}})
      .sample(994, {{fn("leaf")}, {fn("big")}, {fn("main")}});
  const CallGraph g = graph(b, GraphOptions{.nodecount = 0, .nodefraction = 0.005, .edgefraction = 0, .maxdegree = 0});
  EXPECT_FALSE(edge(g, "main", "leaf")) << "main reaches leaf through big";
  ASSERT_TRUE(edge(g, "big", "leaf"));
  EXPECT_EQ(g.edges.size(), 2u);
  EXPECT_EQ(g.dropped_edges, 0u) << "the Go pprof does not count it as dropped";
}

TEST(CallGraph, EdgefractionDropsLightEdgesAndKeepsTheirNodes) {
  ProfileBuilder b;
  // Flat sum 1000: the edge cutoff is int64(1000 * 0.01) = 10.
  b.sample(990, {{fn("a")}, {fn("main")}}).sample(9, {{fn("b")}, {fn("main")}}).sample(1, {{fn("c")}, {fn("main")}});
  const CallGraph g = graph(b, GraphOptions{.nodecount = 0, .nodefraction = 0, .edgefraction = 0.01, .maxdegree = 0});
  EXPECT_TRUE(edge(g, "main", "a"));
  EXPECT_FALSE(edge(g, "main", "b"));
  EXPECT_FALSE(edge(g, "main", "c"));
  EXPECT_EQ(g.dropped_edges, 2u);
  EXPECT_EQ(g.edge_limit, 10);
  EXPECT_TRUE(node(g, "b"));
  EXPECT_TRUE(node(g, "c"));
}

TEST(CallGraph, NodesAreInTheGoPprofsEntropyOrder) {
  ProfileBuilder b;
  b.sample(in_use(600), {{fn("a")}, {fn("main")}}).sample(in_use(400), {{fn("b")}, {fn("main")}});
  const CallGraph g = graph(b, kNoPruning);
  // main: (1 for an entry + the entropy of its calls, 0.971) * cum 1000 = 1970;
  // a: (0 for its one caller + 1 for a leaf) * 600 + flat 600 = 1200; b: 800.
  EXPECT_EQ(node_names(g), (std::vector<std::string>{"main", "a", "b"}));
}

TEST(CallGraph, NodecountKeepsTheFirstNodesCountingEachObjectSizeOfTheirFlatAsTheGoPprofsBoxes) {
  ProfileBuilder b;
  b.sample(in_use(600), {{fn("a")}, {fn("main")}}).sample(in_use(400), {{fn("b")}, {fn("main")}});
  // main counts 1, a 1 + its one object size: 3 reached with two nodes.
  const CallGraph g = graph(b, GraphOptions{.nodecount = 3, .nodefraction = 0, .edgefraction = 0, .maxdegree = 0});
  // Sorted again once rebuilt: main, with one call left, now scores (1 + 0) * 1000.
  EXPECT_EQ(node_names(g), (std::vector<std::string>{"a", "main"}));
  EXPECT_EQ(g.nodes_before_count, 3u);
  EXPECT_EQ(g.dropped_nodes, 0u) << "nodecount's are said as 'top N of M'";
  // Rebuilt from the samples: b's value still passes main.
  EXPECT_EQ(node(g, "main")->cum, 1000);
  EXPECT_EQ(node(g, "main")->flat, 0);
}

TEST(CallGraph, NodecountCountsAtMostFourObjectSizesPerNode) {
  ProfileBuilder b;
  for (int64_t size = 1; size <= 6; ++size) b.sample(in_use(100 * size, 1), {{fn("a")}});
  b.sample(in_use(10), {{fn("b")}});
  b.sample(in_use(5), {{fn("c")}});
  // a: 1 + min(6 sizes, 4) = 5; b brings 7.
  EXPECT_EQ(graph(b, GraphOptions{.nodecount = 7, .nodefraction = 0, .edgefraction = 0, .maxdegree = 0}).nodes.size(),
            2u);
  EXPECT_EQ(graph(b, GraphOptions{.nodecount = 8, .nodefraction = 0, .edgefraction = 0, .maxdegree = 0}).nodes.size(),
            3u);
}

TEST(CallGraph, ObjectSizesPrintedAlikeInGoPprofsDefaultUnitAreOneBox) {
  ProfileBuilder b;
  // 1030 and 1031 B both print "1.01kB"; in bytes (--show_bytes, Go's -unit=B) they are two.
  b.sample(in_use(1030), {{fn("a")}}).sample(in_use(1031), {{fn("a")}}).sample(in_use(10), {{fn("b")}});
  const GraphOptions three{.nodecount = 3, .nodefraction = 0, .edgefraction = 0, .maxdegree = 0};
  EXPECT_EQ(node_names(graph(b, three)), (std::vector<std::string>{"a", "b"}));
  ReportOptions exact;
  exact.show_bytes = true;
  EXPECT_EQ(node_names(graph(b, three, exact)), (std::vector<std::string>{"a"}));
}

TEST(CallGraph, MaxdegreeKeepsTheHeaviestCallersOfANode) {
  ProfileBuilder b;
  b.sample(30, {{fn("leaf")}, {fn("x")}}).sample(20, {{fn("leaf")}, {fn("y")}}).sample(10, {{fn("leaf")}, {fn("z")}});
  const CallGraph g = graph(b, GraphOptions{.nodecount = 0, .nodefraction = 0, .edgefraction = 0, .maxdegree = 2});
  EXPECT_TRUE(edge(g, "x", "leaf"));
  EXPECT_TRUE(edge(g, "y", "leaf"));
  EXPECT_FALSE(edge(g, "z", "leaf"));
  EXPECT_EQ(g.dropped_edges, 1u);
}

TEST(CallGraph, MaxdegreeKeepsAnEdgeThatAloneReachesItsCallee) {
  ProfileBuilder b;
  b.sample(30, {{fn("a")}, {fn("main")}}).sample(20, {{fn("b")}, {fn("main")}}).sample(10, {{fn("c")}, {fn("main")}});
  const CallGraph g = graph(b, GraphOptions{.nodecount = 0, .nodefraction = 0, .edgefraction = 0, .maxdegree = 1});
  EXPECT_EQ(g.edges.size(), 3u);
  EXPECT_EQ(g.dropped_edges, 0u);
}

TEST(CallGraph, DefaultsArePprofs) {
  const GraphOptions o;
  EXPECT_EQ(o.nodecount, 80);
  EXPECT_EQ(o.nodefraction, 0.005);
  EXPECT_EQ(o.edgefraction, 0.001);
  EXPECT_EQ(o.maxdegree, 8);
}

TEST(CallGraph, LinesGranularityKeysNodesByLineWithInlinedFramesMerged) {
  ProfileBuilder b;
  b.sample(100, {{testing::src("f", "/src/a.cc", 12, true), testing::src("main", "/src/m.cc", 3)}});
  ReportOptions o;
  o.granularity = Granularity::kLines;
  const CallGraph g = graph(b, kNoPruning, o);
  EXPECT_EQ(node_names(g), (std::vector<std::string>{"f /src/a.cc:12", "main /src/m.cc:3"}));
  ASSERT_TRUE(edge(g, "main /src/m.cc:3", "f /src/a.cc:12"));
  EXPECT_TRUE(edge(g, "main /src/m.cc:3", "f /src/a.cc:12")->inlined);
}

}  // namespace
}  // namespace hprof
