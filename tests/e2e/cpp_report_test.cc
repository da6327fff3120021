// The report of a real recording of tests/e2e/workload (PIE + shared
// library, -O2 -g) under libtcmalloc: names and exact byte counts.
#include <gtest/gtest.h>

#include <algorithm>

#include "harness.h"

namespace e2e {
namespace {

TextReport workload_report(const std::vector<std::string>& options = {}) {
  return bytes_report(options, E2E_WORKLOAD, {cpp_workload_dump()});
}

TEST(CppReport, InlinedAllocationIsItsOwnInlineRow) {
  // main() calls the always_inline leak_malloc 3000 times for 4096 bytes.
  TextReport report = workload_report();
  ASSERT_TRUE(report.rows.count("leak_malloc (inline)"));
  EXPECT_EQ(report.rows["leak_malloc (inline)"].flat, 3000 * 4096);
  EXPECT_EQ(report.rows["leak_malloc (inline)"].cum, 3000 * 4096);
}

TEST(CppReport, AnonymousNamespaceIsKept) {
  TextReport report = workload_report();
  EXPECT_EQ(report.rows["(anonymous namespace)::Anon::make"].flat, 5 * 100000);
}

TEST(CppReport, TemplateInstantiationsShareOneName) {
  // Pool<double>::grab 10 x 8000 bytes and Pool<long>::grab 4 x 4000 bytes.
  TextReport report = workload_report();
  EXPECT_EQ(report.rows["work::Pool::grab"].flat, 10 * 8000 + 4 * 4000);
}

TEST(CppReport, SharedLibraryFunctionIsNamed) {
  TextReport report = workload_report();
  EXPECT_EQ(report.rows["work::lib_leak"].flat, 7 * 30000);
}

TEST(CppReport, RecursionCountsOncePerStackInCum) {
  // 8 levels each keep 262144 bytes; a stack holds up to 8 recurse frames.
  TextReport report = workload_report();
  EXPECT_EQ(report.rows["recurse"].flat, 8 * 262144);
  EXPECT_EQ(report.rows["recurse"].cum, 8 * 262144);
}

TEST(CppReport, MainCarriesEverythingItCalled) {
  TextReport report = workload_report();
  int64_t known = 3000 * 4096 + 5 * 100000 + 10 * 8000 + 4 * 4000 + 7 * 30000 + 6 * 50000 + 8 * 262144;
  EXPECT_GE(report.rows["main"].cum, known);
}

TEST(CppReport, FreedMemoryIsOnlyInAllocSpace) {
  // churn() allocates 100 x 10000 bytes and frees each block.
  EXPECT_EQ(workload_report().rows.count("churn"), 0u);
  TextReport alloc = workload_report({"--alloc_space"});
  EXPECT_EQ(alloc.rows["churn"].flat, 100 * 10000);
}

TEST(CppReport, InuseObjectsCountsBlocks) {
  CommandResult r = hprof_text({"--inuse_objects", E2E_WORKLOAD, cpp_workload_dump()});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  TextReport report = parse_text_report(r.out);
  EXPECT_EQ(report.rows["leak_malloc (inline)"].flat, 3000);
  EXPECT_EQ(report.rows["recurse"].flat, 8);
  EXPECT_NE(report.total_line.find(" objects"), std::string::npos);
}

TEST(CppReport, TotalIsTheSumOfFlatAndOfTheRecordsWithNoStack) {
  TextReport report = workload_report();
  int64_t flat_sum = 0;
  for (const auto& [name, row] : report.rows) flat_sum += row.flat;
  EXPECT_EQ(report.total_line,
            "Total: " + std::to_string(flat_sum + empty_stack_value(cpp_workload_dump())) + " B");
}

TEST(CppReport, RowsAreSortedByFlatThenName) {
  TextReport report = workload_report();
  for (size_t i = 1; i < report.names.size(); ++i) {
    const Row& a = report.rows[report.names[i - 1]];
    const Row& b = report.rows[report.names[i]];
    EXPECT_TRUE(a.flat > b.flat || (a.flat == b.flat && report.names[i - 1] < report.names[i]))
        << report.names[i - 1] << " before " << report.names[i];
  }
}

TEST(CppReport, CumSortPutsTheRootsFirst) {
  TextReport report = workload_report({"--cum"});
  ASSERT_FALSE(report.names.empty());
  for (size_t i = 1; i < report.names.size(); ++i) {
    EXPECT_GE(report.rows[report.names[i - 1]].cum, report.rows[report.names[i]].cum);
  }
  // Every allocation of the workload is made under main: main and the C
  // runtime frames above it (_start, __libc_start_main, ...) carry the total
  // but for the records the profiler could not unwind.
  const int64_t unwound = unwound_total(report, cpp_workload_dump());
  ASSERT_TRUE(report.rows.count("main")) << "no row for main";
  EXPECT_EQ(report.rows["main"].cum, unwound);
  EXPECT_EQ(report.rows[report.names.front()].cum, unwound) << report.names.front();
  EXPECT_EQ(report.rows[report.names.front()].flat, 0) << report.names.front() << " is not a root";
}

TEST(CppReport, ProgramIsTakenFromTheMapsWhenNotGiven) {
  CommandResult with_program = hprof_text({E2E_WORKLOAD, cpp_workload_dump()});
  CommandResult without = hprof_text({cpp_workload_dump()});
  ASSERT_EQ(without.exit_status, 0) << without.err;
  EXPECT_EQ(with_program.out, without.out);
  EXPECT_NE(without.out.find("leak_malloc (inline)"), std::string::npos);
}

TEST(CppReport, ProfilesOfTwoRunsAreSummed) {
  // Two runs have different ASLR layouts: each is resolved with its own maps.
  TextReport both = bytes_report({}, E2E_WORKLOAD, {cpp_workload_dump("a"), cpp_workload_dump("b")});
  EXPECT_EQ(both.rows["leak_malloc (inline)"].flat, 2 * 3000 * 4096);
  EXPECT_EQ(both.rows["work::lib_leak"].flat, 2 * 7 * 30000);
}

TEST(CppReport, DefaultUnitIsMegabytes) {
  CommandResult r = hprof_text({E2E_WORKLOAD, cpp_workload_dump()});
  ASSERT_EQ(r.exit_status, 0);
  EXPECT_EQ(r.out.rfind("Total: ", 0), 0u);
  EXPECT_NE(r.out.find(" MB\n"), std::string::npos);
  // 12288000 bytes = 11.7 MiB, flat% of the total, name last.
  EXPECT_NE(r.out.find("    11.7 "), std::string::npos) << r.out;
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(CppReport, StrippedInternalFunctionIsNamedByObjectAndStart) {
  // internal_alloc has no symbol after stripping; it follows the exported
  // stripped_exported_first, which must not be blamed for its 6 x 50000 bytes.
  TextReport report = workload_report();
  const std::string start = libstripped_function_start("internal_alloc");
  ASSERT_FALSE(start.empty()) << "no internal_alloc in " << E2E_LIBSTRIPPED_FULL;
  std::string expected = "libe2estripped.so+0x" + start;
  ASSERT_TRUE(report.rows.count(expected)) << expected;
  EXPECT_EQ(report.rows[expected].flat, 6 * 50000);
  EXPECT_EQ(report.rows.count("stripped_exported_first"), 0u);
  EXPECT_EQ(report.rows["stripped_entry"].cum, 6 * 50000);
}

}  // namespace
}  // namespace e2e
