// --collapsed on real recordings (the C++ workload and the JVM): the folded
// stacks sum to the text report's Total, every frame is a text row, and each
// row's flat and cum are what the stacks through it add up to; against the
// Perl pprof's --collapsed, the totals are equal and so are the stacks both
// name alike.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "harness.h"
#include "reference_runs.h"

namespace e2e {
namespace {

struct FoldedLine {
  std::vector<std::string> frames;  // root first
  int64_t value = 0;
};

std::vector<FoldedLine> parse_folded(const std::string& text) {
  std::vector<FoldedLine> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const auto space = line.rfind(' ');
    if (space == std::string::npos) throw std::runtime_error("not a folded line: " + line);
    FoldedLine folded;
    folded.value = std::stoll(line.substr(space + 1));
    std::istringstream stack(line.substr(0, space));
    for (std::string frame; std::getline(stack, frame, ';');) folded.frames.push_back(frame);
    lines.push_back(std::move(folded));
  }
  return lines;
}

std::vector<FoldedLine> collapsed(std::vector<std::string> args) {
  args.insert(args.begin(), "--collapsed");
  CommandResult r = hprof_text(args);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  return parse_folded(r.out);
}

int64_t sum_of(const std::vector<FoldedLine>& lines) {
  int64_t sum = 0;
  for (const FoldedLine& line : lines) sum += line.value;
  return sum;
}

std::vector<std::string> with(std::vector<std::string> options, const std::string& program, const std::string& dump) {
  options.push_back(program);
  options.push_back(dump);
  return options;
}

void expect_sums_to_the_text_total(const std::string& program, const std::string& dump,
                                   const std::vector<std::vector<std::string>>& indices) {
  for (const std::vector<std::string>& index : indices) {
    SCOPED_TRACE(index.empty() ? "--inuse_space" : index[0]);
    const int64_t total = total_of(bytes_report(index, program, {dump}));
    EXPECT_GT(total, 0);
    EXPECT_EQ(sum_of(collapsed(with(index, program, dump))), total);
  }
}

TEST(Collapsed, CppStacksSumToTheTextTotalInEverySample) {
  expect_sums_to_the_text_total(E2E_WORKLOAD, cpp_workload_dump(),
                                {{}, {"--inuse_objects"}, {"--alloc_space"}, {"--alloc_objects"}});
}

TEST(Collapsed, JvmStacksSumToTheTextTotalInSpaceAndObjects) {
  expect_sums_to_the_text_total(java_program(), jvm_dumps().back(), {{}, {"--alloc_objects"}});
}

// Every frame is a row of the text report with the same options, and every
// row's flat is the sum of the stacks it ends, its cum the sum of the stacks
// it is in (once per stack, as the text report counts it).
void expect_rows_are_what_the_stacks_add_up_to(const std::vector<std::string>& options, const std::string& program,
                                               const std::string& dump) {
  TextReport text = bytes_report(options, program, {dump});
  std::map<std::string, Row> from_stacks;
  int64_t empty_stacks = 0;
  for (const FoldedLine& line : collapsed(with(options, program, dump))) {
    ASSERT_FALSE(line.frames.empty());
    // Records with no stack are this one frame, which names no function.
    if (line.frames == std::vector<std::string>{"[empty stack]"}) {
      empty_stacks += line.value;
      continue;
    }
    from_stacks[line.frames.back()].flat += line.value;
    for (const std::string& frame : std::set<std::string>(line.frames.begin(), line.frames.end())) {
      from_stacks[frame].cum += line.value;
    }
  }
  ASSERT_GT(from_stacks.size(), 10u);
  for (const auto& [name, row] : from_stacks) {
    ASSERT_TRUE(text.rows.count(name)) << "a frame that is no text row: " << name;
    EXPECT_EQ(row.flat, text.rows[name].flat) << "flat of " << name;
    EXPECT_EQ(row.cum, text.rows[name].cum) << "cum of " << name;
  }
  for (const auto& [name, row] : text.rows) EXPECT_TRUE(from_stacks.count(name)) << "a row in no stack: " << name;
  EXPECT_EQ(empty_stacks, empty_stack_value(dump));
}

TEST(Collapsed, CppRowsAreWhatTheStacksAddUpTo) {
  expect_rows_are_what_the_stacks_add_up_to({}, E2E_WORKLOAD, cpp_workload_dump());
}

TEST(Collapsed, CppLineRowsAreWhatTheStacksAddUpTo) {
  expect_rows_are_what_the_stacks_add_up_to({"--lines"}, E2E_WORKLOAD, cpp_workload_dump());
}

TEST(Collapsed, JvmRowsAreWhatTheStacksAddUpTo) {
  expect_rows_are_what_the_stacks_add_up_to({}, java_program(), jvm_dumps().back());
}

TEST(Collapsed, InlinedFramesFollowTheFunctionTheyAreInlinedInto) {
  // leak_malloc is inlined into main (tests/e2e/workload/workload.cc).
  bool seen = false;
  for (const FoldedLine& line : collapsed({E2E_WORKLOAD, cpp_workload_dump()})) {
    if (line.frames.back() != "leak_malloc (inline)") continue;
    seen = true;
    ASSERT_GE(line.frames.size(), 2u);
    EXPECT_EQ(line.frames[line.frames.size() - 2], "main");
  }
  EXPECT_TRUE(seen);
}

TEST(Collapsed, FocusKeepsOnlyTheStacksThroughAMatchAsTheTextRowsDo) {
  const std::vector<std::string> focus{"--focus=Deflater"};
  std::vector<FoldedLine> lines = collapsed(with(focus, java_program(), jvm_dumps().back()));
  ASSERT_FALSE(lines.empty());
  for (const FoldedLine& line : lines) {
    bool matches = false;
    for (const std::string& frame : line.frames) matches = matches || frame.find("Deflater") != std::string::npos;
    EXPECT_TRUE(matches) << line.frames.back();
  }
  // The text report's Total stays the whole profile's; its flat column sums
  // the kept stacks.
  TextReport text = bytes_report(focus, java_program(), {jvm_dumps().back()});
  int64_t flat_sum = 0;
  for (const auto& [name, row] : text.rows) flat_sum += row.flat;
  EXPECT_EQ(sum_of(lines), flat_sum);
  EXPECT_LT(sum_of(lines), total_of(text));
}

TEST(Collapsed, LinesAreSortedAndEachStackIsOneLine) {
  CommandResult r = hprof_text({"--collapsed", java_program(), jvm_dumps().back()});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  std::vector<std::string> lines;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) lines.push_back(line.substr(0, line.rfind(' ')));
  EXPECT_TRUE(std::is_sorted(lines.begin(), lines.end()));
  EXPECT_EQ(std::set<std::string>(lines.begin(), lines.end()).size(), lines.size());
}

// --- against the Perl pprof's --collapsed -------------------------------------

// A frame as both tools can agree on it: the Perl pprof prints full
// signatures ("f(int) [clone .constprop.0]<0000000000001320>"), "??:0" for
// JIT code, and marks an inline chain on the wrong frame ("main[inline]"),
// so inlined frames are left out on both sides; libc's aliases differ
// ("__clone3" / "clone3", "__libc_start_main" / "__libc_start_main_impl").
// Empty when the frame is left out.
std::string comparable(std::string frame, bool perl) {
  static const std::regex address(R"(<[0-9a-f]{16}>)"), clone(R"( \[clone [^\]]*\]$)");
  if (perl) {
    frame = std::regex_replace(frame, address, "");
    if (frame.ends_with("[inline]")) return "";
    if (frame == "??:0") frame = "[anon:jit]";
  } else if (frame.ends_with(" (inline)")) {
    return "";
  }
  frame = std::regex_replace(frame, clone, "");
  if (frame.ends_with(')')) {  // the parameter list
    int depth = 0;
    for (std::size_t i = frame.size(); i-- > 0;) {
      depth += frame[i] == ')' ? 1 : frame[i] == '(' ? -1 : 0;
      if (depth == 0) {
        frame.resize(i);
        break;
      }
    }
  }
  std::string plain;  // template arguments out: "work::Pool<double>::grab" -> "work::Pool::grab"
  int angle = 0;
  for (char c : frame) {
    angle += c == '<' ? 1 : c == '>' ? -1 : 0;
    if (angle == 0 && c != '>') plain += c;
  }
  plain.erase(0, plain.find_first_not_of('_'));
  if (plain.ends_with("_impl")) plain.resize(plain.size() - 5);
  return plain;
}

std::map<std::string, int64_t> comparable_stacks(const std::vector<FoldedLine>& lines, bool perl) {
  std::map<std::string, int64_t> stacks;
  for (const FoldedLine& line : lines) {
    std::string key;
    for (const std::string& frame : line.frames) {
      const std::string f = comparable(frame, perl);
      if (!f.empty()) key += ";" + f;
    }
    stacks[key] += line.value;
  }
  return stacks;
}

// Equal sums but for the records with an empty stack, which the Perl pprof
// leaves out (compat.md); every stack both tools name alike has the same
// value; and those stacks hold at least `min_share` of the total.
void expect_agrees_with_perl(const std::string& program, const std::string& dump, double min_share) {
  CommandResult perl = run_reference({PERL_PPROF, "--collapsed", program, dump});
  ASSERT_EQ(perl.exit_status, 0) << perl.err;
  const std::vector<FoldedLine> theirs = parse_folded(perl.out);
  const std::vector<FoldedLine> ours = collapsed({program, dump});
  EXPECT_EQ(sum_of(ours) - empty_stack_value(dump), sum_of(theirs));
  const auto our_stacks = comparable_stacks(ours, false);
  const auto their_stacks = comparable_stacks(theirs, true);
  int64_t agreeing = 0;
  for (const auto& [stack, value] : our_stacks) {
    auto it = their_stacks.find(stack);
    if (it == their_stacks.end()) continue;
    EXPECT_EQ(value, it->second) << stack;
    agreeing += value;
  }
  EXPECT_GE(static_cast<double>(agreeing), min_share * static_cast<double>(sum_of(ours)))
      << agreeing << " of " << sum_of(ours);
}

TEST(DifferentialCollapsed, CppEqualsPerlPprofWhereStacksAreNamedAlike) {
  // 2% differ: the stripped library's internal function (Perl blames the
  // export before it) and printf's libc internals.
  expect_agrees_with_perl(E2E_WORKLOAD, cpp_workload_dump(), 0.97);
}

TEST(DifferentialCollapsed, JvmEqualsPerlPprofWhereStacksAreNamedAlike) {
  expect_agrees_with_perl(java_program(), jvm_dumps().back(), 0.99);
}

}  // namespace
}  // namespace e2e
