// --collapsed: folded stacks, one line per stack, "root;...;leaf VALUE",
// sorted, names as the text report prints them.
#include "report/render_collapsed.h"

#include <gtest/gtest.h>

#include <string>

#include "profile_builder.h"

namespace hprof {
namespace {

using ::hprof::testing::fn;
using ::hprof::testing::ProfileBuilder;

std::string collapsed(const ProfileBuilder& b, ReportOptions options = {}) {
  const ReportProfile p = b.build();
  return render_collapsed(build_stacks({&p}, options));
}

TEST(RenderCollapsed, OneLinePerStackRootFirstWithTheIntegerValue) {
  ProfileBuilder b;
  b.sample(12288000, {{fn("leak_malloc", true), fn("main")}, {fn("_start")}});
  b.sample(210000, {{fn("work::lib_leak")}, {fn("main")}, {fn("_start")}});
  EXPECT_EQ(collapsed(b),
            "_start;main;leak_malloc (inline) 12288000\n"
            "_start;main;work::lib_leak 210000\n");
}

TEST(RenderCollapsed, LinesAreSortedBytewise) {
  ProfileBuilder b;
  b.sample(1, {{fn("b")}}).sample(2, {{fn("B")}}).sample(3, {{fn("a")}, {fn("_")}}).sample(4, {{fn("_")}});
  EXPECT_EQ(collapsed(b), "B 2\n_ 4\n_;a 3\nb 1\n");
}

TEST(RenderCollapsed, SpacesStayAndSeparatorsAndLineBreaksInNamesAreReplaced) {
  ProfileBuilder b;
  b.sample(5, {{fn("std::vector<int, std::allocator<int> >::push_back")}, {fn("odd;name\r\nhere")}});
  EXPECT_EQ(collapsed(b), "odd:name  here;std::vector<int, std::allocator<int> >::push_back 5\n");
}

TEST(RenderCollapsed, ObjectCountsUnderObjectIndices) {
  ProfileBuilder b;
  b.sample(HeapValues{600, 170000000, 0, 0}, {{fn("deflateInit2_")}});
  ReportOptions o;
  o.sample_type = heap_sample_type(HeapValue::kInuseObjects);
  EXPECT_EQ(collapsed(b, o), "deflateInit2_ 600\n");
}

TEST(RenderCollapsed, WhatShrankIsNegative) {
  ProfileBuilder b;
  b.sample(-30, {{fn("shrank")}});
  EXPECT_EQ(collapsed(b), "shrank -30\n");
}

TEST(RenderCollapsed, NothingToPrintIsEmpty) { EXPECT_EQ(collapsed(ProfileBuilder()), ""); }

}  // namespace
}  // namespace hprof
