#include "report/report.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "profile_builder.h"

namespace hprof {
namespace {

using ::hprof::testing::fn;
using ::hprof::testing::names;
using ::hprof::testing::ProfileBuilder;
using ::hprof::testing::row;

Report build(const ProfileBuilder& b, ReportOptions options = {}) { return build_report({b.build()}, options); }

TEST(Report, HeapValuesAreInTheHeapKindsOrder) {
  const HeapValues v{/*inuse_objects=*/1, /*inuse_bytes=*/20, /*alloc_objects=*/300, /*alloc_bytes=*/4000};
  const Values values = heap_values(v);
  const ProfileKind& kind = gperftools_heap_kind();
  EXPECT_EQ(values[kind.index_of("inuse_objects")], 1);
  EXPECT_EQ(values[kind.index_of("inuse_space")], 20);
  EXPECT_EQ(values[kind.index_of("alloc_objects")], 300);
  EXPECT_EQ(values[kind.index_of("alloc_space")], 4000);
  EXPECT_EQ(kind.sample_types[kind.default_sample_type].type, "inuse_space");
}

TEST(Report, IsSpaceOnlyForByteIndices) {
  EXPECT_TRUE(is_space(heap_sample_type(HeapValue::kInuseSpace)));
  EXPECT_TRUE(is_space(heap_sample_type(HeapValue::kAllocSpace)));
  EXPECT_FALSE(is_space(heap_sample_type(HeapValue::kInuseObjects)));
  EXPECT_FALSE(is_space(heap_sample_type(HeapValue::kAllocObjects)));
}

TEST(Report, UsesTheChosenSampleIndex) {
  ProfileBuilder b;
  b.sample(HeapValues{2, 200, 5, 500}, {{fn("f")}});
  ReportOptions o;
  o.sample_type = heap_sample_type(HeapValue::kAllocObjects);
  Report r = build(b, o);
  EXPECT_EQ(r.total, 5);
  ASSERT_TRUE(row(r, "f"));
  EXPECT_EQ(row(r, "f")->flat, 5);
}

TEST(Report, TotalSumsEverySampleIncludingEmptyStacks) {
  ProfileBuilder b;
  b.sample(100, {{fn("f")}}).sample(30, {}).sample(7, {{fn("g")}, {fn("main")}});
  EXPECT_EQ(build(b).total, 137);
}

TEST(Report, EmptyStackSamplesAreCountedAndInNoRow) {
  ProfileBuilder b;
  b.sample(30, {}).sample(0, {}).sample(5, {{fn("f")}});
  Report r = build(b);
  EXPECT_EQ(r.empty_stack_records, 2);
  EXPECT_EQ(r.total, 35);
  EXPECT_EQ(names(r), (std::vector<std::string>{"f"}));
}

TEST(Report, FlatGoesToTheInnermostFrameOfTheLeafLocation) {
  ProfileBuilder b;
  b.sample(64, {{fn("leak_malloc", true), fn("main")}, {fn("_start")}});
  Report r = build(b);
  ASSERT_TRUE(row(r, "leak_malloc (inline)"));
  EXPECT_EQ(row(r, "leak_malloc (inline)")->flat, 64);
  EXPECT_EQ(row(r, "main")->flat, 0);
  EXPECT_EQ(row(r, "_start")->flat, 0);
}

TEST(Report, CumGoesToEveryFrameOfTheStack) {
  ProfileBuilder b;
  b.sample(64, {{fn("leak_malloc", true), fn("main")}, {fn("_start")}});
  Report r = build(b);
  EXPECT_EQ(row(r, "leak_malloc (inline)")->cum, 64);
  EXPECT_EQ(row(r, "main")->cum, 64);
  EXPECT_EQ(row(r, "_start")->cum, 64);
}

TEST(Report, InlinedAndOutOfLineCopiesAreSeparateRows) {
  ProfileBuilder b;
  b.sample(10, {{fn("grow", true), fn("main")}}).sample(3, {{fn("grow")}, {fn("main")}});
  Report r = build(b);
  EXPECT_EQ(row(r, "grow (inline)")->flat, 10);
  EXPECT_EQ(row(r, "grow")->flat, 3);
  EXPECT_EQ(row(r, "main")->cum, 13);
}

TEST(Report, RecursionCountsOncePerStackInCum) {
  ProfileBuilder b;
  b.sample(8, {{fn("recurse")}, {fn("recurse")}, {fn("recurse")}, {fn("main")}});
  Report r = build(b);
  EXPECT_EQ(row(r, "recurse")->cum, 8);
  EXPECT_EQ(row(r, "recurse")->flat, 8);
}

TEST(Report, RecursionThroughDifferentAddressesCountsOnce) {
  // Same name at two different locations (a different call site each).
  ProfileBuilder b;
  b.sample(8, {{fn("f")}, {fn("g")}, {fn("f", true), fn("h")}});
  Report r = build(b);
  EXPECT_EQ(row(r, "f")->cum, 8);
  EXPECT_EQ(row(r, "f (inline)")->cum, 8);
}

TEST(Report, CumOnceRuleResetsBetweenSamples) {
  ProfileBuilder b;
  b.sample(8, {{fn("f")}, {fn("f")}}).sample(5, {{fn("g")}, {fn("f")}});
  EXPECT_EQ(row(build(b), "f")->cum, 13);
}

TEST(Report, SameNameAtSeveralLocationsSharesOneRow) {
  ProfileBuilder b;
  b.sample(4, {{fn("f"), fn("a")}}).sample(6, {{fn("f"), fn("b")}});
  Report r = build(b);
  EXPECT_EQ(row(r, "f")->flat, 10);
}

TEST(Report, ZeroValueSamplesAddNoRow) {
  ProfileBuilder b;
  b.sample(0, {{fn("churn")}, {fn("main")}}).sample(5, {{fn("leak")}});
  EXPECT_EQ(names(build(b)), (std::vector<std::string>{"leak"}));
}

TEST(Report, RowsWithOnlyCumArePresent) {
  ProfileBuilder b;
  b.sample(5, {{fn("leak")}, {fn("main")}});
  Report r = build(b);
  ASSERT_TRUE(row(r, "main"));
  EXPECT_EQ(row(r, "main")->flat, 0);
  EXPECT_EQ(row(r, "main")->cum, 5);
}

TEST(Report, SortsByFlatDescending) {
  ProfileBuilder b;
  b.sample(1, {{fn("small")}}).sample(100, {{fn("big")}}).sample(10, {{fn("mid")}});
  EXPECT_EQ(names(build(b)), (std::vector<std::string>{"big", "mid", "small"}));
}

TEST(Report, SortsByCumDescendingWithCumOption) {
  ProfileBuilder b;
  b.sample(100, {{fn("big")}}).sample(10, {{fn("mid")}, {fn("main")}}).sample(95, {{fn("other")}, {fn("main")}});
  // flat: big 100, other 95, mid 10, main 0; cum: main 105, big 100, other 95, mid 10.
  ReportOptions o;
  o.sort_by_cum = true;
  EXPECT_EQ(names(build(b, o)), (std::vector<std::string>{"main", "big", "other", "mid"}));
}

TEST(Report, CumOptionDoesNotChangeValues) {
  ProfileBuilder b;
  b.sample(10, {{fn("mid")}, {fn("main")}});
  ReportOptions o;
  o.sort_by_cum = true;
  Report r = build(b, o);
  EXPECT_EQ(row(r, "mid")->flat, 10);
  EXPECT_EQ(row(r, "main")->flat, 0);
  EXPECT_EQ(row(r, "main")->cum, 10);
}

TEST(Report, TiesAreBrokenByNameInByteOrder) {
  ProfileBuilder b;
  b.sample(5, {{fn("main")}, {fn("_start")}, {fn("__libc_start_main")}, {fn("_IO_x")}, {fn("Zeta")}});
  // flat: main 5; every other row has flat 0 and is ordered bytewise.
  EXPECT_EQ(names(build(b)),
            (std::vector<std::string>{"main", "Zeta", "_IO_x", "__libc_start_main", "_start"}));
}

TEST(Report, NegativeValuesSortBelowZero) {
  ProfileBuilder b;
  b.sample(-7, {{fn("shrunk")}, {fn("main")}}).sample(3, {{fn("grew")}, {fn("main")}});
  Report r = build(b);
  EXPECT_EQ(r.total, -4);
  EXPECT_EQ(names(r), (std::vector<std::string>{"grew", "main", "shrunk"}));
  EXPECT_EQ(row(r, "main")->cum, -4);
}

TEST(Report, SeveralProfilesSumIntoOneRowByName) {
  ProfileBuilder a, b;
  a.sample(10, {{fn("leak")}, {fn("main")}});
  b.sample(1, {{fn("other")}}).sample(32, {{fn("leak")}, {fn("_start")}});
  Report r = build_report({a.build(), b.build()}, {});
  EXPECT_EQ(r.total, 43);
  EXPECT_EQ(row(r, "leak")->flat, 42);
  EXPECT_EQ(row(r, "leak")->cum, 42);
  EXPECT_EQ(row(r, "main")->cum, 10);
  EXPECT_EQ(row(r, "_start")->cum, 32);
}

TEST(Report, RowsThatCancelAcrossProfilesAreDropped) {
  ProfileBuilder a, b;
  a.sample(10, {{fn("leak")}}).sample(1, {{fn("kept")}});
  b.sample(-10, {{fn("leak")}});
  EXPECT_EQ(names(build_report({a.build(), b.build()}, {})), (std::vector<std::string>{"kept"}));
}

TEST(Report, ArithmeticIsExactBeyondDoublePrecision) {
  const int64_t big = (int64_t{1} << 53) + 1;  // not representable as a double
  ProfileBuilder b;
  b.sample(big, {{fn("f")}}).sample(2, {{fn("f")}});
  Report r = build(b);
  EXPECT_EQ(r.total, big + 2);
  EXPECT_EQ(row(r, "f")->flat, big + 2);
}

TEST(Report, DeepRecursiveStackCountsOnce) {
  std::vector<FrameChain> stack(100000, FrameChain{fn("recurse")});
  stack.push_back({fn("main")});
  ProfileBuilder b;
  b.sample(3, stack).sample(4, stack);
  Report r = build(b);
  EXPECT_EQ(row(r, "recurse")->cum, 7);
  EXPECT_EQ(row(r, "main")->cum, 7);
}

TEST(Report, NoProfilesGivesAnEmptyReport) {
  Report r = build_report(std::vector<ReportProfile>{}, {});
  EXPECT_EQ(r.total, 0);
  EXPECT_TRUE(r.rows.empty());
}

}  // namespace
}  // namespace hprof
