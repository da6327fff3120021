// --trend's model: the reports of several dumps joined into one row per key,
// one value per dump, sorted by the change from the first dump to the last.
#include "report/trend.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "profile_builder.h"

namespace hprof {
namespace {

using ::hprof::testing::fn;
using ::hprof::testing::ProfileBuilder;

// The trend of `dumps`, each reported alone by one shared ReportBuilder, as
// the command line builds it; the dumps are named d1.heap, d2.heap, ...
Trend trend_of(const std::vector<ProfileBuilder>& dumps, ReportOptions options = {}) {
  ReportOptions each = options;
  each.drop_negative = false;
  ReportBuilder rows(each);
  std::vector<Report> reports;
  std::vector<std::string> paths;
  for (const ProfileBuilder& dump : dumps) {
    rows.add(dump.build());
    reports.push_back(rows.take());
    paths.push_back("/dumps/d" + std::to_string(paths.size() + 1) + ".heap");
  }
  return build_trend(paths, reports, options);
}

std::vector<std::string> row_names(const Trend& trend) {
  std::vector<std::string> names;
  for (const TrendRow& row : trend.rows) names.push_back(row.name);
  return names;
}

const TrendRow* find(const Trend& trend, const std::string& name) {
  for (const TrendRow& row : trend.rows) {
    if (row.name == name) return &row;
  }
  return nullptr;
}

TEST(Trend, EachDumpIsOneValueOfTheRowAndTotal) {
  Trend t = trend_of({ProfileBuilder().sample(100, {{fn("leak")}, {fn("main")}}).sample(5, {}),
                      ProfileBuilder().sample(300, {{fn("leak")}, {fn("main")}}).sample(5, {})});
  ASSERT_EQ(t.rows.size(), 1u);  // main has no flat in any dump
  EXPECT_EQ(t.rows[0].name, "leak");
  EXPECT_EQ(t.rows[0].values, (std::vector<int64_t>{100, 300}));
  EXPECT_EQ(t.rows[0].change, 200);
  EXPECT_EQ(t.total.name, "Total");
  EXPECT_EQ(t.total.values, (std::vector<int64_t>{105, 305}));
  EXPECT_EQ(t.total.change, 200);
  EXPECT_TRUE(t.rows[0].grew_every_step);
  EXPECT_TRUE(t.total.grew_every_step);
}

TEST(Trend, RowsAreSortedByChangeLargestGrowthFirstThenByName) {
  // Sizes in the first dump say nothing: "startup" is the largest and sinks.
  Trend t = trend_of({ProfileBuilder()
                          .sample(1000, {{fn("startup")}})
                          .sample(10, {{fn("slow")}})
                          .sample(10, {{fn("b_fast")}})
                          .sample(10, {{fn("a_fast")}})
                          .sample(500, {{fn("freed")}}),
                      ProfileBuilder()
                          .sample(1000, {{fn("startup")}})
                          .sample(20, {{fn("slow")}})
                          .sample(90, {{fn("b_fast")}})
                          .sample(90, {{fn("a_fast")}})
                          .sample(100, {{fn("freed")}})});
  EXPECT_EQ(row_names(t), (std::vector<std::string>{"a_fast", "b_fast", "slow", "startup", "freed"}));
  EXPECT_EQ(find(t, "startup")->change, 0);
  EXPECT_EQ(find(t, "freed")->change, -400);
}

TEST(Trend, ARowMissingFromADumpIsZeroThere) {
  Trend t = trend_of({ProfileBuilder().sample(10, {{fn("old")}}),
                      ProfileBuilder().sample(10, {{fn("old")}}).sample(40, {{fn("new")}}),
                      ProfileBuilder().sample(70, {{fn("new")}})});
  ASSERT_NE(find(t, "new"), nullptr);
  EXPECT_EQ(find(t, "new")->values, (std::vector<int64_t>{0, 40, 70}));
  EXPECT_EQ(find(t, "new")->change, 70);
  EXPECT_EQ(find(t, "old")->values, (std::vector<int64_t>{10, 10, 0}));
  EXPECT_EQ(find(t, "old")->change, -10);
}

TEST(Trend, GrewEveryStepOnlyWhenEachValueIsStrictlyAboveTheOneBefore) {
  Trend t = trend_of({ProfileBuilder()
                          .sample(1, {{fn("steady")}})
                          .sample(1, {{fn("paused")}})
                          .sample(5, {{fn("dipped")}})
                          .sample(1, {{fn("shrank")}}),
                      ProfileBuilder()
                          .sample(2, {{fn("steady")}})
                          .sample(1, {{fn("paused")}})
                          .sample(4, {{fn("dipped")}})
                          .sample(1, {{fn("shrank")}}),
                      ProfileBuilder()
                          .sample(3, {{fn("steady")}})
                          .sample(9, {{fn("paused")}})
                          .sample(9, {{fn("dipped")}})});
  EXPECT_TRUE(find(t, "steady")->grew_every_step);
  EXPECT_FALSE(find(t, "paused")->grew_every_step);  // 1, 1, 9
  EXPECT_FALSE(find(t, "dipped")->grew_every_step);  // 5, 4, 9
  EXPECT_FALSE(find(t, "shrank")->grew_every_step);  // 1, 1, 0
  EXPECT_FALSE(t.total.grew_every_step);             // 8, 7, 21
}

TEST(Trend, FlatByDefaultCumWithTheCumOption) {
  std::vector<ProfileBuilder> dumps{ProfileBuilder().sample(10, {{fn("alloc")}, {fn("caller")}}),
                                    ProfileBuilder().sample(30, {{fn("alloc")}, {fn("caller")}})};
  EXPECT_EQ(row_names(trend_of(dumps)), (std::vector<std::string>{"alloc"}));
  ReportOptions cum;
  cum.sort_by_cum = true;
  Trend t = trend_of(dumps, cum);
  EXPECT_EQ(t.measure, TrendMeasure::kCum);
  ASSERT_NE(find(t, "caller"), nullptr);
  EXPECT_EQ(find(t, "caller")->values, (std::vector<int64_t>{10, 30}));
}

TEST(Trend, TheChosenSampleIndexIsTheValue) {
  ReportOptions objects;
  objects.sample_type = heap_sample_type(HeapValue::kInuseObjects);
  Trend t = trend_of({ProfileBuilder().sample(HeapValues{2, 200, 0, 0}, {{fn("f")}}),
                      ProfileBuilder().sample(HeapValues{7, 100, 0, 0}, {{fn("f")}})},
                     objects);
  EXPECT_EQ(t.rows[0].values, (std::vector<int64_t>{2, 7}));
}

TEST(Trend, DropNegativeHidesRowsThatShrankFromFirstToLast) {
  ReportOptions options;
  options.drop_negative = true;
  Trend t = trend_of({ProfileBuilder().sample(50, {{fn("freed")}}).sample(1, {{fn("dipped")}}),
                      ProfileBuilder().sample(0, {{fn("freed")}}).sample(0, {{fn("dipped")}}),
                      ProfileBuilder().sample(10, {{fn("freed")}}).sample(1, {{fn("dipped")}})},
                     options);
  EXPECT_EQ(row_names(t), (std::vector<std::string>{"dipped"}));
  EXPECT_EQ(t.total.values, (std::vector<int64_t>{51, 0, 11}));  // the total keeps everything
}

TEST(Trend, AddressRowsOfAnotherLayoutJoinUnderTheFirstDumpsAddress) {
  // The same code (object, offset) at two load addresses.
  auto dump = [](uint64_t load, int64_t bytes) {
    return ProfileBuilder().sample_at(
        bytes, {testing::at(load + 0x100, LocationOrigin{"/lib/libz.so", 0x100}, {fn("deflateInit2_")})});
  };
  ReportOptions addresses;
  addresses.granularity = Granularity::kAddresses;
  Trend t = trend_of({dump(0x7f0000000000, 10), dump(0x7f5500000000, 30)}, addresses);
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].name, "0x00007f0000000100 deflateInit2_");
  EXPECT_EQ(t.rows[0].values, (std::vector<int64_t>{10, 30}));
}

DumpLabels labels(std::vector<std::string> labels, std::string pattern) {
  return DumpLabels{std::move(pattern), std::move(labels)};
}

TEST(DumpLabels, AreWhatSetsTheBaseNamesApartInTheirSharedPattern) {
  EXPECT_EQ(dump_labels({"/tmp/rec.0001.heap", "/tmp/rec.0002.heap", "/var/rec.0010.heap"}),
            labels({"0001", "0002", "0010"}, "rec.*.heap"));
  EXPECT_EQ(dump_labels({"before.heap", "after.heap"}), labels({"before", "after"}, "*.heap"));
  EXPECT_EQ(dump_labels({"jeprof.77.0.f.heap", "jeprof.77.1.f.heap"}), labels({"0", "1"}, "jeprof.77.*.f.heap"));
}

TEST(DumpLabels, CutOnlyAtASeparatorNeverInsideANumberOrWord) {
  // The shared "rec.00" and "00.heap" end and start inside the numbers.
  EXPECT_EQ(dump_labels({"rec.0010.heap", "rec.0020.heap"}), labels({"0010", "0020"}, "rec.*.heap"));
  EXPECT_EQ(dump_labels({"leaky", "leakier"}), labels({"leaky", "leakier"}, ""));
}

TEST(DumpLabels, EachLabelKeepsAtLeastOneCharacter) {
  EXPECT_EQ(dump_labels({"a.heap", "a.heap.1"}), labels({"heap", "heap.1"}, "a.*"));
}

TEST(DumpLabels, RepeatedBaseNamesKeepTheDirectoriesThatDiffer) {
  EXPECT_EQ(dump_labels({"/runs/a/w.heap", "/runs/b/w.heap"}), labels({"a", "b"}, "*/w.heap"));
  // Never half a directory name.
  EXPECT_EQ(dump_labels({"/runs/ab/w.heap", "/runs/ac/w.heap"}), labels({"ab", "ac"}, "*/w.heap"));
  EXPECT_EQ(dump_labels({"x1/w.heap", "y2/w.heap"}), labels({"x1", "y2"}, "*/w.heap"));
}

TEST(DumpLabels, ADumpGivenTwiceKeepsItsName) {
  EXPECT_EQ(dump_labels({"/d/w.heap", "/d/w.heap"}), labels({"w.heap", "w.heap"}, ""));
}

}  // namespace
}  // namespace hprof
