// The JVM scenario: a real JDK 17 leaking zlib state through Deflaters that
// are never end()ed, recorded under libtcmalloc.
#include <gtest/gtest.h>

#include "harness.h"

namespace e2e {
namespace {

TextReport jvm_report() { return bytes_report({}, java_program(), {jvm_dumps().back()}); }

TEST(JvmReport, NamesTheZlibAllocationAndItsJniCaller) {
  TextReport report = jvm_report();
  ASSERT_TRUE(report.rows.count("deflateInit2_"));
  ASSERT_TRUE(report.rows.count("Java_java_util_zip_Deflater_init"));
  // 600 Deflaters hold most of the process's native memory.
  EXPECT_GT(report.rows["Java_java_util_zip_Deflater_init"].cum, total_of(report) / 2);
  EXPECT_GE(report.rows["Java_java_util_zip_Deflater_init"].cum, report.rows["deflateInit2_"].cum);
}

TEST(JvmReport, NamesLibjvmCppFunctionsFromItsDebugFile) {
  TextReport report = jvm_report();
  EXPECT_TRUE(report.rows.count("os::malloc") || report.rows.count("os::malloc (inline)"));
  EXPECT_TRUE(report.rows.count("AllocateHeap") || report.rows.count("AllocateHeap (inline)"));
}

TEST(JvmReport, NoNameCarriesAnAddressOrVersionTag) {
  for (const auto& name : jvm_report().names) EXPECT_EQ(name.find('@'), std::string::npos) << name;
}

TEST(JvmReport, NamesTheInflaterAllocationToo) {
  TextReport report = jvm_report();
  EXPECT_GT(report.rows["inflateInit2_"].flat, 0);
  EXPECT_GE(report.rows["Java_java_util_zip_Inflater_init"].cum, report.rows["inflateInit2_"].flat);
}

TEST(JvmReport, JitCodeIsOneRowNotOneRowPerAddress) {
  // Without a perf map, interpreted and compiled Java frames are anonymous
  // executable memory: one row, carrying the cum of every stack through it.
  TextReport report = jvm_report();
  ASSERT_TRUE(report.rows.count("[anon:jit]"));
  EXPECT_GE(report.rows["[anon:jit]"].cum, report.rows["Java_java_util_zip_Deflater_init"].cum);
  for (const auto& name : report.names) EXPECT_NE(name.rfind("0x", 0), 0u) << name;
}

}  // namespace
}  // namespace e2e
