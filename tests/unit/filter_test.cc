// --focus and --ignore (the Go pprof's FilterSamplesByName): which samples
// make rows, matched by function, source file or object file, unanchored RE2.
#include "report/filter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "profile_builder.h"

namespace hprof {
namespace {

using ::hprof::testing::at;
using ::hprof::testing::fn;
using ::hprof::testing::ProfileBuilder;
using ::hprof::testing::src;

FilterOptions focus(std::string re) { return FilterOptions{std::move(re), ""}; }
FilterOptions ignore(std::string re) { return FilterOptions{"", std::move(re)}; }

using Kept = std::vector<bool>;

// ReportProfile::kept of each sample once `filter` applied to `profile`.
Kept kept_by(SampleFilter& filter, ReportProfile profile) {
  filter.apply(profile);
  Kept out;
  for (std::size_t s = 0; s < profile.samples.size(); ++s) out.push_back(profile.is_kept(s));
  return out;
}

Kept kept(const FilterOptions& options, const ProfileBuilder& b) {
  SampleFilter filter(options);
  return kept_by(filter, b.build());
}

// Two stacks, leaf first: a leak in a library, and one inlined into main.
ProfileBuilder two_stacks() {
  ProfileBuilder b;
  b.sample_at(210000, {at(0x7f00'0000'1138, {"/usr/lib/libwork.so", 0x1138}, {src("work::lib_leak", "/src/libwork.cc", 19)}),
                       at(0x5560'0000'11a1, {"/usr/bin/workload", 0x11a1}, {src("main", "/src/workload.cc", 56)})});
  b.sample_at(4096, {at(0x5560'0000'10e9, {"/usr/bin/workload", 0x10e9},
                        {src("leak_malloc", "/src/workload.cc", 31, true), src("main", "/src/workload.cc", 50)})});
  return b;
}

TEST(SampleFilter, NoPatternKeepsEverySampleAndIsInactive) {
  SampleFilter filter(FilterOptions{});
  EXPECT_FALSE(filter.active());
  EXPECT_EQ(kept_by(filter, two_stacks().build()), (Kept{true, true}));
  EXPECT_TRUE(filter.unmatched_patterns().empty());
}

TEST(SampleFilter, FocusKeepsSamplesWithAMatchingFunction) {
  EXPECT_EQ(kept(focus("work::lib_leak"), two_stacks()), (Kept{true, false}));
}

TEST(SampleFilter, FocusIsUnanchored) {
  EXPECT_EQ(kept(focus("lib_le"), two_stacks()), (Kept{true, false}));
}

TEST(SampleFilter, AnchorsAreRe2Anchors) {
  EXPECT_EQ(kept(focus("^lib_leak"), two_stacks()), (Kept{false, false}));
  EXPECT_EQ(kept(focus("^work::lib_leak$"), two_stacks()), (Kept{true, false}));
}

TEST(SampleFilter, FocusMatchesAnyFrameOfTheStackNotOnlyTheLeaf) {
  EXPECT_EQ(kept(focus("^main$"), two_stacks()), (Kept{true, true}));
}

TEST(SampleFilter, FocusMatchesInlinedFrames) {
  EXPECT_EQ(kept(focus("leak_malloc"), two_stacks()), (Kept{false, true}));
}

TEST(SampleFilter, FocusMatchesTheSourceFile) {
  EXPECT_EQ(kept(focus("libwork\\.cc"), two_stacks()), (Kept{true, false}));
}

TEST(SampleFilter, FocusMatchesTheObjectFile) {
  // No function or source file says "libwork.so"; the mapping does.
  EXPECT_EQ(kept(focus("libwork\\.so"), two_stacks()), (Kept{true, false}));
}

TEST(SampleFilter, ObjectOfACodeWithoutNamesMatches) {
  ProfileBuilder b;
  b.sample_at(5, {at(0x7f00'0000'0100, {"/usr/lib/jvm/lib/server/libjvm.so", 0x100}, {fn("[libjvm.so]")})});
  b.sample_at(3, {at(0x7f10'0000'0100, {"", 0x7f10'0000'0100}, {fn("[anon:jit]")})});
  EXPECT_EQ(kept(focus("lib/server"), b), (Kept{true, false}));
}

TEST(SampleFilter, IgnoreDropsSamplesWithAnyMatchingLocation) {
  EXPECT_EQ(kept(ignore("^main$"), two_stacks()), (Kept{false, false}));
  EXPECT_EQ(kept(ignore("lib_leak"), two_stacks()), (Kept{false, true}));
}

TEST(SampleFilter, IgnoreWinsOverFocus) {
  EXPECT_EQ(kept(FilterOptions{"main", "lib_leak"}, two_stacks()), (Kept{false, true}));
  EXPECT_EQ(kept(FilterOptions{"lib_leak", "lib_leak"}, two_stacks()), (Kept{false, false}));
}

TEST(SampleFilter, AFocusThatMatchesNoSampleIsReported) {
  SampleFilter filter(focus("nothing_here"));
  kept_by(filter, two_stacks().build());
  EXPECT_EQ(filter.unmatched_patterns(), (std::vector<std::string>{"--focus=nothing_here matched no samples"}));
}

TEST(SampleFilter, AnIgnoreThatMatchesNoSampleIsReported) {
  SampleFilter filter(FilterOptions{"main", "nothing_here"});
  kept_by(filter, two_stacks().build());
  EXPECT_EQ(filter.unmatched_patterns(), (std::vector<std::string>{"--ignore=nothing_here matched no samples"}));
}

TEST(SampleFilter, AFocusMatchInAnIgnoredSampleStillCountsAsAMatch) {
  SampleFilter filter(FilterOptions{"lib_leak", "lib_leak"});
  kept_by(filter, two_stacks().build());
  EXPECT_TRUE(filter.unmatched_patterns().empty());
}

TEST(SampleFilter, AMatchInAnyProfileCounts) {
  // e.g. the --base matches where the profile does not.
  ProfileBuilder other;
  other.sample(1, {{fn("unrelated")}});
  SampleFilter filter(focus("lib_leak"));
  EXPECT_EQ(kept_by(filter, other.build()), (Kept{false}));
  EXPECT_EQ(kept_by(filter, two_stacks().build()), (Kept{true, false}));
  EXPECT_TRUE(filter.unmatched_patterns().empty());
}

TEST(SampleFilter, APatternOnlyInAPrunedAwayFrameMatchesNothing) {
  // Allocator frames are pruned before filtering: what is not in a stack
  // cannot match (the location itself still exists).
  ProfileBuilder b;
  b.sample(5, {{fn("leak")}});
  ReportProfile p = b.build();
  p.locations.push_back(at(0x9000, {"/usr/lib/libtcmalloc.so.4", 0x9000}, {fn("tc_malloc")}));
  SampleFilter filter(focus("tc_malloc"));
  EXPECT_EQ(kept_by(filter, p), (Kept{false}));
  EXPECT_EQ(filter.unmatched_patterns(), (std::vector<std::string>{"--focus=tc_malloc matched no samples"}));
}

TEST(SampleFilter, EmptyStacksHaveNothingToFocusOn) {
  ProfileBuilder b;
  b.sample(30, {});
  EXPECT_EQ(kept(focus("."), b), (Kept{false}));
  EXPECT_EQ(kept(ignore("."), b), (Kept{true}));
}

TEST(RegexError, NamesTheProblemOfABadPattern) {
  EXPECT_FALSE(regex_error("work::(lib|pool)"));
  ASSERT_TRUE(regex_error("work::(lib"));
  EXPECT_NE(regex_error("work::(lib")->find("missing )"), std::string::npos) << *regex_error("work::(lib");
}

}  // namespace
}  // namespace hprof
