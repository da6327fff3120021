// A gperftools dump's records with the same stack and the same values are
// one sample that counts them (parse/record_folding.h): a heap checker's
// dump writes one record per leaked object.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "common/error.h"
#include "parse/parse_heap_profile.h"

namespace hprof {
namespace {

HeapProfile parse_folded(const std::string& records, const std::string& header = "heap profile: 1: 2 [ 3: 4] @ heapprofile\n") {
  std::istringstream in(header + records + "\nMAPPED_LIBRARIES:\n");
  std::ostringstream sink;
  Diagnostics diags(sink);
  return parse_heap_profile(in, "t.heap", diags);
}

TEST(RecordFolding, EqualRecordsAreOneSampleThatCountsThemAndSumsTheirValues) {
  const HeapProfile p = parse_folded(
      "1: 64 [ 2: 128] @ 0x10 0x20\n"
      "1: 64 [ 2: 128] @ 0x10 0x20\n"
      "1: 64 [ 2: 128] @ 0x10 0x20\n");
  ASSERT_EQ(p.samples.size(), 1u);
  EXPECT_EQ(p.samples[0].records, 3u);
  EXPECT_EQ(p.samples[0].values, (HeapValues{3, 192, 6, 384}));
  EXPECT_EQ(p.samples[0].stack, (std::vector<uint64_t>{0x10, 0x20}));
  EXPECT_EQ(p.samples[0].line, 2u) << "the line of its first record";
}

TEST(RecordFolding, RecordsOfOneStackWithOtherValuesStayApart) {
  const HeapProfile p = parse_folded(
      "1: 64 [ 1: 64] @ 0x10 0x20\n"
      "1: 32 [ 1: 32] @ 0x10 0x20\n");
  ASSERT_EQ(p.samples.size(), 2u);
  EXPECT_EQ(p.samples[0].records, 1u);
  EXPECT_EQ(p.samples[1].records, 1u);
}

TEST(RecordFolding, SamplesKeepTheOrderOfTheirFirstRecords) {
  const HeapProfile p = parse_folded(
      "1: 8 [ 1: 8] @ 0x30\n"
      "1: 8 [ 1: 8] @ 0x10 0x20\n"
      "1: 8 [ 1: 8] @ 0x30\n"
      "1: 8 [ 1: 8] @ 0x10\n");
  ASSERT_EQ(p.samples.size(), 3u);
  EXPECT_EQ(p.samples[0].stack, (std::vector<uint64_t>{0x30}));
  EXPECT_EQ(p.samples[0].records, 2u);
  EXPECT_EQ(p.samples[1].stack, (std::vector<uint64_t>{0x10, 0x20}));
  EXPECT_EQ(p.samples[2].stack, (std::vector<uint64_t>{0x10}));
}

TEST(RecordFolding, EmptyStacksFoldLikeOthers) {
  const HeapProfile p = parse_folded(
      "1: 8 [ 1: 8] @\n"
      "1: 8 [ 1: 8] @\n");
  ASSERT_EQ(p.samples.size(), 1u);
  EXPECT_TRUE(p.samples[0].stack.empty());
  EXPECT_EQ(p.samples[0].records, 2u);
}

TEST(RecordFolding, SampledRecordsAreUnsampledOneByOneThenSummed) {
  const std::string header = "heap profile: 2: 200 [ 2: 200] @ heap_v2/524288\n";
  const HeapProfile p = parse_folded("1: 100 [ 1: 100] @ 0x10\n1: 100 [ 1: 100] @ 0x10\n", header);
  const CountBytes one = unsample_pair(1, 100, 524288);
  ASSERT_EQ(p.samples.size(), 1u);
  EXPECT_EQ(p.samples[0].values, (HeapValues{2 * one.count, 2 * one.bytes, 2 * one.count, 2 * one.bytes}));
}

TEST(RecordFolding, TheMagnitudeBoundIsCheckedAtTheRecordThatPassesIt) {
  // Each record alone fits; the second equal one brings the sum to 2^63.
  const std::string record = "1: 4611686018427387904 [ 1: 4611686018427387904] @ 0x10\n";
  try {
    parse_folded(record + record);
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.line(), 3u);
    EXPECT_NE(std::string(e.what()).find("more than 2^63-1"), std::string::npos) << e.what();
  }
}

TEST(RecordFolding, TheMagnitudeCountsEveryRecord) {
  const HeapProfile p = parse_folded("2: 64 [ 3: 96] @ 0x10\n2: 64 [ 3: 96] @ 0x10\n1: 8 [ 1: 8] @ 0x20\n");
  EXPECT_EQ(p.magnitude, (HeapValues{5, 136, 7, 200}));
}

}  // namespace
}  // namespace hprof
