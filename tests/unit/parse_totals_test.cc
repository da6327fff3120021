// A profile whose counts add up past what int64_t holds is rejected at the
// record where the sum overflows: every report sums them (found by fuzzing,
// testdata/fuzz/regressions/heap_profile/sum-overflows-int64.heap).
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "common/error.h"
#include "parse/parse_heap_profile.h"

namespace hprof {
namespace {

// The InputError parsing `text` throws; fails the test when it parses.
InputError parse_error(const std::string& text) {
  std::istringstream in(text);
  std::ostringstream warnings;
  Diagnostics diags(warnings);
  try {
    parse_heap_profile(in, "t.heap", diags);
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "parsed:\n" << text;
  return InputError("", 0, "");
}

TEST(ParseTotals, InuseBytesAddingUpPast2To63AreAnErrorAtTheRecord) {
  const InputError e = parse_error(
      "heap profile: 1: 2 [3: 4] @ heapprofile\n"
      "1: 9223372036854775807 [1: 1] @ 0x10\n"
      "1: 1 [1: 1] @ 0x20\n");
  EXPECT_EQ(e.file(), "t.heap");
  EXPECT_EQ(e.line(), 3u);
  EXPECT_EQ(e.reason(), "the counts up to this record add up to more than 2^63-1 (after unsampling); not a real heap profile");
}

TEST(ParseTotals, JemallocAllocatedCountsAreCheckedToo) {
  const InputError e = parse_error(
      "heap_v2/1\n"
      "  t*: 2: 2 [0: 0]\n"
      "@ 0x10\n"
      "  t*: 1: 1 [9223372036854775807: 1]\n"
      "@ 0x20\n"
      "  t*: 1: 1 [1: 1]\n");
  EXPECT_EQ(e.line(), 5u);
}

TEST(ParseTotals, CountsUpTo2To63Minus1Parse) {
  std::istringstream in(
      "heap profile: 1: 2 [3: 4] @ heapprofile\n"
      "1: 9223372036854775806 [1: 1] @ 0x10\n"
      "1: 1 [1: 1] @ 0x20\n");
  std::ostringstream warnings;
  Diagnostics diags(warnings);
  EXPECT_EQ(parse_heap_profile(in, "t.heap", diags).samples.size(), 2u);
}

}  // namespace
}  // namespace hprof
