// --flamegraph: the SVG read back with a real XML parser (tests/support/svg_reader.h):
// well-formed, names escaped, one frame per node wide enough, widths
// proportional to values, root at the bottom, colours by object, notes for
// what is not drawn.
#include "report/render_flamegraph.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "../support/svg_reader.h"
#include "profile_builder.h"

namespace hprof {
namespace {

using ::hprof::testing::at;
using ::hprof::testing::fn;
using ::hprof::testing::ProfileBuilder;

constexpr double kPlotWidth = FlameGraphLayout::kWidth - 2 * FlameGraphLayout::kMargin;

std::string flamegraph(const std::vector<ReportProfile>& profiles, ReportOptions options = {}) {
  std::vector<const ReportProfile*> parts;
  for (const ReportProfile& p : profiles) parts.push_back(&p);
  return render_flamegraph(build_stacks(parts, options), options, "rec.0003.heap");
}
svg::Document drawn(const ProfileBuilder& b, ReportOptions options = {}) {
  svg::Document doc = svg::read(flamegraph({b.build()}, options));
  EXPECT_TRUE(doc.well_formed) << doc.error;
  return doc;
}

// main -> {leak 600, grab 300}, and 100 in main itself.
ProfileBuilder three_stacks() {
  ProfileBuilder b;
  b.sample(600, {{fn("leak")}, {fn("main")}}).sample(300, {{fn("grab")}, {fn("main")}}).sample(100, {{fn("main")}});
  return b;
}

TEST(RenderFlamegraph, OneFramePerCallTreeNodeAndTheRootBar) {
  svg::Document doc = drawn(three_stacks());
  ASSERT_EQ(doc.frames.size(), 4u);
  EXPECT_EQ(doc.frames[0].name, "all");
  EXPECT_TRUE(svg::frame_named(doc, "main"));
  EXPECT_TRUE(svg::frame_named(doc, "leak"));
  EXPECT_TRUE(svg::frame_named(doc, "grab"));
}

TEST(RenderFlamegraph, WidthsAreProportionalToValues) {
  svg::Document doc = drawn(three_stacks());
  EXPECT_NEAR(svg::frame_named(doc, "all")->width, kPlotWidth, 0.01);
  EXPECT_NEAR(svg::frame_named(doc, "main")->width, kPlotWidth, 0.01);
  EXPECT_NEAR(svg::frame_named(doc, "leak")->width, kPlotWidth * 0.6, 0.01);
  EXPECT_NEAR(svg::frame_named(doc, "grab")->width, kPlotWidth * 0.3, 0.01);
}

TEST(RenderFlamegraph, RootAtTheBottomCalleesAboveTheirCallerSiblingsInNameOrder) {
  svg::Document doc = drawn(three_stacks());
  const svg::Frame& all = *svg::frame_named(doc, "all");
  const svg::Frame& main = *svg::frame_named(doc, "main");
  const svg::Frame& grab = *svg::frame_named(doc, "grab");
  const svg::Frame& leak = *svg::frame_named(doc, "leak");
  EXPECT_NEAR(all.y + all.height, doc.height - 10, 1.01);  // the bottom margin
  EXPECT_EQ(main.y, all.y - FlameGraphLayout::kFrameHeight);
  EXPECT_EQ(leak.y, main.y - FlameGraphLayout::kFrameHeight);
  EXPECT_EQ(grab.y, leak.y);
  EXPECT_NEAR(grab.x, main.x, 0.01);  // "grab" < "leak"
  EXPECT_NEAR(leak.x, grab.x + grab.width, 0.01);
}

TEST(RenderFlamegraph, HeightGrowsWithTheDeepestStack) {
  ProfileBuilder shallow, deep;
  shallow.sample(1, {{fn("a")}});
  deep.sample(1, {{fn("e")}, {fn("d")}, {fn("c")}, {fn("b")}, {fn("a")}});
  EXPECT_EQ(drawn(deep).height - drawn(shallow).height, 4 * FlameGraphLayout::kFrameHeight);
}

TEST(RenderFlamegraph, TooltipsGiveNameValuePercentageAndObject) {
  ProfileBuilder b;
  b.sample_at(3 << 20, {at(0x7f00'0000'4000, {"/usr/lib/x86_64-linux-gnu/libz.so.1.2.13", 0x4000},
                           {fn("deflateInit2_")})});
  b.sample(1 << 20, {{fn("other")}});
  svg::Document doc = drawn(b);
  EXPECT_EQ(svg::frame_named(doc, "deflateInit2_")->title,
            "deflateInit2_\n3.0 MB (3145728 B), 75.0% of Total\nin libz.so.1.2.13");
  EXPECT_EQ(svg::frame_named(doc, "other")->title, "other\n1.0 MB (1048576 B), 25.0% of Total");
}

TEST(RenderFlamegraph, ObjectCountsAreCountedNotInMegabytes) {
  ProfileBuilder b;
  b.sample(HeapValues{600, 1 << 20, 0, 0}, {{fn("f")}});
  ReportOptions o;
  o.sample_type = heap_sample_type(HeapValue::kInuseObjects);
  EXPECT_EQ(drawn(b, o).frames[1].title, "f\n600 objects, 100.0% of Total");
}

TEST(RenderFlamegraph, NamesWithMarkupAndBadBytesAreEscapedAndStillRead) {
  ProfileBuilder b;
  b.sample(100, {{fn("std::map<K, V>::operator[] & \"q\" 'a'")}, {fn("bad\xFF" "byte")}});
  svg::Document doc = drawn(b);
  ASSERT_TRUE(doc.well_formed) << doc.error;
  EXPECT_TRUE(svg::frame_named(doc, "std::map<K, V>::operator[] & \"q\" 'a'"));
  EXPECT_TRUE(svg::frame_named(doc, "bad\xEF\xBF\xBD" "byte"));
}

TEST(RenderFlamegraph, TheProfileAndTotalAreInTheTitleLines) {
  svg::Document doc = drawn(three_stacks());
  ASSERT_GE(doc.texts.size(), 2u);
  EXPECT_EQ(doc.texts[0], "Flame graph of rec.0003.heap (in-use space)");
  EXPECT_EQ(doc.texts[1].rfind("Total: 0.0 MB. In the graph: 0.0 MB, 100.0% of Total, 3 frames drawn.", 0), 0u)
      << doc.texts[1];
}

TEST(RenderFlamegraph, LabelsAreCutToTheirFrame) {
  ProfileBuilder b;
  const std::string long_name(300, 'x');
  b.sample(1000, {{fn(long_name)}}).sample(2, {{fn("tiny_frame")}});
  svg::Document doc = drawn(b);
  const svg::Frame& wide = *svg::frame_named(doc, long_name);
  EXPECT_LT(wide.label.size(), long_name.size());
  EXPECT_EQ(wide.label.substr(wide.label.size() - 2), "..");
  EXPECT_LE(static_cast<double>(wide.label.size()) * 11 * 0.6, wide.width);
  EXPECT_EQ(svg::frame_named(doc, "tiny_frame")->label, "");  // 2.4 px: no room for a label
}

TEST(RenderFlamegraph, FramesNarrowerThanTheThresholdAreOmittedWithTheirCalleesAndCounted) {
  ProfileBuilder b;
  b.sample(1'000'000, {{fn("big")}});
  b.sample(100, {{fn("callee")}, {fn("narrow")}});  // 0.118 px
  svg::Document doc = drawn(b);
  EXPECT_FALSE(svg::frame_named(doc, "narrow"));
  EXPECT_FALSE(svg::frame_named(doc, "callee"));
  EXPECT_EQ(doc.frames.size(), 2u);
  ASSERT_GE(doc.texts.size(), 3u);
  EXPECT_NE(doc.texts[2].find("2 frames narrower than 0.5 px not drawn (0.0 MB)"), std::string::npos) << doc.texts[2];
}

TEST(RenderFlamegraph, StacksThatShrankAreNotDrawnAndCounted) {
  ProfileBuilder b;
  b.sample(100, {{fn("grew")}}).sample(-40, {{fn("shrank")}});
  svg::Document doc = drawn(b);
  EXPECT_FALSE(svg::frame_named(doc, "shrank"));
  EXPECT_NEAR(svg::frame_named(doc, "grew")->width, kPlotWidth, 0.01);
  EXPECT_NE(doc.texts[2].find("1 stacks that shrank not drawn (-0.0 MB)"), std::string::npos) << doc.texts[2];
}

TEST(RenderFlamegraph, NothingToDrawIsStillAnImageThatSaysSo) {
  svg::Document doc = drawn(ProfileBuilder());
  EXPECT_TRUE(doc.frames.empty());
  EXPECT_NE(doc.texts[1].find("Nothing to draw"), std::string::npos);
}

// Whether `fill` is `base` mixed with white (at most 46%), by one share in
// every channel (each rounded down).
bool is_lightened(const std::string& fill, const std::string& base) {
  auto channel = [](const std::string& hex, int i) { return std::stoi(hex.substr(1 + 2 * i, 2), nullptr, 16); };
  int widest = 0;  // the channel with the most room to lighten gives the share most precisely
  for (int i = 1; i < 3; ++i) {
    if (channel(base, i) < channel(base, widest)) widest = i;
  }
  const double share = static_cast<double>(channel(fill, widest) - channel(base, widest)) / (255 - channel(base, widest));
  if (share < 0 || share > 0.46) return false;
  for (int i = 0; i < 3; ++i) {
    const double expected = channel(base, i) + (255 - channel(base, i)) * share;
    if (std::abs(channel(fill, i) - expected) > 1.5) return false;
  }
  return true;
}

TEST(RenderFlamegraph, ColoursSayWhereTheCodeLivesAndTheLegendListsEveryKind) {
  ProfileBuilder b;
  b.sample_at(100, {at(0x7f00'0000'4000, {"/usr/lib/libz.so.1", 0x4000}, {fn("deflateInit2_")}),
                    at(0x7f10'0000'2000, {"/usr/lib/jvm/lib/libzip.so", 0x2000}, {fn("Java_java_util_zip_Deflater_init")}),
                    at(0x7f20'0000'0100, {"[anon:jit]", 0x7f20'0000'0100}, {fn("java.util.zip.Deflater.init")}),
                    at(0x7f30'0000'8000, {"/usr/lib/jvm/lib/server/libjvm.so", 0x8000}, {fn("JavaCalls::call_helper")}),
                    at(0x7f40'0000'8000, {"/usr/lib/libc.so.6", 0x8000}, {fn("start_thread")}),
                    at(0x5560'0000'1000, {"/usr/bin/java", 0x1000}, {fn("main")})});
  svg::Document doc = drawn(b);
  ASSERT_EQ(doc.legend_fills.size(), 6u);  // Java/JIT, libjvm, libz, libc/libstdc++, program, other
  EXPECT_EQ(std::set<std::string>(doc.legend_fills.begin(), doc.legend_fills.end()).size(), 6u);
  EXPECT_TRUE(is_lightened(svg::frame_named(doc, "java.util.zip.Deflater.init")->fill, doc.legend_fills[0]));
  EXPECT_TRUE(is_lightened(svg::frame_named(doc, "JavaCalls::call_helper")->fill, doc.legend_fills[1]));
  EXPECT_TRUE(is_lightened(svg::frame_named(doc, "deflateInit2_")->fill, doc.legend_fills[2]));
  EXPECT_TRUE(is_lightened(svg::frame_named(doc, "start_thread")->fill, doc.legend_fills[3]));
  EXPECT_TRUE(is_lightened(svg::frame_named(doc, "main")->fill, doc.legend_fills[4]));
  EXPECT_TRUE(is_lightened(svg::frame_named(doc, "Java_java_util_zip_Deflater_init")->fill, doc.legend_fills[5]));
  EXPECT_FALSE(is_lightened(svg::frame_named(doc, "deflateInit2_")->fill, doc.legend_fills[0]));
}

TEST(RenderFlamegraph, SelfContainedNoScriptNoLinkNoExternalResource) {
  const std::string text = flamegraph({three_stacks().build()});
  for (const std::string& element : svg::read(text).element_names) {
    EXPECT_TRUE(element == "svg" || element == "g" || element == "rect" || element == "text" || element == "title" ||
                element == "style")
        << element;
  }
  EXPECT_EQ(text.find("href"), std::string::npos);
  EXPECT_EQ(text.find("url("), std::string::npos);
}

TEST(RenderFlamegraph, TheCommentSaysHowToReadIt) {
  EXPECT_NE(drawn(three_stacks()).comments.find("root at the bottom"), std::string::npos);
}

TEST(RenderFlamegraph, TheSameInputGivesTheSameBytes) {
  EXPECT_EQ(flamegraph({three_stacks().build()}), flamegraph({three_stacks().build()}));
}

}  // namespace
}  // namespace hprof
