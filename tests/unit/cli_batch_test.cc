// Batch mode (--output-suffix): one report file per profile, each the bytes
// the single-profile command prints; stdout empty; a bad profile does not
// stop the others; the progress line only on a terminal.  run() in-process.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "common/atomic_file.h"
#include "cli/progress.h"
#include "cli_harness.h"

namespace hprof {
namespace {

namespace fs = std::filesystem;
using testing::kHeader;
using testing::Outcome;
using testing::read_file;
using testing::run_with;
using testing::two_objects_profile;
using testing::with_header;
using CliBatch = testing::CliTest;

// A profile that gives no warning: its only mapping is a device, never opened.
std::string quiet_profile(const std::string& bytes) {
  return with_header("   3: " + bytes + " [   3: " + bytes + "] @ 0x7f0000000100\n" +
                     "\nMAPPED_LIBRARIES:\n7f0000000000-7f0000001000 r-xs 00000000 00:05 7 /dev/zero\n");
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// Every file of the batch equals what the same options print for its profile alone.
void expect_each_file_is_the_single_report(const std::vector<std::string>& options,
                                           const std::vector<std::string>& profiles) {
  Outcome batch = run_with(concat(concat({"--output-suffix=.txt"}, options), profiles));
  EXPECT_EQ(batch.status, 0) << batch.err;
  EXPECT_EQ(batch.out, "");
  for (const std::string& profile : profiles) {
    Outcome single = run_with(concat(options, {profile}));
    ASSERT_EQ(single.status, 0) << single.err;
    ASSERT_FALSE(single.out.empty());
    EXPECT_EQ(read_file(profile + ".txt"), single.out) << profile;
  }
}

TEST_F(CliBatch, EachFileIsTheSingleProfileReportAndStdoutStaysEmpty) {
  std::string a = write("a.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  std::string b = write("b.heap", two_objects_profile("500", "7000", 0x7f5500000000));
  std::string c = write("c.heap", quiet_profile("9000"));
  expect_each_file_is_the_single_report({"--show_bytes"}, {a, b, c});
}

TEST_F(CliBatch, BaseFocusAndGranularityApplyToEachReport) {
  std::string before = write("before.heap", two_objects_profile("1000", "1500", 0x7f1100000000));
  std::string a = write("a.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  std::string b = write("b.heap", two_objects_profile("500", "7000", 0x7f5500000000));
  expect_each_file_is_the_single_report({"--show_bytes", "--base=" + before}, {a, b});
  expect_each_file_is_the_single_report({"--addresses", "--drop_negative", "--base=" + before}, {a, b});
  expect_each_file_is_the_single_report({"--show_bytes", "--focus=libother", "--cum"}, {a, b});
}

TEST_F(CliBatch, ExistingOutputIsReplacedWithTheShellsModeAndNoTemporaryFileIsLeft) {
  std::string a = write("a.heap", quiet_profile("9000"));
  write("a.heap.txt", std::string(100000, 'x'));  // a longer stale report
  Outcome o = run_with({"--show_bytes", "--output-suffix=.txt", a});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(read_file(a + ".txt"), run_with({"--show_bytes", a}).out);
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir_)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"a.heap", "a.heap.txt"}));
  mode_t mask = umask(0);
  umask(mask);
  struct stat st{};
  ASSERT_EQ(stat((a + ".txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0666 & ~mask);
}

TEST_F(CliBatch, EmptySuffixIsAUsageError) {
  std::string a = write("a.heap", quiet_profile("9000"));
  for (std::vector<std::string> args : {std::vector<std::string>{"--output-suffix=", a},
                                        std::vector<std::string>{"--output-suffix", "", a}}) {
    Outcome o = run_with(args);
    EXPECT_EQ(o.status, 2);
    EXPECT_EQ(o.out, "");
    EXPECT_NE(o.err.find("hprof-text: error: --output-suffix must not be empty"), std::string::npos) << o.err;
  }
  EXPECT_EQ(read_file(a), quiet_profile("9000"));
}

TEST_F(CliBatch, SuffixThatMakesAnOutputAnInputIsAUsageError) {
  std::string a = write("a.heap", quiet_profile("9000"));
  std::string a_old = write("a.heap.old", quiet_profile("1000"));
  // Another profile, the base, and the same file through "dir/../".
  std::string a_old_roundabout = (dir_ / ".." / dir_.filename() / "a.heap.old").string();
  for (std::vector<std::string> args : {std::vector<std::string>{"--output-suffix=.old", a, a_old},
                                        std::vector<std::string>{"--output-suffix=.old", "--base=" + a_old, a},
                                        std::vector<std::string>{"--output-suffix=.old", "--base=" + a_old_roundabout, a}}) {
    Outcome o = run_with(args);
    EXPECT_EQ(o.status, 2);
    EXPECT_EQ(o.out, "");
    EXPECT_NE(o.err.find("--output-suffix=.old would write the report of " + a + " over the input "),
              std::string::npos)
        << o.err;
  }
  EXPECT_EQ(read_file(a_old), quiet_profile("1000"));
}

TEST_F(CliBatch, ProgramIsAnInputTheSuffixMustNotOverwrite) {
  std::string a = write("a.heap", quiet_profile("9000"));
  std::string elf = std::string("\x7f" "ELF") + std::string(60, '\0');
  std::string program = write("a.heap.bin", elf);
  Outcome o = run_with({"--output-suffix=.bin", program, a});
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("--output-suffix=.bin would write the report of " + a + " over the input " + program),
            std::string::npos)
      << o.err;
  EXPECT_EQ(read_file(program), elf);
}

TEST_F(CliBatch, MissingAllocCountsAreOneWarningPerJemallocDump) {
  // Two jemalloc dumps without prof_accum, and a gperftools profile whose
  // allocation counts are 0 too: a gperftools profile always has them.
  const std::string noaccum = "heap_v2/1\n  t*: 2: 300 [0: 0]\n@ 0x7f0000001100\n  t*: 2: 300 [0: 0]\n";
  std::string a = write("a.heap", noaccum);
  std::string b = write("b.heap", noaccum);
  std::string g = write("g.heap", std::string(kHeader) + "   3:  3000 [   0:     0] @ 0x1000\n");
  Outcome o = run_with({"--alloc_space", "--output-suffix=.txt", a, b, g});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(count_of(o.err, "no allocation counts"), 2u) << o.err;
  EXPECT_EQ(count_of(o.err, a + ": this jemalloc dump has no allocation counts"), 1u) << o.err;
  EXPECT_EQ(count_of(o.err, b + ": this jemalloc dump has no allocation counts"), 1u) << o.err;
}

TEST_F(CliBatch, BadProfilesAreErrorsNamingThemTheOthersAreWrittenAndTheStatusIsOne) {
  std::string a = write("a.heap", quiet_profile("9000"));
  std::string missing = (dir_ / "missing.heap").string();
  std::string bad = write("bad.heap", std::string(kHeader) + "   1:  1000 [   1:  1000] @ 0x1000\n   garbage\n");
  std::string d = write("d.heap", quiet_profile("2000"));
  Outcome o = run_with({"--show_bytes", "--output-suffix=.txt", a, missing, bad, d});
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(read_file(a + ".txt"), run_with({"--show_bytes", a}).out);
  EXPECT_EQ(read_file(d + ".txt"), run_with({"--show_bytes", d}).out);
  EXPECT_FALSE(fs::exists(missing + ".txt"));
  EXPECT_FALSE(fs::exists(bad + ".txt"));
  EXPECT_EQ(o.err, "hprof-text: error: " + missing + ": No such file or directory\n" +
                       run_with({bad}).err +  // the single command's error, line number included
                       "hprof-text: error: 2 of 4 reports not written (see above)\n");
}

TEST_F(CliBatch, UnreadableBaseWritesNothing) {
  std::string a = write("a.heap", quiet_profile("9000"));
  Outcome o = run_with({"--output-suffix=.txt", "--base=" + (dir_ / "gone.heap").string(), a});
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.err, "hprof-text: error: " + (dir_ / "gone.heap").string() +
                       ": No such file or directory (the --base: no report written)\n");
  EXPECT_FALSE(fs::exists(a + ".txt"));
}

TEST_F(CliBatch, OutputThatCannotBeWrittenIsAnErrorNamingIt) {
  std::string a = write("a.heap", quiet_profile("9000"));
  // "a.heap/r": a.heap is not a directory.
  Outcome o = run_with({"--output-suffix=/r", a});
  EXPECT_EQ(o.status, 1);
  EXPECT_NE(o.err.find("hprof-text: error: cannot write " + a + "/r: Not a directory\n"), std::string::npos)
      << o.err;
}

TEST_F(CliBatch, WarningsAreOncePerCauseAcrossTheBatch) {
  // Both profiles miss the same two files; --focus matches in neither; the
  // empty stacks are a fact about one profile and name it.
  std::string a = write("a.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  std::string b_text = two_objects_profile("500", "7000", 0x7f5500000000);
  b_text.insert(b_text.find("\nMAPPED_LIBRARIES:"), "   1:   1000 [   1:   1000] @\n");
  std::string b = write("b.heap", with_header(b_text.substr(b_text.find('\n') + 1)));  // the header counts it
  Outcome o = run_with({"--output-suffix=.txt", "--focus=zzz", a, b});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(count_of(o.err, "do not exist here"), 1u) << o.err;
  EXPECT_EQ(count_of(o.err, "hprof-text: warning: --focus=zzz matched no samples\n"), 1u) << o.err;
  EXPECT_EQ(count_of(o.err, "hprof-text: warning: " + b + ": 1 record(s) have an empty stack"), 1u) << o.err;
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 3) << o.err;

  // A pattern that matches in one profile of the batch is not a mistake: no warning.
  Outcome some = run_with({"--output-suffix=.txt", "--focus=libgone", a, write("c.heap", quiet_profile("1"))});
  EXPECT_EQ(some.err.find("matched no samples"), std::string::npos) << some.err;
}

TEST(ProgressText, IsTheBarTheCountAndTheFileName) {
  EXPECT_EQ(progress_text(3, 6, "/tmp/rec.0003.heap"), "hprof-text: [##########          ] 3/6 rec.0003.heap");
  EXPECT_EQ(progress_text(1, 3, "rec.0001.heap"), "hprof-text: [######              ] 1/3 rec.0001.heap");
  EXPECT_EQ(progress_text(6, 6, "x"), "hprof-text: [####################] 6/6 x");
}

TEST(ProgressText, LongNamesAreCutOnTheLeftToFitEightyColumns) {
  std::string text = progress_text(12, 345, "/d/" + std::string(100, 'n') + ".0012.heap");
  EXPECT_EQ(text.size(), 79u);
  EXPECT_EQ(text.rfind("hprof-text: [                    ] 12/345 ...nnn", 0), 0u) << text;
  EXPECT_EQ(text.substr(text.size() - 10), ".0012.heap");
}

TEST_F(CliBatch, OnATerminalTheProgressLineIsRedrawnAndErasedAtTheEnd) {
  std::string a = write("a.heap", quiet_profile("9000"));
  std::string longer = write("longer-name.heap", quiet_profile("1000"));
  Outcome o = run_with({"--output-suffix=.txt", a, longer, a}, true);
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, "");
  std::string first = progress_text(1, 3, a), second = progress_text(2, 3, longer), third = progress_text(3, 3, a);
  std::string pad(second.size() - third.size(), ' ');
  EXPECT_EQ(o.err, "\r" + first + "\r" + second + "\r" + third + pad + "\r" + third + "\r" +
                       std::string(third.size(), ' ') + "\r");
}

TEST_F(CliBatch, OnATerminalMessagesEraseTheProgressLineFirst) {
  std::string a = write("a.heap", quiet_profile("9000"));
  std::string missing = (dir_ / "missing.heap").string();
  Outcome o = run_with({"--output-suffix=.txt", missing, a}, true);
  EXPECT_EQ(o.status, 1);
  std::string first = progress_text(1, 2, missing), second = progress_text(2, 2, a);
  std::string erase_first = "\r" + std::string(first.size(), ' ') + "\r";
  std::string erase_second = "\r" + std::string(second.size(), ' ') + "\r";
  EXPECT_EQ(o.err, "\r" + first + erase_first + "hprof-text: error: " + missing + ": No such file or directory\n" +
                       "\r" + second + erase_second + "hprof-text: error: 1 of 2 reports not written (see above)\n");
}

TEST_F(CliBatch, WithoutATerminalThereIsNoProgressAtAll) {
  std::string a = write("a.heap", quiet_profile("9000"));
  std::string b = write("b.heap", quiet_profile("1000"));
  Outcome o = run_with({"--output-suffix=.txt", a, b}, false);
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(o.out, "");
}

TEST_F(CliBatch, WriteFileAtomicallyLeavesNothingBehindWhenItFails) {
  std::string target = (dir_ / "no-such-dir" / "r.txt").string();
  try {
    write_file_atomically(target, "report\n");
    FAIL() << "no exception";
  } catch (const std::system_error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot write " + target + ": No such file or directory");
  }
  EXPECT_TRUE(fs::is_empty(dir_));
}

}  // namespace
}  // namespace hprof
