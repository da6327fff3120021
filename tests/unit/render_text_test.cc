#include "report/render_text.h"

#include <gtest/gtest.h>

#include <string>

namespace hprof {
namespace {

Report make_report(int64_t total, std::vector<ReportRow> rows) {
  Report r;
  r.total = total;
  r.rows = std::move(rows);
  return r;
}

ReportOptions opts(HeapValue index = HeapValue::kInuseSpace, bool show_bytes = false) {
  ReportOptions o;
  o.sample_type = heap_sample_type(index);
  o.show_bytes = show_bytes;
  return o;
}

// The Perl pprof's verified output (pprof-perl.md 7.4) for the same numbers.
const Report kLeak = make_report(20878464, {
                                               {"leak_big", 18874368, 18874368},
                                               {"leak_small", 2000000, 2000000},
                                               {"__GI__IO_file_doallocate", 4096, 4096},
                                               {"main", 0, 20878464},
                                           });

TEST(RenderText, MatchesThePerlLayoutInMegabytes) {
  EXPECT_EQ(render_text(kLeak, opts()),
            "Total: 19.9 MB\n"
            "    18.0  90.4%  90.4%     18.0  90.4% leak_big\n"
            "     1.9   9.6% 100.0%      1.9   9.6% leak_small\n"
            "     0.0   0.0% 100.0%      0.0   0.0% __GI__IO_file_doallocate\n"
            "     0.0   0.0% 100.0%     19.9 100.0% main\n");
}

TEST(RenderText, ShowBytesPrintsIntegerBytes) {
  EXPECT_EQ(render_text(kLeak, opts(HeapValue::kInuseSpace, true)),
            "Total: 20878464 B\n"
            "18874368  90.4%  90.4% 18874368  90.4% leak_big\n"
            " 2000000   9.6% 100.0%  2000000   9.6% leak_small\n"
            "    4096   0.0% 100.0%     4096   0.0% __GI__IO_file_doallocate\n"
            "       0   0.0% 100.0% 20878464 100.0% main\n");
}

TEST(RenderText, AllocSpaceIsAlsoMegabytes) {
  Report r = make_report(33973248, {{"leak_big", 18874368, 18874368}});
  EXPECT_EQ(render_text(r, opts(HeapValue::kAllocSpace)),
            "Total: 32.4 MB\n"
            "    18.0  55.6%  55.6%     18.0  55.6% leak_big\n");
}

TEST(RenderText, ObjectsPrintIntegerCounts) {
  Report r = make_report(20009, {{"leak_small", 20000, 20000}, {"leak_big", 8, 8}, {"_IO_new_file_overflow", 0, 1}});
  EXPECT_EQ(render_text(r, opts(HeapValue::kInuseObjects)),
            "Total: 20009 objects\n"
            "   20000 100.0% 100.0%    20000 100.0% leak_small\n"
            "       8   0.0% 100.0%        8   0.0% leak_big\n"
            "       0   0.0% 100.0%        1   0.0% _IO_new_file_overflow\n");
}

TEST(RenderText, AllocObjectsUseTheObjectsUnit) {
  Report r = make_report(3, {{"f", 3, 3}});
  EXPECT_EQ(render_text(r, opts(HeapValue::kAllocObjects, /*show_bytes=*/true)),
            "Total: 3 objects\n"
            "       3 100.0% 100.0%        3 100.0% f\n");
}

TEST(RenderText, PercentagesUseTheTotalNotTheSumOfFlat) {
  // 50 of the total is in an empty stack: the rows sum to 50%.
  Report r = make_report(100, {{"f", 50, 50}});
  EXPECT_EQ(render_text(r, opts(HeapValue::kInuseObjects)),
            "Total: 100 objects\n"
            "      50  50.0%  50.0%       50  50.0% f\n");
}

TEST(RenderText, SumAccumulatesFlatInPrintedOrderAlsoWhenSortedByCum) {
  Report r = make_report(10, {{"main", 0, 10}, {"a", 6, 6}, {"b", 4, 4}});
  ReportOptions o = opts(HeapValue::kInuseObjects);
  o.sort_by_cum = true;
  EXPECT_EQ(render_text(r, o),
            "Total: 10 objects\n"
            "       0   0.0%   0.0%       10 100.0% main\n"
            "       6  60.0%  60.0%        6  60.0% a\n"
            "       4  40.0% 100.0%        4  40.0% b\n");
}

TEST(RenderText, ZeroTotalPrintsTheTotalLineAndNoNan) {
  Report r = make_report(0, {{"grew", 5, 5}, {"shrunk", -5, -5}});
  EXPECT_EQ(render_text(r, opts(HeapValue::kInuseObjects)),
            "Total: 0 objects\n"
            "       5   0.0%   0.0%        5   0.0% grew\n"
            "      -5   0.0%   0.0%       -5   0.0% shrunk\n");
}

TEST(RenderText, ZeroTotalInEachUnit) {
  const Report r = make_report(0, {});
  EXPECT_EQ(render_text(r, opts()), "Total: 0.0 MB\n");
  EXPECT_EQ(render_text(r, opts(HeapValue::kAllocSpace, true)), "Total: 0 B\n");
  EXPECT_EQ(render_text(r, opts(HeapValue::kAllocObjects)), "Total: 0 objects\n");
}

TEST(RenderText, NegativeTotalGivesNoNegativeZeroForZeroValues) {
  Report r = make_report(-4, {{"grew", 0, -4}, {"shrunk", -4, -4}});
  EXPECT_EQ(render_text(r, opts(HeapValue::kInuseObjects)),
            "Total: -4 objects\n"
            "       0   0.0%   0.0%       -4 100.0% grew\n"
            "      -4 100.0% 100.0%       -4 100.0% shrunk\n");
}

TEST(RenderText, NegativeValuesPrintAsNegativeNumbers) {
  Report r = make_report(-3460300, {{"leak_big", -3145728, -3145728}});
  EXPECT_EQ(render_text(r, opts()),
            "Total: -3.3 MB\n"
            "    -3.0  90.9%  90.9%     -3.0  90.9% leak_big\n");
}

TEST(RenderText, NegativeBytesPrintWithAMinusSign) {
  Report r = make_report(-42, {{"shrunk", -42, -42}, {"caller", 0, -42}});
  EXPECT_EQ(render_text(r, opts(HeapValue::kInuseSpace, true)),
            "Total: -42 B\n"
            "     -42 100.0% 100.0%      -42 100.0% shrunk\n"
            "       0   0.0% 100.0%      -42 100.0% caller\n");
}

TEST(RenderText, SmallNegativeMegabytesPrintMinusZeroLikePerl) {
  Report r = make_report(-4096, {{"f", -4096, -4096}});
  EXPECT_EQ(render_text(r, opts()),
            "Total: -0.0 MB\n"
            "    -0.0 100.0% 100.0%     -0.0 100.0% f\n");
}

TEST(RenderText, RoundsHalfToEvenLikePrintf) {
  // 1310720 B = exactly 1.25 MiB, and 49/400 = exactly 12.25%.
  Report r = make_report(400, {{"f", 49, 49}});
  EXPECT_EQ(render_text(r, opts(HeapValue::kInuseObjects)),
            "Total: 400 objects\n"
            "      49  12.2%  12.2%       49  12.2% f\n");
  EXPECT_EQ(render_text(make_report(1310720, {}), opts()), "Total: 1.2 MB\n");
}

TEST(RenderText, WideValuesWidenTheLine) {
  Report r = make_report(10486760031, {{"big", 10486760031, 10486760031}});
  EXPECT_EQ(render_text(r, opts(HeapValue::kInuseSpace, true)),
            "Total: 10486760031 B\n"
            "10486760031 100.0% 100.0% 10486760031 100.0% big\n");
}

TEST(RenderText, PercentagesAboveOneHundredAreNotClamped) {
  Report r = make_report(10, {{"a", 25, 25}, {"b", -15, -15}});
  EXPECT_EQ(render_text(r, opts(HeapValue::kInuseObjects)),
            "Total: 10 objects\n"
            "      25 250.0% 250.0%       25 250.0% a\n"
            "     -15 -150.0% 100.0%      -15 -150.0% b\n");
}

TEST(RenderText, NamesArePrintedVerbatim) {
  Report r = make_report(1, {{"ns::Holder::grow (inline)", 1, 1}, {"libz.so.1.2.13+0xab40", 0, 1}});
  EXPECT_EQ(render_text(r, opts(HeapValue::kInuseObjects)),
            "Total: 1 objects\n"
            "       1 100.0% 100.0%        1 100.0% ns::Holder::grow (inline)\n"
            "       0   0.0% 100.0%        1 100.0% libz.so.1.2.13+0xab40\n");
}

TEST(RenderText, ManyRowsAreAllPrinted) {
  Report r;
  r.total = 100000;
  for (int i = 0; i < 100000; ++i) r.rows.push_back({"f" + std::to_string(i), 1, 1});
  const std::string out = render_text(r, opts(HeapValue::kInuseObjects));
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 100001);
  EXPECT_NE(out.find("       1   0.0% 100.0%        1   0.0% f99999\n"), std::string::npos);
}

}  // namespace
}  // namespace hprof
