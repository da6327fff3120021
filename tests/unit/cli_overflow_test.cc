// Values that each fit in int64_t but whose sum in one report would not: the
// profiles are refused, naming the one that tips it over, rather than the
// report layer overflowing (undefined behaviour) into a wrong Total.
#include <gtest/gtest.h>

#include <string>

#include "cli_harness.h"

namespace hprof {
namespace {

using testing::Outcome;
using testing::run_with;
using CliOverflow = testing::CliTest;

// One record of 2^62 bytes in use: two such profiles sum to 2^63, one past int64_t.
constexpr const char* kQuarterOfInt64 =
    "heap profile: 1: 4611686018427387904 [1: 4611686018427387904] @ heapprofile\n"
    "1: 4611686018427387904 [1: 4611686018427387904] @ 0x1000\n"
    "\nMAPPED_LIBRARIES:\n";
// The same, minus one byte: summed with the one above, 2^63-1 exactly.
constexpr const char* kJustBelow =
    "heap profile: 1: 4611686018427387903 [1: 4611686018427387903] @ heapprofile\n"
    "1: 4611686018427387903 [1: 4611686018427387903] @ 0x1000\n"
    "\nMAPPED_LIBRARIES:\n";

constexpr const char* kTooMuch =
    ": with this profile the values summed in one report pass 2^63-1; report the profiles one at a time\n";

TEST_F(CliOverflow, TwoProfilesSummingPast2To63AreAnErrorNamingTheSecond) {
  const std::string a = write("a.heap", kQuarterOfInt64);
  const std::string b = write("b.heap", kQuarterOfInt64);
  Outcome o = run_with({a, b});
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "hprof-text: error: " + b + kTooMuch);
}

TEST_F(CliOverflow, TwoProfilesSummingTo2To63Minus1AreReported) {
  const std::string a = write("a.heap", kQuarterOfInt64);
  const std::string b = write("b.heap", kJustBelow);
  Outcome o = run_with({"--show_bytes", a, b});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out.rfind("Total: 9223372036854775807 B\n", 0), 0u) << o.out;
}

TEST_F(CliOverflow, ABaseCountsByItsMagnitude) {
  // profile - base = 0 fits, but the report adds the negated base to the profile's rows.
  const std::string a = write("a.heap", kQuarterOfInt64);
  const std::string base = write("base.heap", kQuarterOfInt64);
  const std::string b = write("b.heap", kQuarterOfInt64);
  Outcome o = run_with({"--base", base, a, b});
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.out, "");
  EXPECT_NE(o.err.find(kTooMuch), std::string::npos) << o.err;
}

TEST_F(CliOverflow, ATrendBoundsTheSumOfItsDumpsForTheirDifference) {
  const std::string a = write("a.heap", kQuarterOfInt64);
  const std::string b = write("b.heap", kQuarterOfInt64);
  Outcome o = run_with({"--trend", a, b});
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "hprof-text: error: " + b + kTooMuch);
}

TEST_F(CliOverflow, EachProfileOfABatchIsBoundedOnItsOwn) {
  const std::string a = write("a.heap", kQuarterOfInt64);
  const std::string b = write("b.heap", kQuarterOfInt64);
  Outcome o = run_with({"--output-suffix=.txt", a, b});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_NE(testing::read_file(b + ".txt").find("Total:"), std::string::npos);
}

}  // namespace
}  // namespace hprof
