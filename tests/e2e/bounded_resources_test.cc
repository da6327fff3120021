// Bounded resources (issue 5): a 100,000-frame stack, 200,000 records, a
// 50 MB line and a million distinct PCs are each reported by the real
// binary in every output mode that walks stacks, with the Total of the
// input, no recursion as deep as the input, and memory proportional to it.
//
// Each profile is written here (synthetic_profile.h), its return addresses
// in the code of real files (hprof-text itself, with its DWARF, and
// libstdc++, with its symbol table only), so that every PC is symbolized.
// The cases with 100,000 distinct PCs or more put them in libstdc++: the
// same bounds hold for PCs with DWARF (inline chains, file names), but at
// 10 to 50 us a PC, symbolizing them all in every mode would take minutes.
// These tests are their own program (e2e_bounds_tests), run in the cold
// suite only: what they bound is the parse and the report, the same with an
// index cache or without.
//
// - Recursion: every run has a 1 MiB stack (RLIMIT_STACK, which glibc also
//   takes for its threads' stacks): a recursion with one call per frame
//   needs far more than that for 100,000 frames, and crashes the run.
// - Memory: the peak resident set of a run (ru_maxrss) is at most that of
//   the same mode on a small profile of the same files, plus
//   kBytesPerInputByte per byte of input (see there).
// Time is not asserted (speed is measured in the benchmarks); the ctest
// TIMEOUT of these tests is only a guard against a hang.  What each run
// took is printed, for the record.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "harness.h"
#include "synthetic_profile.h"
#include "trend_table.h"

namespace e2e {
namespace {

// Under AddressSanitizer (HPROF_SANITIZE) the shadow memory and the
// quarantine of freed blocks say more about ASan than about our data: the
// memory bound is checked in the plain build only; exit status, Total and
// the 1 MiB stack limit are checked in both.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kMeasuresMemory = false;
#else
constexpr bool kMeasuresMemory = true;
#endif

namespace fs = std::filesystem;

constexpr uint64_t kStackLimit = 1 << 20;

// Peak memory allowed per byte of input beyond the small profile's run.
// The dearest input byte is a distinct PC: 15 to 19 bytes of text ("0x",
// the digits, a blank) that become a frame chain twice (the object's lookup
// cache and the resolved profile each hold the function and file names of
// every inlined frame), entries in the hash tables of the symbolizer and of
// the report, and rows of the output.  Measured: 1,000,000 distinct PCs in
// libstdc++ (names only) cost 27 bytes per input byte, 100,000 in
// hprof-text (DWARF: inline chains and file names) 90.  128 leaves room for
// the allocator's slack, and still stops a quadratic (or a copy of a whole
// stack for each of its frames): for 100,000 frames that would be 40 GB.
constexpr uint64_t kBytesPerInputByte = 128;
// And per byte of output: a report is built whole before it is printed (an
// error leaves stdout empty), in a string that may have grown to twice its
// size, and the output of a deep stack is large (a flame graph draws each
// of its frames in about 300 bytes: 20 per byte of input).
constexpr uint64_t kBytesPerOutputByte = 3;

const uint64_t kProgramBase = 0x555555554000;
const uint64_t kLibraryBase = 0x7f1234560000;

std::string libstdcxx_path() {
  for (const char* dir : {"/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64"}) {
    std::string path = std::string(dir) + "/libstdc++.so.6";
    if (fs::exists(path)) return fs::canonical(path).string();
  }
  throw std::runtime_error("no libstdc++.so.6");
}

struct Mode {
  std::string name;
  std::vector<std::string> options;
};

// Every mode that walks the stacks; --base and --trend get their second
// profile from the test.
const std::vector<Mode>& stack_modes() {
  static const std::vector<Mode> modes{
      {"text", {}},
      {"lines", {"--lines"}},
      {"addresses", {"--addresses"}},
      {"files", {"--files"}},
      {"cum", {"--cum"}},
      {"focus", {"--focus=hprof|std"}},      // matches frames of both files
      {"ignore", {"--ignore=^no such frame$"}},
      {"collapsed", {"--collapsed"}},
      {"flamegraph", {"--flamegraph"}},
      {"proto", {"--proto"}},
      {"base", {}},
      {"trend", {"--trend"}},
  };
  return modes;
}

// The number after the first "Total: " of `text`.
int64_t total_in(const std::string& text) {
  const std::size_t at = text.find("Total: ");
  if (at == std::string::npos) throw std::runtime_error("no Total in the output");
  return std::stoll(text.substr(at + 7, 32));
}

// The sum of the values that end the lines of --collapsed output.
int64_t collapsed_sum(const std::string& text) {
  int64_t sum = 0;
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t end = text.find('\n', begin);
    const std::size_t blank = text.rfind(' ', end);
    sum += std::stoll(text.substr(blank + 1, end - blank - 1));
    begin = end + 1;
  }
  return sum;
}

// The Total of a --proto output, as the Go pprof reads it.
int64_t proto_total(const std::string& gz, const std::string& dir) {
  const std::string file = dir + "/out.pb.gz";
  std::ofstream(file, std::ios::binary) << gz;
  CommandResult r = run_command({GO_PPROF, "-symbolize=none", "-top", "-nodecount=1", "-unit=B", file},
                                {"PPROF_BINARY_PATH=/nonexistent", "PPROF_TMPDIR=" + dir});
  fs::remove(file);
  if (r.exit_status != 0) throw std::runtime_error("pprof: " + r.err);
  // "Showing nodes accounting for X, Y% of TOTAL total"
  const std::size_t of = r.out.find("% of ");
  if (of == std::string::npos) throw std::runtime_error("pprof -top: " + r.out);
  return std::stoll(r.out.substr(of + 5));
}

struct Measured {
  std::string what;
  uint64_t input_bytes;
  double seconds;
  long max_rss_kib;
};

// The table printed at the end of the test program: what each run took.
std::vector<Measured>& measurements() {
  static std::vector<Measured> all;
  return all;
}

class BoundedResources : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = scratch_dir() + "/bounds/" + test->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    program_ = map_code(hprof_text_binary(), kProgramBase);
    library_ = map_code(libstdcxx_path(), kLibraryBase);
    // The base and the second dump of a trend: PCs every 64 bytes of both
    // files' code, so that it reads the same debug information as any
    // profile of them; also the small profile of the memory baseline.
    ProfileWriter small(dir_ + "/small.heap");
    for (const MappedCode* code : {&program_, &library_}) {
      std::vector<uint64_t> stack;
      for (uint64_t offset = 0; offset < code->size(); offset += 64) {
        stack.push_back(code->pc(offset));
        if (stack.size() == 64) {
          small.record(4096, stack);
          stack.clear();
        }
      }
    }
    small.finish({program_, library_});
    small_ = small.path();
    small_total_ = small.total();
    small_bytes_ = small.size();
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  CommandResult run(const Mode& mode, const std::string& profile) {
    std::vector<std::string> argv{hprof_text_binary(), harness_cache_option()};
    if (mode.name != "proto") argv.push_back("--show_bytes");  // --proto refuses it
    argv.insert(argv.end(), mode.options.begin(), mode.options.end());
    if (mode.name == "base") argv.push_back("--base=" + small_);
    if (mode.name == "trend") argv.push_back(small_);
    argv.push_back(profile);
    return run_report(argv, {}, RunOptions{.cwd = "", .stack_limit = kStackLimit});
  }

  // The Total that `mode` shows for `r`, the run on a profile.
  int64_t total_shown(const Mode& mode, const CommandResult& r) {
    if (mode.name == "collapsed") return collapsed_sum(r.out);
    if (mode.name == "proto") return proto_total(r.out, dir_);
    if (mode.name == "trend") return parse_trend(r.out, 2).total.values.at(1);
    return total_in(r.out);
  }

  int64_t expected_total(const Mode& mode, int64_t total) const {
    return mode.name == "base" ? total - small_total_ : total;
  }

  // Runs every mode on `profile` (and on the small profile, for the
  // baseline): each prints the profile's Total, within the memory bound.
  void expect_bounded_in_every_mode(const ProfileWriter& profile, const std::string& what,
                                    const std::vector<std::string>& skipped = {}) {
    for (const Mode& mode : stack_modes()) {
      if (std::find(skipped.begin(), skipped.end(), mode.name) != skipped.end()) continue;
      SCOPED_TRACE(what + ", " + mode.name);
      const long base_rss_kib = small_profile_rss_kib(mode);
      const CommandResult r = run(mode, profile.path());
      ASSERT_EQ(r.exit_status, 0) << "(128 + 11: SIGSEGV, a stack overflow)\n" << r.err.substr(0, 2000);
      EXPECT_EQ(total_shown(mode, r), expected_total(mode, profile.total()));
      const uint64_t input = profile.size() - small_bytes_;
      const uint64_t output = r.out.size();
      const auto bound_kib = static_cast<long>(static_cast<uint64_t>(base_rss_kib) +
                                               (kBytesPerInputByte * input + kBytesPerOutputByte * output) / 1024);
      if (kMeasuresMemory) {
        EXPECT_LE(r.max_rss_kib, bound_kib) << "peak RSS " << r.max_rss_kib << " KiB for " << profile.size()
                                            << " bytes of input and " << output << " of output; the small profile's run: "
                                            << base_rss_kib << " KiB";
      }
      measurements().push_back({what + " " + mode.name, profile.size(), r.seconds, r.max_rss_kib});
    }
  }

  // The peak RSS of `mode` on the small profile (the same in every test).
  long small_profile_rss_kib(const Mode& mode) {
    static std::map<std::string, long> measured;
    if (auto it = measured.find(mode.name); it != measured.end()) return it->second;
    const CommandResult r = run(mode, small_);
    EXPECT_EQ(r.exit_status, 0) << r.err;
    measurements().push_back({"small profile " + mode.name, small_bytes_, r.seconds, r.max_rss_kib});
    return measured[mode.name] = r.max_rss_kib;
  }

  std::string dir_;
  MappedCode program_, library_;
  std::string small_;
  int64_t small_total_ = 0;
  uint64_t small_bytes_ = 0;
};

TEST_F(BoundedResources, AStackOf100000DistinctFrames) {
  // The deep stack, and one that shares its first half and is too narrow
  // to draw (the flame graph counts the frames it leaves out).
  ProfileWriter profile(dir_ + "/deep.heap");
  std::vector<uint64_t> stack;
  for (uint64_t i = 0; i < 100000; ++i) stack.push_back(library_.pc(i * 7));
  profile.record(1 << 30, stack);
  stack.erase(stack.begin(), stack.begin() + 50000);
  stack.push_back(program_.pc(12345));
  std::rotate(stack.begin(), stack.end() - 1, stack.end());  // a leaf of its own
  profile.record(64, stack);
  profile.finish({program_, library_});
  expect_bounded_in_every_mode(profile, "100,000 distinct frames");
}

TEST_F(BoundedResources, AStackOf100000FramesOfARecursion) {
  // Deep recursion in the profiled program: five functions' PCs over and over.
  ProfileWriter profile(dir_ + "/recursion.heap");
  std::vector<uint64_t> cycle;
  for (uint64_t i = 0; i < 5; ++i) cycle.push_back(program_.pc(1000 + i * 50021));
  std::vector<uint64_t> stack;
  for (uint64_t i = 0; i < 100000; ++i) stack.push_back(cycle[i % cycle.size()]);
  profile.record(1 << 20, stack);
  profile.finish({program_, library_});
  expect_bounded_in_every_mode(profile, "100,000 frames of a recursion");
}

TEST_F(BoundedResources, TwoHundredThousandRecords) {
  // Stacks of 3 to 10 frames drawn from 5,000 PCs of both files.
  ProfileWriter profile(dir_ + "/records.heap");
  uint64_t state = 42;
  auto next = [&state] { return (state = state * 6364136223846793005ull + 1442695040888963407ull) >> 33; };
  std::vector<uint64_t> stack;
  for (int r = 0; r < 200000; ++r) {
    stack.clear();
    const uint64_t depth = 3 + next() % 8;
    for (uint64_t f = 0; f < depth; ++f) {
      const uint64_t which = next() % 5000;
      stack.push_back(which % 2 == 0 ? program_.pc(which * 97) : library_.pc(which * 89));
    }
    profile.record(static_cast<int64_t>(1 + next() % 100000), stack);
  }
  profile.finish({program_, library_});
  expect_bounded_in_every_mode(profile, "200,000 records");
}

TEST_F(BoundedResources, AMillionDistinctPcs) {
  // 100,000 records of 10 frames, every PC of the profile a different one.
  ASSERT_GE(library_.size(), 1000000u);
  ProfileWriter profile(dir_ + "/pcs.heap");
  std::vector<uint64_t> stack;
  uint64_t n = 0;
  for (int r = 0; r < 100000; ++r) {
    stack.clear();
    for (int f = 0; f < 10; ++f, ++n) stack.push_back(library_.pc(n));
    profile.record(4096 + r, stack);
  }
  profile.finish({program_, library_});
  expect_bounded_in_every_mode(profile, "1,000,000 distinct PCs");
}

TEST_F(BoundedResources, AFiftyMegabyteRecordOfThreeAndAHalfMillionFrames) {
  // 3,500,000 addresses on one line, cycling through 10,000 PCs: a stack
  // 35 times deeper than the others.  Its flame graph would be 3,500,000
  // bars one above the other, about 1 GB of SVG: not drawn here.
  ProfileWriter profile(dir_ + "/line.heap");
  std::vector<uint64_t> stack;
  for (uint64_t i = 0; i < 3500000; ++i) stack.push_back(program_.pc((i % 10000) * 61));
  profile.record(1 << 30, stack);
  profile.record(100, {library_.pc(7)});
  profile.finish({program_, library_});
  ASSERT_GT(profile.size(), 50u << 20);
  expect_bounded_in_every_mode(profile, "a 50 MB record", {"flamegraph"});
}

TEST_F(BoundedResources, AFiftyMegabyteRecordOfFewFramesAndManyBlanks) {
  // The line is long for its blanks: 100,000 frames, 520 blanks apart.
  ProfileWriter profile(dir_ + "/blanks.heap");
  std::vector<uint64_t> stack;
  for (uint64_t i = 0; i < 100000; ++i) stack.push_back(library_.pc(i * 3));
  profile.record(1 << 25, stack, std::string(520, ' '));
  profile.finish({program_, library_});
  ASSERT_GT(profile.size(), 50u << 20);
  expect_bounded_in_every_mode(profile, "a 50 MB line of blanks");
}

TEST_F(BoundedResources, AFiftyMegabyteCommentLineIsSkipped) {
  ProfileWriter profile(dir_ + "/comment.heap");
  profile.record(1000, {program_.pc(100), program_.pc(2000)});
  profile.line("# " + std::string(50 << 20, 'x'));
  profile.record(2000, {library_.pc(300)});
  profile.finish({program_, library_});
  expect_bounded_in_every_mode(profile, "a 50 MB comment");
}

TEST_F(BoundedResources, AFiftyMegabyteLineOfGarbageIsOneShortErrorWithItsLineNumber) {
  ProfileWriter profile(dir_ + "/garbage.heap");
  profile.record(1000, {program_.pc(100)});
  profile.line("1: 1000 [1: 1000] @ 0x" + std::string(50 << 20, 'g'));
  profile.finish({program_, library_});
  for (const Mode& mode : stack_modes()) {
    SCOPED_TRACE(mode.name);
    const CommandResult r = run(mode, profile.path());
    EXPECT_EQ(r.exit_status, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.rfind("hprof-text: error: " + profile.path() + ":3: ", 0), 0u) << r.err;
    EXPECT_LT(r.err.size(), 400u) << "the message quotes the whole line";
  }
}

// A heap checker's dump (HEAPCHECK=normal) has one record per leaked
// object: gigabytes of a few stacks.  Eight times the lines of the same
// stacks cost at most a quarter more memory: what is held follows the
// distinct records, which the parser folds, not the lines.
TEST_F(BoundedResources, AHeapCheckerDumpHoldsTheMemoryOfItsStacksNotOfItsLines) {
  auto write_dump = [&](const std::string& name, uint64_t megabytes) {
    ProfileWriter profile(dir_ + "/" + name);
    std::vector<std::vector<uint64_t>> stacks(1000);
    for (uint64_t s = 0; s < stacks.size(); ++s) {
      for (uint64_t f = 0; f < 12; ++f) stacks[s].push_back(f % 2 ? program_.pc(s * 131 + f * 7) : library_.pc(s * 97 + f));
    }
    for (uint64_t r = 0; profile.size() < (megabytes << 20); ++r) profile.record(16 << (r % 3), stacks[r % stacks.size()]);
    profile.finish({program_, library_});
    return profile;
  };
  const ProfileWriter small = write_dump("small.heapcheck", 32);
  const ProfileWriter large = write_dump("large.heapcheck", 256);
  const Mode text{"text", {}};
  const CommandResult small_run = run(text, small.path());
  const CommandResult large_run = run(text, large.path());
  ASSERT_EQ(small_run.exit_status, 0) << small_run.err.substr(0, 2000);
  ASSERT_EQ(large_run.exit_status, 0) << large_run.err.substr(0, 2000);
  EXPECT_EQ(total_in(large_run.out), large.total());
  if (kMeasuresMemory) {
    EXPECT_LE(large_run.max_rss_kib, small_run.max_rss_kib * 5 / 4)
        << "peak RSS " << large_run.max_rss_kib << " KiB for " << large.size() << " bytes, " << small_run.max_rss_kib
        << " KiB for " << small.size();
  }
  measurements().push_back({"heap checker dump, 32 MiB", small.size(), small_run.seconds, small_run.max_rss_kib});
  measurements().push_back({"heap checker dump, 256 MiB", large.size(), large_run.seconds, large_run.max_rss_kib});
}

// Prints what each run took, for the record.
class PrintMeasurements : public ::testing::Environment {
 public:
  void TearDown() override {
    if (measurements().empty()) return;
    std::printf("%-40s %12s %9s %12s\n", "bounded resources: run", "input bytes", "seconds", "peak RSS KiB");
    for (const Measured& m : measurements()) {
      std::printf("%-40s %12llu %9.2f %12ld\n", m.what.c_str(), static_cast<unsigned long long>(m.input_bytes),
                  m.seconds, m.max_rss_kib);
    }
  }
};

const auto* const kPrint = ::testing::AddGlobalTestEnvironment(new PrintMeasurements);

}  // namespace
}  // namespace e2e
