// The text of a --trend: what the values are, the dumps' labels over their
// columns, the Total row, then the rows with their change and marker.
#include "report/render_trend.h"

#include <gtest/gtest.h>

#include <string>

#include "trend_rows.h"

namespace hprof {
namespace {

using testing::make_trend;
using testing::trend_row;

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

ReportOptions opts(HeapValue index = HeapValue::kInuseSpace, bool show_bytes = false) {
  ReportOptions o;
  o.sample_type = heap_sample_type(index);
  o.show_bytes = show_bytes;
  return o;
}

const Trend kLeak = make_trend({"rec.*.heap", {"0001", "0002", "0003"}},
                               trend_row("Total", {67144474, 134317506, 170011498}),
                               {trend_row("deflateInit2_", {60083200, 126484480, 160825344}),
                                trend_row("JLI_MemAlloc", {1048576, 1048576, 1048576}),
                                trend_row("__new_exitfn", {2080, 2080, 0})});

TEST(RenderTrend, MegabytesUnderTheDumpLabelsWithASignedChangeAndTheMarker) {
  EXPECT_EQ(render_trend(kLeak, opts()),
            "Trend of flat inuse_space (MB) over 3 dumps (rec.*.heap); change = last - first; +: grew in every step\n"
            "    0001     0002     0003   change\n"
            "    64.0    128.1    162.1    +98.1 + Total\n"
            "    57.3    120.6    153.4    +96.1 + deflateInit2_\n"
            "     1.0      1.0      1.0      0.0   JLI_MemAlloc\n"
            "     0.0      0.0      0.0     -0.0   __new_exitfn\n");
}

TEST(RenderTrend, ShowBytesPrintsIntegerBytesInColumnsAsWideAsTheirWidestCell) {
  EXPECT_EQ(render_trend(kLeak, opts(HeapValue::kAllocSpace, true)),
            "Trend of flat alloc_space (B) over 3 dumps (rec.*.heap); change = last - first; +: grew in every step\n"
            "    0001      0002      0003     change\n"
            "67144474 134317506 170011498 +102867024 + Total\n"
            "60083200 126484480 160825344 +100742144 + deflateInit2_\n"
            " 1048576   1048576   1048576          0   JLI_MemAlloc\n"
            "    2080      2080         0      -2080   __new_exitfn\n");
}

TEST(RenderTrend, ALongLabelWidensItsColumnAndNoPatternIsNamedWithoutOne) {
  Trend t = make_trend({"", {"before", "after-the-restart"}}, trend_row("Total", {3, 5}), {trend_row("f", {3, 5})});
  EXPECT_EQ(render_trend(t, opts(HeapValue::kInuseObjects)),
            "Trend of flat inuse_objects (objects) over 2 dumps; change = last - first; +: grew in every step\n"
            "  before after-the-restart   change\n"
            "       3                 5       +2 + Total\n"
            "       3                 5       +2 + f\n");
}

TEST(RenderTrend, CumIsNamedInTheFirstLine) {
  Trend t = make_trend({"", {"a", "b"}}, trend_row("Total", {3, 5}), {trend_row("f", {3, 5})});
  t.measure = TrendMeasure::kCum;
  EXPECT_EQ(first_line(render_trend(t, opts(HeapValue::kAllocObjects))),
            "Trend of cum alloc_objects (objects) over 2 dumps; change = last - first; +: grew in every step");
}

}  // namespace
}  // namespace hprof
