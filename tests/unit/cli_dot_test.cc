// --dot on the command line, and the options that prune its graph.
// run() in-process.
#include <gtest/gtest.h>

#include <string>

#include "cli_harness.h"

namespace hprof {
namespace {

using testing::Outcome;
using testing::run_with;
using testing::two_objects_profile;
using CliDot = testing::CliTest;

// Two one-frame stacks: 3000 B in libgone.so.1, 1000 B in libother.so (no files: named by object).
TEST_F(CliDot, PrintsTheCallGraphInDotWithOneNodePerFunction) {
  const std::string a = write("a.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  Outcome o = run_with({"--dot", "--show_bytes", a});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out.rfind("digraph \"", 0), 0u) << o.out;
  EXPECT_NE(o.out.find("Type: inuse_space\\lShowing nodes accounting for 4000 B, 100% of 4000 B total\\l"),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("N1 [label=\"[libgone.so.1]\\n3000 B (75.00%)\" id=\"node1\""), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("tooltip=\"[libother.so] (1000 B)\""), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find(" -> "), std::string::npos) << "one-frame stacks make no call";
}

TEST_F(CliDot, NodecountLimitsTheNodesAndTheLegendSaysOfHowMany) {
  const std::string a = write("a.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  Outcome o = run_with({"--dot", "--nodecount=1", a});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("\nN1 ["), std::string::npos);
  EXPECT_EQ(o.out.find("\nN2 ["), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("Showing top 1 nodes out of 2\\l"), std::string::npos) << o.out;
}

TEST_F(CliDot, NodefractionDropsSmallNodesAndTheLegendCountsThem) {
  const std::string a = write("a.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  // 1000 B is under 30% of 4000 B.
  Outcome o = run_with({"-dot", "-nodefraction=0.3", "--show_bytes", a});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out.find("libother"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("Dropped 1 node (cum <= 1200 B)\\l"), std::string::npos) << o.out;
}

TEST_F(CliDot, PruningOptionsWithoutDotAreAUsageErrorSayingSo) {
  const std::string a = write("a.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  for (const char* option : {"--nodecount=5", "--nodefraction=0.1", "--edgefraction=0.1", "--maxdegree=3"}) {
    Outcome o = run_with({option, a});
    EXPECT_EQ(o.status, 2) << option;
    EXPECT_TRUE(o.out.empty());
    const std::string name = std::string(option).substr(0, std::string(option).find('='));
    EXPECT_NE(o.err.find("hprof-text: error: " + name + " prunes the call graph: give it with --dot"),
              std::string::npos)
        << o.err;
  }
}

TEST_F(CliDot, CumIsAUsageErrorForAGraphHasNoRowsToSort) {
  const std::string a = write("a.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  Outcome o = run_with({"--dot", "--cum", a});
  EXPECT_EQ(o.status, 2);
  EXPECT_TRUE(o.out.empty());
  EXPECT_NE(o.err.find("--cum"), std::string::npos) << o.err;
}

TEST_F(CliDot, FractionsOutsideZeroToOneAndNegativeCountsAreUsageErrors) {
  const std::string a = write("a.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  for (const char* option : {"--nodefraction=1.5", "--edgefraction=-0.1", "--nodecount=-1", "--maxdegree=-2"}) {
    Outcome o = run_with({"--dot", option, a});
    EXPECT_EQ(o.status, 2) << option;
    EXPECT_TRUE(o.out.empty()) << option;
  }
}

}  // namespace
}  // namespace hprof
