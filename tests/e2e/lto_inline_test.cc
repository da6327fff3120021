// A program linked with gcc -flto and DWARF 5 (tests/fixtures/lto), recorded
// under libtcmalloc: its DWARF describes the code in one "<artificial>" unit
// whose inlined subroutines name their abstract origins in the other units.
// The --lines report shows the whole inline chain, each function at its
// file:line, as the Go pprof (through llvm-symbolizer) names it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "go_comparison.h"
#include "harness.h"
#include "reference_runs.h"

namespace e2e {
namespace {

// What the fixture keeps: 20000 strings of make_string(1000 + argc), each
// allocated by obj_new() as pool_alloc((n + 1) * 2).
constexpr int64_t kLtoKeptBytes = 20000 * ((1000 + 1 + 1) * 2);

// The fixture recorded once per build: one dump, at exit.
std::string lto_dump() {
  const std::string dir = scratch_dir() + "/lto";
  DirLock lock(dir);
  const std::string dump = dir + "/lto.0001.heap";
  if (newer_than(dump, {E2E_LTO, TCMALLOC})) return dump;
  record_under_tcmalloc({E2E_LTO}, dir + "/lto",
                        {"HEAP_PROFILE_ALLOCATION_INTERVAL=1099511627776", "HEAP_PROFILE_INUSE_INTERVAL=1099511627776"});
  return dump;
}

// The row of `function` in a --lines report that holds what the fixture
// keeps (main has another one, for printf's buffer).
std::string kept_row_of(const TextReport& report, const std::string& function) {
  std::string found;
  for (const auto& [name, row] : report.rows) {
    if (name.rfind(function + " ", 0) != 0 || row.cum < kLtoKeptBytes) continue;
    EXPECT_EQ(found, "") << function << " has two rows with what the fixture keeps";
    found = name;
  }
  return found;
}

TEST(LtoInlineChains, LinesReportShowsEveryInlinedFunctionAtItsLineAsGoPprofDoes) {
  const std::string dump = lto_dump();
  const CommandResult ours = hprof_text({"--show_bytes", "--lines", dump});
  ASSERT_EQ(ours.exit_status, 0) << ours.err;
  EXPECT_EQ(ours.err, "");
  const TextReport report = parse_text_report(ours.out);

  const CommandResult go = run_reference({GO_PPROF, "-text", "-lines", "-nodefraction=0", "-unit=B", dump});
  ASSERT_EQ(go.exit_status, 0) << go.err;
  const auto go_rows = parse_go_report(go.out);

  // Innermost first; each of the fixture's sources, main's not inlined.
  const std::vector<std::pair<std::string, std::string>> chain = {{"raw", "alloc.cc"},
                                                                   {"pool_alloc", "alloc.cc"},
                                                                   {"obj_new", "object.cc"},
                                                                   {"make_string", "object.cc"},
                                                                   {"main", "main.cc"}};
  for (const auto& [function, file] : chain) {
    const std::string row = kept_row_of(report, function);
    ASSERT_NE(row, "") << function << " has no row:\n" << ours.out;
    const std::string at = " " + std::string(E2E_LTO_SOURCES) + "/" + file + ":";
    EXPECT_EQ(row.rfind(function + at, 0), 0u) << row;
    EXPECT_EQ(row.size() >= 9 && row.substr(row.size() - 9) == " (inline)", function != "main") << row;
    EXPECT_EQ(go_rows.count(row), 1u) << row << " is not the Go pprof's:\n" << go.out;
  }
  EXPECT_EQ(report.rows.at(kept_row_of(report, "raw")).flat, kLtoKeptBytes);
  GoComparison c = compare_with_go_report(ours.out, go.out);
  EXPECT_GE(c.agreeing_names, 5);
}

}  // namespace
}  // namespace e2e
