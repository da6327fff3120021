// Batch mode on real dumps: `hprof-text --output-suffix=.txt [options]
// PROGRAM DUMP...` writes, for each dump, exactly the bytes that
// `hprof-text [options] PROGRAM DUMP` prints; stdout stays empty, and with
// stderr not a terminal there is no progress line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "harness.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;

// Copies `dumps` into a fresh directory of this test's own, under the names
// `names` (the dumps of the C++ workload all have one name).
std::vector<std::string> copies(const std::vector<std::string>& dumps, const std::vector<std::string>& names) {
  fs::path dir = fs::path(scratch_dir()) / ("batch-" + std::string(::testing::UnitTest::GetInstance()
                                                                         ->current_test_info()
                                                                         ->name()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < dumps.size(); ++i) {
    paths.push_back((dir / names[i]).string());
    fs::copy_file(dumps[i], paths.back());
  }
  return paths;
}

std::vector<std::string> base_names(const std::vector<std::string>& dumps) {
  std::vector<std::string> names;
  for (const auto& dump : dumps) names.push_back(fs::path(dump).filename().string());
  return names;
}

// `options` end with PROGRAM when there is one.
void expect_batch_equals_single_reports(const std::vector<std::string>& options,
                                        const std::vector<std::string>& profiles) {
  std::vector<std::string> args{"--output-suffix=.txt"};
  args.insert(args.end(), options.begin(), options.end());
  args.insert(args.end(), profiles.begin(), profiles.end());
  CommandResult batch = hprof_text(args);
  EXPECT_EQ(batch.exit_status, 0) << batch.err;
  EXPECT_EQ(batch.out, "");
  EXPECT_EQ(batch.err.find('\r'), std::string::npos) << "progress without a terminal: " << batch.err;
  for (const std::string& profile : profiles) {
    std::vector<std::string> single_args = options;
    single_args.push_back(profile);
    CommandResult single = hprof_text(single_args);
    ASSERT_EQ(single.exit_status, 0) << single.err;
    ASSERT_NE(single.out.find("Total: "), std::string::npos) << single.out;
    EXPECT_TRUE(read_file(profile + ".txt") == single.out) << profile << ": the batch's file differs from the report";
  }
}

TEST(Batch, JvmDumpsEachEqualTheSingleDumpReport) {
  std::vector<std::string> dumps = jvm_dumps();
  ASSERT_GE(dumps.size(), 2u);
  expect_batch_equals_single_reports({java_program()}, copies(dumps, base_names(dumps)));
}

TEST(Batch, JvmDumpsWithLinesAndBaseEachEqualTheSingleDumpReport) {
  std::vector<std::string> dumps = copies(jvm_dumps(), base_names(jvm_dumps()));
  std::string base = dumps.front();
  dumps.erase(dumps.begin());
  expect_batch_equals_single_reports({"--lines", "--show_bytes", "--base=" + base, java_program()}, dumps);
}

TEST(Batch, DumpsOfTwoRunsEachEqualTheSingleDumpReportInEveryGranularity) {
  // Two ASLR layouts sharing one cache of files; the program from the maps.
  std::vector<std::string> dumps = copies({cpp_workload_dump("a"), cpp_workload_dump("b")}, {"a.heap", "b.heap"});
  expect_batch_equals_single_reports({"--show_bytes"}, dumps);
  expect_batch_equals_single_reports({"--lines", "--base=" + dumps[0]}, {dumps[1]});
  expect_batch_equals_single_reports({"--addresses", "--focus=work"}, dumps);
}

TEST(Batch, ABadDumpInTheBatchIsAnErrorAndTheOthersAreWritten) {
  std::vector<std::string> dumps = copies(jvm_dumps(), base_names(jvm_dumps()));
  std::string bad = dumps.front() + ".bad";  // a real dump with a malformed line 2
  std::string text = read_file(dumps.front());
  std::ofstream(bad, std::ios::binary) << text.insert(text.find('\n') + 1, "   garbage\n");
  CommandResult batch = hprof_text({"--output-suffix=.txt", java_program(), bad, dumps.back()});
  EXPECT_EQ(batch.exit_status, 1);
  EXPECT_EQ(batch.out, "");
  EXPECT_NE(batch.err.find("hprof-text: error: " + bad + ":2: "), std::string::npos) << batch.err;
  EXPECT_NE(batch.err.find("hprof-text: error: 1 of 2 reports not written"), std::string::npos) << batch.err;
  EXPECT_FALSE(fs::exists(bad + ".txt"));
  EXPECT_TRUE(read_file(dumps.back() + ".txt") == hprof_text({java_program(), dumps.back()}).out);
}

}  // namespace
}  // namespace e2e
