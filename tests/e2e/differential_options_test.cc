// hprof-text's report options against the Go pprof's on the same real dumps:
// -lines, -addresses, -focus, -ignore and -base give the same per-row flat
// and cum wherever the two tools name a row alike.  Each comparison needs a
// minimum number of rows, so that it cannot pass by comparing nothing.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <string>
#include <vector>

#include "harness.h"
#include "reference_runs.h"

namespace e2e {
namespace {

// A row name reduced to what both tools print alike:
// - no inline label: ours comes from the frame, Go's from the graph's edges
//   (" (inline)" / " (partial-inline)", docs/compat.md);
// - addresses without our "0x" (Go prints "%016x");
// - a source path reduced to its base name: libdw gives the line table's name
//   ("./libio/genops.c"), llvm-symbolizer joins the compilation directory
//   ("libio/libio/genops.c").
std::string comparable(std::string name) {
  for (const std::string suffix : {" (inline)", " (partial-inline)"}) {
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      name.resize(name.size() - suffix.size());
    }
  }
  static const std::regex our_address(R"(^0x([0-9a-f]{16} ))");
  name = std::regex_replace(name, our_address, "$1");
  static const std::regex path_then_line(R"( \S*/([^/ ]+:[0-9]+)$)");
  return std::regex_replace(name, path_then_line, " $1");
}

// Rows by comparable name; a name that two rows share maps to nothing.
std::map<std::string, const Row*> by_comparable_name(const std::map<std::string, Row>& rows) {
  std::map<std::string, const Row*> out;
  std::map<std::string, int> count;
  for (const auto& [name, row] : rows) {
    const std::string key = comparable(name);
    ++count[key];
    out[key] = &row;
  }
  for (const auto& [key, n] : count) {
    if (n > 1) out.erase(key);
  }
  return out;
}

// Runs both tools with the same options (ours spelled --x, Go's -x) and
// compares every row both name alike; returns how many were compared.
int compare_with_go(const std::vector<std::string>& options, const std::string& program, const std::string& dump) {
  std::vector<std::string> ours{"--show_bytes"};
  std::vector<std::string> go{GO_PPROF, "-text", "-nodefraction=0", "-unit=B"};
  for (const std::string& option : options) {
    ours.push_back("-" + option);
    go.push_back(option);
  }
  for (auto* args : {&ours, &go}) {
    args->push_back(program);
    args->push_back(dump);
  }
  CommandResult our_run = hprof_text(ours);
  CommandResult go_run = run_reference(go);
  EXPECT_EQ(our_run.exit_status, 0) << our_run.err;
  EXPECT_EQ(go_run.exit_status, 0) << go_run.err;
  const TextReport our_report = parse_text_report(our_run.out);
  const std::map<std::string, Row> go_report = parse_go_report(go_run.out);
  const auto our_rows = by_comparable_name(our_report.rows);
  const auto go_rows = by_comparable_name(go_report);

  int compared = 0;
  for (const auto& [name, go_row] : go_rows) {
    auto it = our_rows.find(name);
    if (it == our_rows.end()) continue;
    ++compared;
    EXPECT_EQ(it->second->flat, go_row->flat) << "flat of " << name;
    EXPECT_EQ(it->second->cum, go_row->cum) << "cum of " << name;
  }
  return compared;
}

TEST(DifferentialOptions, ComparableNamesDropWhatTheToolsPrintDifferently) {
  EXPECT_EQ(comparable("0x0000556041a970e9 leak_malloc /work/w.cc:31 (inline)"), "0000556041a970e9 leak_malloc w.cc:31");
  EXPECT_EQ(comparable("_IO_doallocbuf ./libio/genops.c:342"), "_IO_doallocbuf genops.c:342");
  EXPECT_EQ(comparable("_IO_doallocbuf libio/libio/genops.c:342"), "_IO_doallocbuf genops.c:342");
  EXPECT_EQ(comparable("os::malloc (partial-inline)"), "os::malloc");
  EXPECT_EQ(comparable("operator/"), "operator/");
  EXPECT_EQ(comparable("0x00007f0000001000 std::operator/"), "00007f0000001000 std::operator/");
}

TEST(DifferentialOptions, CppLinesEqualGoPprof) {
  EXPECT_GE(compare_with_go({"-lines"}, E2E_WORKLOAD, cpp_workload_dump()), 25);
}

TEST(DifferentialOptions, CppAddressesEqualGoPprof) {
  EXPECT_GE(compare_with_go({"-addresses"}, E2E_WORKLOAD, cpp_workload_dump()), 25);
}

TEST(DifferentialOptions, CppFocusEqualsGoPprof) {
  EXPECT_GE(compare_with_go({"-focus=work::"}, E2E_WORKLOAD, cpp_workload_dump()), 6);
}

TEST(DifferentialOptions, CppIgnoreEqualsGoPprof) {
  EXPECT_GE(compare_with_go({"-ignore=recurse|lib_leak"}, E2E_WORKLOAD, cpp_workload_dump()), 15);
}

TEST(DifferentialOptions, CppFocusOnAnObjectEqualsGoPprof) {
  EXPECT_GE(compare_with_go({"-lines", "-focus=libe2ework"}, E2E_WORKLOAD, cpp_workload_dump()), 8);
}

TEST(DifferentialOptions, CppBaseOfAnotherRunLeavesNoRowInEitherTool) {
  // Nothing to compare row by row: both tools cancel every stack.
  for (const char* granularity : {"-functions", "-addresses"}) {
    SCOPED_TRACE(granularity);
    const std::string base = "-base=" + cpp_workload_dump("b");
    CommandResult go = run_reference({GO_PPROF, "-text", "-nodefraction=0", "-unit=B", granularity, base, E2E_WORKLOAD,
                                    cpp_workload_dump("a")});
    ASSERT_EQ(go.exit_status, 0) << go.err;
    ASSERT_NE(go.out.find("flat%"), std::string::npos) << go.out;
    EXPECT_TRUE(parse_go_report(go.out).empty()) << go.out;
    CommandResult ours = hprof_text({"--show_bytes", std::string("-") + granularity, "-" + base, E2E_WORKLOAD,
                                     cpp_workload_dump("a")});
    EXPECT_EQ(ours.out, "Total: 0 B\n");
  }
}

TEST(DifferentialOptions, JvmLinesEqualGoPprof) {
  EXPECT_GE(compare_with_go({"-lines"}, java_program(), jvm_dumps().back()), 1500);
}

TEST(DifferentialOptions, JvmAddressesEqualGoPprof) {
  EXPECT_GE(compare_with_go({"-addresses"}, java_program(), jvm_dumps().back()), 3000);
}

TEST(DifferentialOptions, JvmFocusOnTheLibjvmObjectEqualsGoPprof) {
  EXPECT_GE(compare_with_go({"-focus=libjvm\\.so"}, java_program(), jvm_dumps().back()), 900);
}

TEST(DifferentialOptions, JvmIgnoreOfTheLibjvmObjectEqualsGoPprof) {
  EXPECT_GE(compare_with_go({"-ignore=libjvm\\.so"}, java_program(), jvm_dumps().back()), 30);
}

TEST(DifferentialOptions, JvmBaseEqualsGoPprofRowByRow) {
  // Go's Total line is the sum of |changes| (ours is the net sum): rows only.
  const std::vector<std::string> dumps = jvm_dumps();
  ASSERT_GE(dumps.size(), 3u);
  EXPECT_GE(compare_with_go({"-base=" + dumps[0]}, java_program(), dumps[2]), 300);
}

TEST(DifferentialOptions, JvmBaseInAddressesModeEqualsGoPprofRowByRow) {
  const std::vector<std::string> dumps = jvm_dumps();
  ASSERT_GE(dumps.size(), 3u);
  EXPECT_GE(compare_with_go({"-addresses", "-base=" + dumps[0]}, java_program(), dumps[2]), 800);
}

}  // namespace
}  // namespace e2e
