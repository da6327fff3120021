// --base (the base's values negated and summed), --drop_negative (the Go
// pprof's row rule), and rows from kept samples only (--focus/--ignore)
// while Total counts every sample.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "profile_builder.h"
#include "report/render_text.h"
#include "report/report.h"

namespace hprof {
namespace {

using ::hprof::testing::fn;
using ::hprof::testing::names;
using ::hprof::testing::ProfileBuilder;
using ::hprof::testing::row;

// `profile` minus `base`, as run() builds it: the base last, negated.
Report diff(const ProfileBuilder& profile, const ProfileBuilder& base, ReportOptions options = {}) {
  ReportProfile negated = base.build();
  negate_values(negated);
  return build_report({profile.build(), negated}, options);
}

// `profile` with ReportProfile::kept set as --focus/--ignore would, one flag per sample.
ReportProfile with_kept(ReportProfile profile, const std::vector<bool>& kept) {
  profile.kept.assign(kept.begin(), kept.end());
  return profile;
}

ReportOptions drop_negative() {
  ReportOptions o;
  o.drop_negative = true;
  return o;
}

TEST(NegateValues, NegatesEveryMeasure) {
  ProfileBuilder b;
  b.sample(HeapValues{1, 20, 300, 4000}, {{fn("f")}});
  ReportProfile p = b.build();
  negate_values(p);
  const auto value = [&p](HeapValue v) { return p.value(p.samples[0], static_cast<std::size_t>(v)); };
  EXPECT_EQ(value(HeapValue::kInuseObjects), -1);
  EXPECT_EQ(value(HeapValue::kInuseSpace), -20);
  EXPECT_EQ(value(HeapValue::kAllocObjects), -300);
  EXPECT_EQ(value(HeapValue::kAllocSpace), -4000);
  EXPECT_EQ(p.samples[0].values, heap_values(HeapValues{1, 20, 300, 4000}));  // the shared model is left as it is
}

TEST(Base, EqualStacksCancelAndLeaveNoRow) {
  ProfileBuilder now, before;
  now.sample(100, {{fn("leak")}, {fn("main")}});
  before.sample(100, {{fn("leak")}, {fn("main")}});
  Report r = diff(now, before);
  EXPECT_EQ(r.total, 0);
  EXPECT_TRUE(r.rows.empty());
}

TEST(Base, TotalIsTheNetSumNotTheSumOfChanges) {
  // leak grew by 30, shrink shrank by 10: Perl's Total is 20 (Go's would be 40).
  ProfileBuilder now, before;
  now.sample(130, {{fn("leak")}}).sample(0, {{fn("shrink")}});
  before.sample(100, {{fn("leak")}}).sample(10, {{fn("shrink")}});
  EXPECT_EQ(diff(now, before).total, 20);
}

TEST(Base, RowsCarryTheNetChange) {
  ProfileBuilder now, before;
  now.sample(130, {{fn("leak")}, {fn("main")}});
  before.sample(100, {{fn("leak")}, {fn("main")}}).sample(10, {{fn("shrink")}, {fn("main")}});
  Report r = diff(now, before);
  EXPECT_EQ(names(r), (std::vector<std::string>{"leak", "main", "shrink"}));
  EXPECT_EQ(row(r, "leak")->flat, 30);
  EXPECT_EQ(row(r, "main")->cum, 20);
  EXPECT_EQ(row(r, "shrink")->flat, -10);
  EXPECT_EQ(row(r, "shrink")->cum, -10);
}

TEST(Base, StacksOnlyInTheBaseAreNegative) {
  ProfileBuilder now, before;
  before.sample(7, {{fn("gone")}});
  Report r = diff(now, before);
  EXPECT_EQ(r.total, -7);
  EXPECT_EQ(row(r, "gone")->flat, -7);
}

TEST(Base, ARowWhoseFlatAndCumNetToZeroDisappears) {
  // f moved from one caller to another: f nets to 0, the callers do not.
  ProfileBuilder now, before;
  now.sample(5, {{fn("f")}, {fn("a")}});
  before.sample(5, {{fn("f")}, {fn("b")}});
  EXPECT_EQ(names(diff(now, before)), (std::vector<std::string>{"a", "b"}));
}

TEST(Base, CumCountsOncePerStackOnBothSides) {
  ProfileBuilder now, before;
  now.sample(8, {{fn("recurse")}, {fn("recurse")}, {fn("recurse")}});
  before.sample(3, {{fn("recurse")}, {fn("recurse")}});
  Report r = diff(now, before);
  EXPECT_EQ(row(r, "recurse")->cum, 5);
}

TEST(DropNegative, HidesRowsWithNegativeFlat) {
  ProfileBuilder now, before;
  now.sample(130, {{fn("leak")}});
  before.sample(100, {{fn("leak")}}).sample(10, {{fn("shrink")}});
  EXPECT_EQ(names(diff(now, before, drop_negative())), (std::vector<std::string>{"leak"}));
}

TEST(DropNegative, HidesRowsWithZeroFlatAndNegativeCum) {
  ProfileBuilder now, before;
  before.sample(10, {{fn("shrink")}, {fn("caller")}});
  EXPECT_TRUE(diff(now, before, drop_negative()).rows.empty());
}

TEST(DropNegative, KeepsRowsWithZeroFlatAndPositiveCum) {
  ProfileBuilder now, before;
  now.sample(10, {{fn("leak")}, {fn("caller")}});
  Report r = diff(now, before, drop_negative());
  ASSERT_TRUE(row(r, "caller"));
  EXPECT_EQ(row(r, "caller")->cum, 10);
}

TEST(DropNegative, KeepsRowsWithPositiveFlatWhateverTheirCum) {
  // Go's isNegative looks at cum only when flat is 0.
  ProfileBuilder now, before;
  now.sample(10, {{fn("f")}});
  before.sample(30, {{fn("g")}, {fn("f")}});
  Report r = diff(now, before, drop_negative());
  ASSERT_TRUE(row(r, "f"));
  EXPECT_EQ(row(r, "f")->flat, 10);
  EXPECT_EQ(row(r, "f")->cum, -20);
}

TEST(DropNegative, LeavesTheTotalAlone) {
  ProfileBuilder now, before;
  now.sample(130, {{fn("leak")}});
  before.sample(100, {{fn("leak")}}).sample(50, {{fn("shrink")}});
  Report r = diff(now, before, drop_negative());
  EXPECT_EQ(r.total, -20);
  EXPECT_EQ(row(r, "leak")->flat, 30);
}

TEST(DropNegative, NegativeSummedRowIsRenderedWithAMinusSign) {
  ProfileBuilder now, before;
  now.sample(1048576, {{fn("leak")}});
  before.sample(4194304, {{fn("leak")}});
  ReportOptions o;
  EXPECT_EQ(render_text(diff(now, before), o),
            "Total: -3.0 MB\n"
            "    -3.0 100.0% 100.0%     -3.0 100.0% leak\n");
}

TEST(KeptSamples, RowsComeOnlyFromKeptSamplesAndTotalFromAll) {
  ProfileBuilder b;
  b.sample(100, {{fn("kept")}, {fn("main")}}).sample(50, {{fn("dropped")}, {fn("main")}});
  Report r = build_report({with_kept(b.build(), {true, false})}, ReportOptions{});
  EXPECT_EQ(r.total, 150);
  EXPECT_EQ(names(r), (std::vector<std::string>{"kept", "main"}));
  EXPECT_EQ(row(r, "main")->cum, 100);
}

TEST(KeptSamples, EachProfileHasItsOwnFlags) {
  ProfileBuilder a, b;
  a.sample(10, {{fn("f")}});
  b.sample(20, {{fn("f")}});
  Report r = build_report({with_kept(a.build(), {false}), with_kept(b.build(), {true})}, ReportOptions{});
  EXPECT_EQ(r.total, 30);
  EXPECT_EQ(row(r, "f")->flat, 20);
}

TEST(KeptSamples, DroppedEmptyStacksAreStillCountedAsEmpty) {
  ProfileBuilder b;
  b.sample(30, {}).sample(5, {{fn("f")}});
  Report r = build_report({with_kept(b.build(), {false, true})}, ReportOptions{});
  EXPECT_EQ(r.empty_stack_records, 1);
  EXPECT_EQ(r.total, 35);
}

}  // namespace
}  // namespace hprof
