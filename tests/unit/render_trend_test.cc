// The text of a --trend: what the values are, the dumps' labels over their
// columns, the Total row, then the rows with their change and marker.
#include "report/render_trend.h"

#include <gtest/gtest.h>

#include <string>

namespace hprof {
namespace {

TrendRow row(std::string name, std::vector<int64_t> values, bool grew) {
  TrendRow r{std::move(name), std::move(values)};
  r.change = r.values.back() - r.values.front();
  r.grew_every_step = grew;
  return r;
}

Trend trend(DumpLabels dumps, TrendRow total, std::vector<TrendRow> rows) {
  Trend t;
  t.dumps = std::move(dumps);
  t.total = std::move(total);
  t.rows = std::move(rows);
  return t;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

ReportOptions opts(SampleIndex index = SampleIndex::kInuseSpace, bool show_bytes = false) {
  ReportOptions o;
  o.sample_index = index;
  o.show_bytes = show_bytes;
  return o;
}

const Trend kLeak = trend({"rec.*.heap", {"0001", "0002", "0003"}},
                          row("Total", {67144474, 134317506, 170011498}, true),
                          {row("deflateInit2_", {60083200, 126484480, 160825344}, true),
                           row("JLI_MemAlloc", {1048576, 1048576, 1048576}, false),
                           row("__new_exitfn", {2080, 2080, 0}, false)});

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
  EXPECT_EQ(render_trend(kLeak, opts(SampleIndex::kAllocSpace, true)),
            "Trend of flat alloc_space (B) over 3 dumps (rec.*.heap); change = last - first; +: grew in every step\n"
            "    0001      0002      0003     change\n"
            "67144474 134317506 170011498 +102867024 + Total\n"
            "60083200 126484480 160825344 +100742144 + deflateInit2_\n"
            " 1048576   1048576   1048576          0   JLI_MemAlloc\n"
            "    2080      2080         0      -2080   __new_exitfn\n");
}

TEST(RenderTrend, ALongLabelWidensItsColumnAndNoPatternIsNamedWithoutOne) {
  Trend t = trend({"", {"before", "after-the-restart"}}, row("Total", {3, 5}, true), {row("f", {3, 5}, true)});
  EXPECT_EQ(render_trend(t, opts(SampleIndex::kInuseObjects)),
            "Trend of flat inuse_objects (objects) over 2 dumps; change = last - first; +: grew in every step\n"
            "  before after-the-restart   change\n"
            "       3                 5       +2 + Total\n"
            "       3                 5       +2 + f\n");
}

TEST(RenderTrend, CumIsNamedInTheFirstLine) {
  Trend t = trend({"", {"a", "b"}}, row("Total", {3, 5}, true), {row("f", {3, 5}, true)});
  t.measure = TrendMeasure::kCum;
  EXPECT_EQ(first_line(render_trend(t, opts(SampleIndex::kAllocObjects))),
            "Trend of cum alloc_objects (objects) over 2 dumps; change = last - first; +: grew in every step");
}

}  // namespace
}  // namespace hprof
