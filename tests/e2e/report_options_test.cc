// The report options on real recordings: --lines, --addresses, --files,
// --focus, --ignore, --base and --drop_negative, on the C++ workload (whose
// bytes are known exactly, tests/e2e/workload) and on the JVM dumps.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "harness.h"

namespace e2e {
namespace {

constexpr int64_t kLeakMallocBytes = 3000 * 4096;
constexpr int64_t kLibLeakBytes = 7 * 30000;
constexpr int64_t kPoolBytes = 10 * 8000 + 4 * 4000;
constexpr int64_t kStrippedBytes = 6 * 50000;
constexpr int64_t kRecurseLevelBytes = 262144;

// hprof-text --show_bytes OPTIONS PROGRAM PROFILES... on recordings of the
// workload (`variants` name them, see cpp_workload_dump).
TextReport cpp_report(const std::vector<std::string>& options, const std::vector<std::string>& variants = {"a"}) {
  std::vector<std::string> dumps;
  for (const std::string& variant : variants) dumps.push_back(cpp_workload_dump(variant));
  return bytes_report(options, E2E_WORKLOAD, dumps);
}

TextReport jvm_report(const std::vector<std::string>& options, const std::string& dump) {
  return bytes_report(options, java_program(), {dump});
}

int64_t sum_of_flat(const TextReport& report) {
  int64_t sum = 0;
  for (const auto& [name, row] : report.rows) sum += row.flat;
  return sum;
}

std::string workload_source(const std::string& file) {
  return (std::filesystem::path(__FILE__).parent_path() / "workload" / file).lexically_normal().string();
}

// The 1-based line of workload/workload.cc that contains `text`.
int workload_line(const std::string& text) {
  std::ifstream in(workload_source("workload.cc"));
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.find(text) != std::string::npos) return n;
  }
  ADD_FAILURE() << "no line of workload.cc contains " << text;
  return 0;
}

// "name /abs/path/workload.cc:N" for a line of the workload's main source.
std::string at_line(const std::string& function, const std::string& text) {
  return function + " " + workload_source("workload.cc") + ":" + std::to_string(workload_line(text));
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// ---------------------------------------------------------------------------
// C++ workload: --lines

TEST(CppOptions, LinesNameTheInlinedAllocationByItsSourceLine) {
  TextReport report = cpp_report({"--lines"});
  const std::string name = at_line("leak_malloc", "void* leak_malloc(std::size_t n)") + " (inline)";
  ASSERT_TRUE(report.rows.count(name)) << name;
  EXPECT_EQ(report.rows[name].flat, kLeakMallocBytes);
}

TEST(CppOptions, LinesSplitMainByCallSite) {
  TextReport report = cpp_report({"--lines"});
  EXPECT_EQ(report.rows[at_line("main", "keep(leak_malloc(4096))")].cum, kLeakMallocBytes);
  EXPECT_EQ(report.rows[at_line("main", "keep(work::lib_leak(30000))")].cum, kLibLeakBytes);
  EXPECT_EQ(report.rows[at_line("main", "keep(stripped_entry(50000))")].cum, kStrippedBytes);
}

TEST(CppOptions, LinesSplitRecursionIntoTheAllocatingAndTheRecursingLine) {
  // Each of 8 levels allocates; 7 of them were reached through the recursive call.
  TextReport report = cpp_report({"--lines"});
  EXPECT_EQ(report.rows[at_line("recurse", "keep(std::malloc(262144))")].flat, 8 * kRecurseLevelBytes);
  EXPECT_EQ(report.rows[at_line("recurse", "if (depth > 0) recurse(depth - 1)")].cum, 7 * kRecurseLevelBytes);
}

TEST(CppOptions, LinesKeepTheNameOfCodeWithoutSource) {
  TextReport report = cpp_report({"--lines"});
  EXPECT_EQ(report.rows["stripped_entry"].cum, kStrippedBytes);
  EXPECT_EQ(report.rows.count("_start"), 1u);
}

// ---------------------------------------------------------------------------
// C++ workload: --addresses

TEST(CppOptions, AddressesHaveOneRowPerPc) {
  TextReport report = cpp_report({"--addresses"});
  static const std::regex address_row(R"(^0x[0-9a-f]{16} \S.*$)");
  for (const std::string& name : report.names) EXPECT_TRUE(std::regex_match(name, address_row)) << name;
  // Pool<double>::grab and Pool<long>::grab: one function name, two PCs.
  std::multiset<int64_t> grab_flats;
  for (const auto& [name, row] : report.rows) {
    if (name.find(" work::Pool::grab ") != std::string::npos) grab_flats.insert(row.flat);
  }
  EXPECT_EQ(grab_flats, (std::multiset<int64_t>{10 * 8000, 4 * 4000}));
  EXPECT_EQ(sum_of_flat(report), unwound_total(report, cpp_workload_dump()));
}

TEST(CppOptions, AddressesPutTheInlinedAllocationAtItsCallersPc) {
  TextReport report = cpp_report({"--addresses"});
  std::string leak_address, main_address;
  for (const auto& [name, row] : report.rows) {
    if (name.find(" leak_malloc ") != std::string::npos) leak_address = name.substr(0, 18);
    if (name.find(" main ") != std::string::npos && row.cum == kLeakMallocBytes) main_address = name.substr(0, 18);
  }
  ASSERT_FALSE(leak_address.empty());
  EXPECT_EQ(leak_address, main_address);
}

// ---------------------------------------------------------------------------
// C++ workload: --files

TEST(CppOptions, FilesSumEachSourceFile) {
  TextReport report = cpp_report({"--files"});
  EXPECT_EQ(report.rows[workload_source("libwork.cc")].flat, kLibLeakBytes + kPoolBytes);
  EXPECT_EQ(report.rows[workload_source("workload.cc") + " (inline)"].flat, kLeakMallocBytes);
  EXPECT_EQ(report.rows[workload_source("workload.cc")].cum, unwound_total(report, cpp_workload_dump()));
}

TEST(CppOptions, FilesNameCodeWithoutSourceByItsObject) {
  TextReport report = cpp_report({"--files"});
  EXPECT_EQ(report.rows["[libe2estripped.so]"].flat, kStrippedBytes);
  EXPECT_EQ(report.rows["[e2e_workload]"].cum, unwound_total(report, cpp_workload_dump()));  // _start
}

// ---------------------------------------------------------------------------
// C++ workload: --focus / --ignore

TEST(CppOptions, FocusKeepsOnlyMatchingStacksAndTheTotal) {
  TextReport all = cpp_report({});
  TextReport report = cpp_report({"--focus=work::lib_leak"});
  EXPECT_EQ(report.total_line, all.total_line);
  EXPECT_EQ(report.rows["work::lib_leak"].flat, kLibLeakBytes);
  EXPECT_EQ(report.rows["main"].cum, kLibLeakBytes);
  EXPECT_EQ(sum_of_flat(report), kLibLeakBytes);
}

TEST(CppOptions, FocusMatchesSourceFiles) {
  EXPECT_EQ(sum_of_flat(cpp_report({"--focus=libwork\\.cc"})), kLibLeakBytes + kPoolBytes);
}

TEST(CppOptions, FocusMatchesTheObjectPath) {
  // "libe2ework" is in no function or source name, only in the mapping's path.
  TextReport report = cpp_report({"--focus=libe2ework"});
  EXPECT_EQ(sum_of_flat(report), kLibLeakBytes + kPoolBytes);
  EXPECT_EQ(report.rows["work::Pool::grab"].flat, kPoolBytes);
}

TEST(CppOptions, IgnoreDropsMatchingStacksAndKeepsTheTotal) {
  TextReport all = cpp_report({});
  TextReport report = cpp_report({"--ignore=recurse"});
  EXPECT_EQ(report.total_line, all.total_line);
  EXPECT_EQ(report.rows.count("recurse"), 0u);
  EXPECT_EQ(report.rows["main"].cum, all.rows["main"].cum - 8 * kRecurseLevelBytes);
}

TEST(CppOptions, IgnoreWinsOverFocus) {
  TextReport report = cpp_report({"--focus=work::", "--ignore=lib_leak"});
  EXPECT_EQ(report.rows.count("work::lib_leak"), 0u);
  EXPECT_EQ(sum_of_flat(report), kPoolBytes);
}

TEST(CppOptions, FocusMatchingNothingIsOneWarningAndNoRows) {
  CommandResult r = hprof_text({"--show_bytes", "--focus=no_such_function", E2E_WORKLOAD, cpp_workload_dump()});
  EXPECT_EQ(r.exit_status, 0);
  TextReport report = parse_text_report(r.out);
  EXPECT_TRUE(report.rows.empty());
  EXPECT_EQ(report.total_line, cpp_report({}).total_line);
  EXPECT_EQ(r.err, "hprof-text: warning: --focus=no_such_function matched no samples\n");
}

// ---------------------------------------------------------------------------
// C++ workload: --base

TEST(CppOptions, BaseFromAnotherRunCancelsEverything) {
  // Recording "b" is another run of the same workload: other ASLR layout, same bytes.
  for (const char* granularity : {"--functions", "--lines", "--addresses", "--files"}) {
    SCOPED_TRACE(granularity);
    CommandResult r = hprof_text({"--show_bytes", granularity, "--base=" + cpp_workload_dump("b"), E2E_WORKLOAD,
                                  cpp_workload_dump("a")});
    EXPECT_EQ(r.exit_status, 0) << r.err;
    EXPECT_EQ(r.out, "Total: 0 B\n");
  }
}

TEST(CppOptions, BaseIsSubtractedFromTheSumOfTheProfiles) {
  TextReport report = cpp_report({"--base=" + cpp_workload_dump("b")}, {"a", "a"});
  EXPECT_EQ(report.total_line, cpp_report({}).total_line);
  EXPECT_EQ(report.rows["leak_malloc (inline)"].flat, kLeakMallocBytes);
}

TEST(CppOptions, FiltersApplyToTheBaseToo) {
  // Unfiltered, the base would leave every other function negative.
  TextReport report = cpp_report({"--focus=work::lib_leak", "--base=" + cpp_workload_dump("b")}, {"a", "a"});
  EXPECT_EQ(report.rows["work::lib_leak"].flat, kLibLeakBytes);
  for (const auto& [name, row] : report.rows) EXPECT_GE(row.cum, 0) << name;
}

// ---------------------------------------------------------------------------
// JVM dumps

TEST(JvmOptions, EveryGranularityDividesTheSameBytes) {
  const std::string dump = jvm_dumps().back();
  const int64_t functions = sum_of_flat(jvm_report({}, dump));
  EXPECT_EQ(sum_of_flat(jvm_report({"--lines"}, dump)), functions);
  EXPECT_EQ(sum_of_flat(jvm_report({"--addresses"}, dump)), functions);
  EXPECT_EQ(sum_of_flat(jvm_report({"--files"}, dump)), functions);
}

TEST(JvmOptions, LinesNameLibjvmFunctionsBySourceLine) {
  TextReport report = jvm_report({"--lines"}, jvm_dumps().back());
  static const std::regex os_malloc_line(R"(^os::malloc \S*/os\.cpp:[0-9]+( \(inline\))?$)");
  int64_t os_malloc_flat = 0;
  for (const auto& [name, row] : report.rows) {
    if (std::regex_match(name, os_malloc_line)) os_malloc_flat += row.flat;
  }
  EXPECT_GT(os_malloc_flat, 0);
  // zlib has no debug information here: its rows keep the bare name.
  EXPECT_EQ(report.rows["deflateInit2_"].flat, jvm_report({}, jvm_dumps().back()).rows["deflateInit2_"].flat);
}

TEST(JvmOptions, AddressesHaveOneRowPerPc) {
  const std::string dump = jvm_dumps().back();
  TextReport report = jvm_report({"--addresses"}, dump);
  for (const std::string& name : report.names) EXPECT_TRUE(starts_with(name, "0x")) << name;
  EXPECT_GT(report.names.size(), jvm_report({}, dump).names.size());
}

TEST(JvmOptions, FilesNameZlibByItsObject) {
  const std::string dump = jvm_dumps().back();
  TextReport report = jvm_report({"--files"}, dump);
  int64_t libz_flat = 0;
  for (const auto& [name, row] : report.rows) {
    if (starts_with(name, "[libz.so")) libz_flat += row.flat;
  }
  EXPECT_GE(libz_flat, jvm_report({}, dump).rows["deflateInit2_"].flat);
}

TEST(JvmOptions, FocusOnTheLibjvmObjectKeepsStacksThroughLibjvm) {
  const std::string dump = jvm_dumps().back();
  TextReport all = jvm_report({}, dump);
  TextReport report = jvm_report({"--focus=libjvm\\.so"}, dump);
  EXPECT_EQ(report.total_line, all.total_line);
  EXPECT_EQ(report.rows["os::malloc (inline)"].flat, all.rows["os::malloc (inline)"].flat);
  EXPECT_GT(report.rows["deflateInit2_"].flat, 0);  // Deflater.init is called from Java, through libjvm
  ASSERT_TRUE(all.rows.count("JLI_MemAlloc"));  // the launcher's, before the JVM starts
  EXPECT_EQ(report.rows.count("JLI_MemAlloc"), 0u);
}

TEST(JvmOptions, FocusAndIgnoreOfOnePatternSplitEveryRow) {
  const std::string dump = jvm_dumps().back();
  TextReport all = jvm_report({}, dump);
  TextReport focused = jvm_report({"--focus=libjvm\\.so"}, dump);
  TextReport ignored = jvm_report({"--ignore=libjvm\\.so"}, dump);
  ASSERT_FALSE(ignored.rows.empty());
  for (const auto& [name, row] : all.rows) {
    EXPECT_EQ(focused.rows[name].flat + ignored.rows[name].flat, row.flat) << name;
    EXPECT_EQ(focused.rows[name].cum + ignored.rows[name].cum, row.cum) << name;
  }
}

TEST(JvmOptions, BaseShowsWhatGrewBetweenDumps) {
  const std::vector<std::string> dumps = jvm_dumps();
  ASSERT_GE(dumps.size(), 3u);
  TextReport first = jvm_report({}, dumps[0]);
  TextReport third = jvm_report({}, dumps[2]);
  TextReport growth = jvm_report({"--base=" + dumps[0]}, dumps[2]);
  EXPECT_EQ(total_of(growth), total_of(third) - total_of(first));
  EXPECT_EQ(growth.rows["deflateInit2_"].flat, third.rows["deflateInit2_"].flat - first.rows["deflateInit2_"].flat);
  EXPECT_GT(growth.rows["deflateInit2_"].flat, 0);
  EXPECT_EQ(growth.names.front(), "deflateInit2_");
}

TEST(JvmOptions, ADumpMinusItselfIsEmptyInAddressesMode) {
  const std::string dump = jvm_dumps().back();
  CommandResult r = hprof_text({"--show_bytes", "--addresses", "--base=" + dump, java_program(), dump});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "Total: 0 B\n");
}

TEST(JvmOptions, SwappedDumpsShrinkAndDropNegativeHidesTheShrunkRows) {
  const std::vector<std::string> dumps = jvm_dumps();
  ASSERT_GE(dumps.size(), 3u);
  TextReport shrink = jvm_report({"--base=" + dumps[2]}, dumps[0]);
  EXPECT_LT(total_of(shrink), 0);
  EXPECT_LT(shrink.rows["deflateInit2_"].flat, 0);

  TextReport dropped = jvm_report({"--drop_negative", "--base=" + dumps[2]}, dumps[0]);
  EXPECT_EQ(dropped.total_line, shrink.total_line);
  EXPECT_EQ(dropped.rows.count("deflateInit2_"), 0u);
  EXPECT_LT(dropped.names.size(), shrink.names.size());
  for (const auto& [name, row] : dropped.rows) {
    EXPECT_FALSE(row.flat < 0 || (row.flat == 0 && row.cum < 0)) << name;
    EXPECT_EQ(row.flat, shrink.rows[name].flat) << name;
  }
}

}  // namespace
}  // namespace e2e
