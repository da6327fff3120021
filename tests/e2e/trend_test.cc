// --trend on real series of dumps of one process: the JVM leaking zlib state
// through Deflaters never end()ed (with and without its perf map), and the
// C++ workload dumped every 2 MiB.
// Every column is checked against the report of that dump alone, which
// hprof-text prints in a separate run.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "harness.h"
#include "jvm_perf_map_recording.h"
#include "trend_table.h"

namespace e2e {
namespace {

bool strictly_increasing(const std::vector<int64_t>& values) {
  return std::adjacent_find(values.begin(), values.end(), [](int64_t a, int64_t b) { return b <= a; }) ==
         values.end();
}

// `hprof-text --trend --show_bytes OPTIONS PROGRAM DUMPS...`, checked against
// the reports of each dump alone: each column is the row's flat (cum with
// --cum) in that dump's report, 0 where that report has no such row; the
// Total row holds each report's Total; every row with a value in some report
// is there; the change is last - first; rows are sorted by change, then by
// name; the marker is on exactly the rows that grew in every step.
TrendTable checked_trend(const std::vector<std::string>& options, const std::string& program,
                         const std::vector<std::string>& dumps) {
  std::vector<std::string> args{"--trend", "--show_bytes"};
  args.insert(args.end(), options.begin(), options.end());
  args.push_back(program);
  args.insert(args.end(), dumps.begin(), dumps.end());
  CommandResult r = hprof_text(args);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  TrendTable trend = parse_trend(r.out, dumps.size());
  EXPECT_EQ(trend.labels.size(), dumps.size() + 1) << r.out;

  const bool cum = std::find(options.begin(), options.end(), "--cum") != options.end();
  std::vector<TextReport> singles;
  for (const std::string& dump : dumps) singles.push_back(bytes_report(options, program, {dump}));
  std::set<std::string> expected_names;
  for (std::size_t d = 0; d < dumps.size(); ++d) {
    EXPECT_EQ(trend.total.values[d], total_of(singles[d])) << dumps[d];
    for (const auto& [name, row] : singles[d].rows) {
      if ((cum ? row.cum : row.flat) != 0) expected_names.insert(name);
    }
  }
  std::set<std::string> names;
  for (const TrendLine& row : trend.rows) {
    names.insert(row.name);
    for (std::size_t d = 0; d < dumps.size(); ++d) {
      auto it = singles[d].rows.find(row.name);
      const int64_t single = it == singles[d].rows.end() ? 0 : (cum ? it->second.cum : it->second.flat);
      EXPECT_EQ(row.values[d], single) << row.name << " in " << dumps[d];
    }
    EXPECT_EQ(row.change, row.values.back() - row.values.front()) << row.name;
    EXPECT_EQ(row.marked, strictly_increasing(row.values)) << row.name;
  }
  EXPECT_EQ(names, expected_names);
  EXPECT_TRUE(std::is_sorted(trend.rows.begin(), trend.rows.end(), [](const TrendLine& a, const TrendLine& b) {
    return a.change != b.change ? a.change > b.change : a.name < b.name;
  }));
  return trend;
}

const char* const kZlibRows[] = {"deflateInit2_", "Java_java_util_zip_Deflater_init", "inflateInit2_",
                                 "Java_java_util_zip_Inflater_init"};

TEST(Trend, JvmLeakingZlibRowsComeFirstAndGrewInEveryStep) {
  std::vector<std::string> dumps = jvm_dumps();
  ASSERT_GE(dumps.size(), 3u);
  TrendTable trend = checked_trend({}, java_program(), dumps);
  ASSERT_FALSE(trend.rows.empty());
  EXPECT_EQ(trend.rows.front().name, "deflateInit2_");
  EXPECT_TRUE(trend.total.marked);
  for (const char* name : kZlibRows) {
    ASSERT_NE(trend.find(name), nullptr) << name;
    EXPECT_TRUE(trend.find(name)->marked) << name;
  }
  // The dynamic loader's start-up allocation: there from the first dump,
  // never growing; it sinks below every leaking row.
  const TrendLine* startup = trend.find("_dl_new_object");
  ASSERT_NE(startup, nullptr);
  EXPECT_GT(startup->values.front(), 0);
  EXPECT_EQ(startup->change, 0);
  EXPECT_FALSE(startup->marked);
  for (const char* name : kZlibRows) EXPECT_LT(trend.position(name), trend.position("_dl_new_object")) << name;
}

TEST(Trend, JvmCumFollowsTheJniCallerOfTheLeak) {
  TrendTable trend = checked_trend({"--cum"}, java_program(), jvm_dumps());
  const TrendLine* jni = trend.find("Java_java_util_zip_Deflater_init");
  const TrendLine* zlib = trend.find("deflateInit2_");
  ASSERT_NE(jni, nullptr);
  ASSERT_NE(zlib, nullptr);
  EXPECT_TRUE(jni->marked);
  EXPECT_GE(jni->change, zlib->change);
  EXPECT_GT(jni->change, trend.total.change / 2);
}

TEST(Trend, JvmPerfMapNamesTheJavaCallersOfTheLeakInEveryDump) {
  // The map applies to each dump; the single reports get it too.
  JvmPerfMapRecording recording = jvm_perf_map_recording();
  std::vector<std::string> dumps = sorted_dumps(std::filesystem::path(recording.dump).parent_path(), "rec");
  ASSERT_GE(dumps.size(), 2u);
  TrendTable trend = checked_trend({"--cum", "--perf-map=" + recording.perf_map}, java_program(), dumps);
  // The JIT compiled Deflater.init's native wrapper after its first calls,
  // so its cum trails the JNI function's, and grows as much.
  const TrendLine* wrapper = trend.find("java.util.zip.Deflater.init");
  ASSERT_NE(wrapper, nullptr);
  EXPECT_TRUE(wrapper->marked);
  EXPECT_GT(wrapper->change, trend.total.change / 2);
  const TrendLine* leaker = trend.find("DeflaterLeak.leakDeflater");
  ASSERT_NE(leaker, nullptr);
  EXPECT_GT(leaker->change, 0);
}

TEST(Trend, JvmWithTheDefaultUnitPutsDeflateFirst) {
  // The command of the README, in MB.
  std::vector<std::string> args{"--trend", java_program()};
  for (const std::string& dump : jvm_dumps()) args.push_back(dump);
  CommandResult r = hprof_text(args);
  ASSERT_EQ(r.exit_status, 0) << r.err;
  std::istringstream out(r.out);
  std::string first, labels, total, top;
  std::getline(out, first);
  std::getline(out, labels);
  std::getline(out, total);
  std::getline(out, top);
  EXPECT_EQ(first.rfind("Trend of flat inuse_space (MB) over ", 0), 0u) << first;
  EXPECT_NE(first.find(" (rec.*.heap); "), std::string::npos) << first;
  EXPECT_EQ(labels.find("0001"), labels.find_first_not_of(' ')) << labels;
  EXPECT_TRUE(total.ends_with(" + Total")) << total;
  EXPECT_TRUE(top.ends_with(" + deflateInit2_")) << top;
}

TEST(Trend, CppSeriesRowsAbsentFromEarlyDumpsAreZeroThere) {
  std::vector<std::string> dumps = cpp_workload_series();
  ASSERT_GE(dumps.size(), 4u);
  TrendTable trend = checked_trend({}, E2E_WORKLOAD, dumps);
  // recurse() runs after main's first loop, which fills the first dumps.
  const TrendLine* recurse = trend.find("recurse");
  ASSERT_NE(recurse, nullptr);
  EXPECT_EQ(recurse->values.front(), 0);
  EXPECT_EQ(recurse->values.back(), 8 * 262144);
  EXPECT_EQ(trend.find("leak_malloc (inline)")->values.back(), 3000 * 4096);
}

TEST(Trend, CppSeriesInEveryGranularity) {
  std::vector<std::string> dumps = cpp_workload_series();
  for (const char* granularity : {"--lines", "--addresses", "--files"}) {
    SCOPED_TRACE(granularity);
    checked_trend({granularity}, E2E_WORKLOAD, dumps);
  }
  checked_trend({"--inuse_objects", "--focus=work::"}, E2E_WORKLOAD, dumps);
}

}  // namespace
}  // namespace e2e
