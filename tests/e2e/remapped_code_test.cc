// Code mapped a second time (docs/compat.md): a program that maps the page
// of one of its functions again, from its file, and allocates from the copy,
// as node (V8) runs its builtins.  The copy is the program's code: its frames
// get the program's names, as the Go pprof gives them, with no warning.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "harness.h"
#include "reference_runs.h"

namespace e2e {
namespace {

// What tests/e2e/workload/remapped_code.cc allocates from the copy.
constexpr int64_t kBytesFromTheCopy = 4 * 300000;

// The workload recorded once per build: one dump, at exit.
std::string remapped_code_dump() {
  const std::string dir = scratch_dir() + "/remapped-code";
  DirLock lock(dir);
  const std::string dump = dir + "/remapped.0001.heap";
  if (newer_than(dump, {E2E_REMAPPED_CODE, TCMALLOC})) return dump;
  record_under_tcmalloc({E2E_REMAPPED_CODE}, dir + "/remapped",
                        {"HEAP_PROFILE_ALLOCATION_INTERVAL=1099511627776", "HEAP_PROFILE_INUSE_INTERVAL=1099511627776"});
  return dump;
}

// The sizes of the executable mappings of the program in `dump`'s maps, in order.
std::vector<uint64_t> program_code_sizes(const std::string& dump) {
  static const std::regex line(R"(^([0-9a-f]+)-([0-9a-f]+) r-xp [0-9a-f]+ \S+ \d+ +(\S+)$)");
  std::vector<uint64_t> sizes;
  std::istringstream lines(read_file(dump));
  std::smatch m;
  for (std::string text; std::getline(lines, text);) {
    if (std::regex_match(text, m, line) && m[3] == E2E_REMAPPED_CODE) {
      sizes.push_back(std::stoull(m[2], nullptr, 16) - std::stoull(m[1], nullptr, 16));
    }
  }
  return sizes;
}

TEST(RemappedCode, FramesInTheCopyHaveTheProgramsNamesAsInGoPprofWithoutAWarning) {
  const std::string dump = remapped_code_dump();
  // The loader's mapping of the code segment, then the copy of one page.
  const std::vector<uint64_t> sizes = program_code_sizes(dump);
  ASSERT_EQ(sizes.size(), 2u) << read_file(dump);
  ASSERT_EQ(sizes[1], static_cast<uint64_t>(sysconf(_SC_PAGESIZE)));
  ASSERT_GT(sizes[0], sizes[1]);

  const CommandResult ours = hprof_text({"--show_bytes", dump});
  ASSERT_EQ(ours.exit_status, 0) << ours.err;
  EXPECT_EQ(ours.err, "");
  const TextReport report = parse_text_report(ours.out);
  ASSERT_EQ(report.rows.count("allocate_in_copy"), 1u) << ours.out;
  EXPECT_EQ(report.rows.at("allocate_in_copy").flat, kBytesFromTheCopy);

  const CommandResult go = run_reference({GO_PPROF, "-text", "-nodefraction=0", "-unit=B", dump});
  ASSERT_EQ(go.exit_status, 0) << go.err;
  auto go_rows = parse_go_report(go.out);
  ASSERT_EQ(go_rows.count("allocate_in_copy"), 1u) << go.out;
  EXPECT_EQ(report.rows.at("allocate_in_copy").flat, go_rows["allocate_in_copy"].flat);
  EXPECT_EQ(report.rows.at("allocate_in_copy").cum, go_rows["allocate_in_copy"].cum);
  EXPECT_EQ(report.rows.at("main").cum, go_rows["main"].cum);
}

}  // namespace
}  // namespace e2e
