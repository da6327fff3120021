// build_stacks: the distinct stacks of a report, root first, with the text
// report's frame names, summed values and the objects their code is in.
#include "report/stacks.h"

#include <gtest/gtest.h>

#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "profile_builder.h"

namespace hprof {
namespace {

using ::hprof::testing::at;
using ::hprof::testing::fn;
using ::hprof::testing::ProfileBuilder;
using ::hprof::testing::src;

StackProfile stacks_of(const std::vector<ReportProfile>& profiles, ReportOptions options = {}) {
  std::vector<const ReportProfile*> parts;
  for (const ReportProfile& p : profiles) parts.push_back(&p);
  return build_stacks(parts, options);
}
StackProfile stacks_of(const ProfileBuilder& b, ReportOptions options = {}) { return stacks_of({b.build()}, options); }

// Each stack as "root;...;leaf" -> value, in the builder's order.
std::vector<std::pair<std::string, int64_t>> folded(const StackProfile& s) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (const Stack& stack : s.stacks) {
    std::string line;
    for (uint32_t id : stack.frames) line += (line.empty() ? "" : ";") + s.names[id];
    out.emplace_back(line, stack.value);
  }
  return out;
}
using Folded = std::vector<std::pair<std::string, int64_t>>;

int64_t sum(const StackProfile& s) {
  return std::accumulate(s.stacks.begin(), s.stacks.end(), int64_t{0},
                         [](int64_t acc, const Stack& st) { return acc + st.value; });
}

TEST(Stacks, RootFirstWithInlinedFramesAfterTheFunctionTheyAreInlinedInto) {
  ProfileBuilder b;
  b.sample(64, {{fn("leak_malloc", true), fn("main")}, {fn("_start")}});
  EXPECT_EQ(folded(stacks_of(b)), (Folded{{"_start;main;leak_malloc (inline)", 64}}));
}

TEST(Stacks, EqualStacksOfSamplesAndOfProfilesAreOneStackWithTheSum) {
  ProfileBuilder first, second;
  first.sample(10, {{fn("leak")}, {fn("main")}}).sample(5, {{fn("leak")}, {fn("main")}});
  second.sample(7, {{fn("leak")}, {fn("main")}});
  EXPECT_EQ(folded(stacks_of({first.build(), second.build()})), (Folded{{"main;leak", 22}}));
}

TEST(Stacks, TwoPcsOfOneFunctionAreOneFrameUnderFunctions) {
  ProfileBuilder b;
  b.sample_at(80, {at(0x1159, {"/lib/libw.so", 0x1159}, {fn("Pool::grab")})});
  b.sample_at(16, {at(0x1189, {"/lib/libw.so", 0x1189}, {fn("Pool::grab")})});
  EXPECT_EQ(folded(stacks_of(b)), (Folded{{"Pool::grab", 96}}));
}

TEST(Stacks, FrameNamesFollowTheGranularityAsTheTextRows) {
  ProfileBuilder b;
  b.sample_at(64, {at(0x10e9, {"/bin/w", 0x10e9}, {src("leak_malloc", "/w.cc", 31, true), src("main", "/w.cc", 50)})});
  ReportOptions lines;
  lines.granularity = Granularity::kLines;
  EXPECT_EQ(folded(stacks_of(b, lines)), (Folded{{"main /w.cc:50;leak_malloc /w.cc:31 (inline)", 64}}));
  ReportOptions files;
  files.granularity = Granularity::kFiles;
  EXPECT_EQ(folded(stacks_of(b, files)), (Folded{{"/w.cc;/w.cc (inline)", 64}}));
  ReportOptions addresses;
  addresses.granularity = Granularity::kAddresses;
  EXPECT_EQ(folded(stacks_of(b, addresses)),
            (Folded{{"0x00000000000010e9 main /w.cc:50;0x00000000000010e9 leak_malloc /w.cc:31 (inline)", 64}}));
}

TEST(Stacks, ValuesAreTheChosenSampleIndex) {
  ProfileBuilder b;
  b.sample(HeapValues{2, 200, 5, 500}, {{fn("f")}});
  ReportOptions o;
  o.sample_type = heap_sample_type(HeapValue::kAllocObjects);
  EXPECT_EQ(folded(stacks_of(b, o)), (Folded{{"f", 5}}));
}

TEST(Stacks, EmptyStacksAreOneFrameOfTheirOwnSoTheValuesSumToTotal) {
  ProfileBuilder b;
  b.sample(30, {}).sample(12, {}).sample(5, {{fn("f")}});
  StackProfile s = stacks_of(b);
  EXPECT_EQ(folded(s), (Folded{{"[empty stack]", 42}, {"f", 5}}));
  EXPECT_EQ(s.empty_stack_records, 2);
  EXPECT_EQ(sum(s), s.total);
  EXPECT_EQ(s.total, 47);
}

TEST(Stacks, ZeroValuedStacksAreLeftOut) {
  ProfileBuilder b;
  b.sample(0, {{fn("freed")}}).sample(3, {{fn("f")}});
  EXPECT_EQ(folded(stacks_of(b)), (Folded{{"f", 3}}));
}

TEST(Stacks, FilteredSamplesAreLeftOutButCountInTotal) {
  ReportProfile p = ProfileBuilder().sample(10, {{fn("kept")}}).sample(90, {{fn("dropped")}}).sample(7, {}).build();
  p.kept = {1, 0, 0};  // the last: an empty stack that --focus dropped
  StackProfile s = stacks_of({p});
  EXPECT_EQ(folded(s), (Folded{{"kept", 10}}));
  EXPECT_EQ(s.total, 107);
}

TEST(Stacks, BaseCancelsEqualStacksAndLeavesWhatShrankNegative) {
  ProfileBuilder now, base;
  now.sample(100, {{fn("grew")}}).sample(50, {{fn("same")}});
  base.sample(40, {{fn("grew")}}).sample(50, {{fn("same")}}).sample(30, {{fn("shrank")}});
  ReportProfile negated = base.build();
  negate_values(negated);
  EXPECT_EQ(folded(stacks_of({now.build(), negated})), (Folded{{"grew", 60}, {"shrank", -30}}));
  ReportOptions o;
  o.drop_negative = true;
  EXPECT_EQ(folded(stacks_of({now.build(), negated}, o)), (Folded{{"grew", 60}}));
}

TEST(Stacks, SortedByFrameNamesFromTheRoot) {
  ProfileBuilder b;
  b.sample(1, {{fn("z")}, {fn("main")}}).sample(2, {{fn("b")}}).sample(3, {{fn("a")}, {fn("main")}});
  b.sample(4, {{fn("main")}});
  EXPECT_EQ(folded(stacks_of(b)), (Folded{{"b", 2}, {"main", 4}, {"main;a", 3}, {"main;z", 1}}));
}

TEST(Stacks, EachFrameKnowsTheObjectItsCodeIsIn) {
  ProfileBuilder b;
  b.sample_at(9, {at(0x7f00'0000'4000, {"/usr/lib/libz.so.1", 0x4000}, {fn("deflateInit2_")}),
                  at(0x7f00'0000'9000, {"[anon:jit]", 0x7f00'0000'9000}, {fn("java.util.zip.Deflater.init")})});
  StackProfile s = stacks_of(b);
  std::map<std::string, std::string> object_of;
  for (std::size_t id = 0; id < s.names.size(); ++id) object_of[s.names[id]] = s.objects[id];
  EXPECT_EQ(object_of["deflateInit2_"], "/usr/lib/libz.so.1");
  EXPECT_EQ(object_of["java.util.zip.Deflater.init"], "[anon:jit]");
}

TEST(Stacks, PrunedLocationsLeaveNoFrame) {
  // A location whose frames pruning removed is no frame of the stack.
  ProfileBuilder b;
  b.sample(8, {{}, {fn("caller")}});
  EXPECT_EQ(folded(stacks_of(b)), (Folded{{"caller", 8}}));
}

}  // namespace
}  // namespace hprof
