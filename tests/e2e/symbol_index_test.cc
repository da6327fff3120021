// The persistent symbol index (--cache-dir=DIR, --no-cache): a run that
// writes the indexes and a run that reads them print exactly the report of a
// run without them (--no-cache); an index that cannot be used (corrupt,
// truncated, stale) is one warning, the right report, and is rebuilt; a
// cache that cannot be written is one warning; --no-cache writes nothing.
// Every test has a cache directory of its own, so these tests exercise the
// index the same way in the cold and in the warm suite.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;

// A fresh, empty directory of this test's own (of this suite's too: the
// cold and the warm run of one test may run at the same time).
std::string fresh_dir(const std::string& name) {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string suite = harness_cache_option() == "--no-cache" ? "cold" : "warm";
  fs::path dir = fs::path(scratch_dir()) / "symbol-index" /
                 (std::string(test->test_suite_name()) + "." + test->name() + "." + suite) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

std::vector<std::string> with(std::vector<std::string> front, const std::vector<std::string>& args) {
  front.insert(front.end(), args.begin(), args.end());
  return front;
}

// hprof-text with the index cache in `cache`.
CommandResult cached(const std::string& cache, const std::vector<std::string>& args, const RunOptions& options = {}) {
  return hprof_text(with({"--cache-dir=" + cache}, args), options);
}

// The report without any index: what every cached run must print.
std::string uncached_report(const std::vector<std::string>& args) {
  CommandResult r = hprof_text(with({"--no-cache"}, args));
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("Total: "), std::string::npos) << r.out;
  return r.out;
}

std::vector<std::string> workload_args() { return {"--show_bytes", E2E_WORKLOAD, cpp_workload_dump()}; }
std::vector<std::string> jvm_args() { return {"--show_bytes", java_program(), jvm_dumps().back()}; }

// The one index file of `object` under `cache`: named by its build-id and a
// hash of the paths it was built from ("<build-id>-<hash>.idx").
std::string index_file(const std::string& cache, const std::string& object) {
  std::string id = build_id_of(object);
  EXPECT_FALSE(id.empty()) << object << " has no build-id";
  std::vector<std::string> found;
  for (const auto& entry : fs::directory_iterator(cache)) {
    std::string name = entry.path().filename().string();
    if (name.starts_with(id + "-") && name.ends_with(".idx")) found.push_back(entry.path().string());
  }
  EXPECT_EQ(found.size(), 1u) << "index files of " << object << " under " << cache;
  return found.empty() ? cache + "/" + id + "-?.idx" : found.front();
}

// What --verbose says of the index of each mapping that has one, by the
// file used for it: "read", "grown" (read, then written again with the
// units the run asked the DWARF about), "to-write" or "off", and the index
// file.
struct IndexUse {
  std::string state;
  std::string file;
  bool resumed = false;  // the DWARF's units inflated from resume points (",resumed")
};
std::map<std::string, IndexUse> index_uses(const std::string& verbose_err) {
  static const std::regex mapping(R"(^hprof-text:\s+[0-9a-f]+-[0-9a-f]+ \S+: file=(\S+) .* index=(read|grown|to-write|off)(?::(/\S+))? )");
  std::map<std::string, IndexUse> uses;
  std::istringstream in(verbose_err);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_search(line, m, mapping)) {
      uses[m[1]] = IndexUse{m[2], m[3], line.find(",resumed ") != std::string::npos};
    }
  }
  return uses;
}

// The file used whose path ends with "/" + `file_name`.
std::string mapping_named(const std::map<std::string, IndexUse>& uses, const std::string& file_name) {
  for (const auto& [path, use] : uses) {
    if (path.ends_with("/" + file_name)) return path;
  }
  return {};
}

// Every file and directory under `dir`, relative to it.
std::set<std::string> files_under(const std::string& dir) {
  std::set<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    files.insert(fs::relative(entry.path(), dir).string());
  }
  return files;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string index_warning(const std::string& index, const std::string& reason, const std::string& object) {
  return "hprof-text: warning: " + index + ": symbol index not used (" + reason + "); it is rebuilt for " + object +
         "\n";
}

// A run with `args` and the indexes in `cache` prints `report` and nothing
// on stderr, and reads the index of the file `object`.
void expect_read_silently(const std::string& cache, const std::vector<std::string>& args, const std::string& report,
                          const std::string& object) {
  CommandResult quiet = cached(cache, args);
  EXPECT_EQ(quiet.exit_status, 0);
  EXPECT_EQ(quiet.err, "");
  EXPECT_TRUE(quiet.out == report) << "the report read through the index differs:\n" << quiet.out;
  CommandResult verbose = cached(cache, with({"--verbose"}, args));
  EXPECT_EQ(index_uses(verbose.err)[object].state, "read") << verbose.err;
}

// Writes the indexes of a run with `args` into `cache`.
void write_indexes(const std::string& cache, const std::vector<std::string>& args) {
  CommandResult r = cached(cache, args);
  ASSERT_EQ(r.exit_status, 0) << r.err;
  ASSERT_EQ(r.err, "");
}

// The first `count` records of the gperftools dump `dump` (its header line,
// those records, its maps) written to `path`: a dump of the same process
// with fewer stacks, so fewer functions.
std::string first_records_of(const std::string& dump, size_t count, const std::string& path) {
  std::istringstream in(read_file(dump));
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  size_t records = 0;
  bool maps = false;
  bool header = true;
  for (std::string line; std::getline(in, line); header = false) {
    maps = maps || line.starts_with("MAPPED_LIBRARIES:");
    const bool record = !header && !maps && line.find(" @ ") != std::string::npos;
    if (!record || records++ < count) out << line << '\n';
  }
  EXPECT_GT(records, count) << dump << " has no more than " << count << " records";
  return path;
}

// ---- writing and reading ----

TEST(SymbolIndex, FirstRunWritesOneIndexPerObjectWithFramesAndPrintsTheUncachedReport) {
  const std::string cache = fresh_dir("cache");
  const std::string report = uncached_report(workload_args());
  CommandResult first = cached(cache, with({"--verbose"}, workload_args()));
  EXPECT_EQ(first.exit_status, 0) << first.err;
  EXPECT_TRUE(first.out == report) << "the report of the run writing the indexes differs:\n" << first.out;

  std::map<std::string, IndexUse> uses = index_uses(first.err);
  EXPECT_EQ(uses[E2E_WORKLOAD].file, index_file(cache, E2E_WORKLOAD)) << first.err;
  EXPECT_EQ(uses[E2E_LIBWORK].file, index_file(cache, E2E_LIBWORK)) << first.err;
  EXPECT_NE(mapping_named(uses, "libc.so.6"), "") << first.err;
  // Exactly the announced indexes, beside some their resume points (for
  // compressed DWARF), and no temporary file left.
  std::set<std::string> announced;
  for (const auto& [mapping, use] : uses) {
    EXPECT_EQ(use.state, "to-write") << mapping;
    EXPECT_EQ(fs::path(use.file).parent_path(), cache) << mapping;
    announced.insert(fs::path(use.file).filename().string());
  }
  std::set<std::string> indexes;
  for (const std::string& file : files_under(cache)) {
    if (file.ends_with(".idx")) {
      indexes.insert(file);
    } else {
      EXPECT_TRUE(announced.contains(fs::path(file).replace_extension(".idx").string()))
          << file << " is neither an index nor the resume points of one";
    }
  }
  EXPECT_EQ(indexes, announced);
}

TEST(SymbolIndex, SecondRunReadsTheIndexesSilentlyAndPrintsTheSameReport) {
  const std::string cache = fresh_dir("cache");
  const std::string report = uncached_report(workload_args());
  write_indexes(cache, workload_args());

  CommandResult second = cached(cache, workload_args());
  EXPECT_EQ(second.exit_status, 0);
  EXPECT_EQ(second.err, "");
  EXPECT_TRUE(second.out == report) << "the report read through the indexes differs:\n" << second.out;
  CommandResult verbose = cached(cache, with({"--verbose"}, workload_args()));
  std::map<std::string, IndexUse> uses = index_uses(verbose.err);
  EXPECT_EQ(uses[E2E_WORKLOAD].state, "read") << verbose.err;
  EXPECT_EQ(uses[E2E_LIBWORK].state, "read") << verbose.err;
  EXPECT_EQ(uses[mapping_named(uses, "libc.so.6")].state, "read") << verbose.err;
}

TEST(SymbolIndex, LinesAddressesAndFilesReadThroughTheIndexEqualTheUncachedReports) {
  // file:line and the inline frames come from the index's DWARF intervals.
  const std::string cache = fresh_dir("cache");
  write_indexes(cache, workload_args());
  for (const std::string granularity : {"--lines", "--addresses", "--files"}) {
    SCOPED_TRACE(granularity);
    const std::vector<std::string> args = with({granularity}, workload_args());
    CommandResult warm = cached(cache, args);
    EXPECT_EQ(warm.exit_status, 0);
    EXPECT_EQ(warm.err, "");
    EXPECT_EQ(warm.out, uncached_report(args));
  }
}

TEST(SymbolIndex, NoCacheTellsVerboseTheIndexIsOff) {
  CommandResult r = hprof_text(with({"--no-cache", "--verbose"}, workload_args()));
  EXPECT_EQ(r.exit_status, 0);
  std::map<std::string, IndexUse> uses = index_uses(r.err);
  EXPECT_EQ(uses[E2E_WORKLOAD].state, "off") << r.err;
  EXPECT_EQ(uses[E2E_LIBWORK].state, "off") << r.err;
}

TEST(SymbolIndex, HarnessRunsOfTheWarmSuiteReadTheSharedCacheAndOfTheColdSuiteNone) {
  // What makes the ".warm" copy of every other test a test of the index.
  const char* warm_cache = std::getenv("HPROF_E2E_CACHE");
  hprof_text(workload_args());  // writes the indexes when the suite is warm
  CommandResult r = hprof_text(with({"--verbose"}, workload_args()));
  EXPECT_EQ(r.exit_status, 0);
  std::map<std::string, IndexUse> uses = index_uses(r.err);
  if (harness_cache_option() == "--no-cache") {
    EXPECT_EQ(uses[E2E_WORKLOAD].state, "off") << r.err;
  } else {
    ASSERT_NE(warm_cache, nullptr);
    EXPECT_EQ(uses[E2E_WORKLOAD].state, "read") << r.err;
    // Other tests index the workload from other paths too: one of its files.
    EXPECT_EQ(fs::path(uses[E2E_WORKLOAD].file).parent_path(), warm_cache) << r.err;
    EXPECT_TRUE(fs::path(uses[E2E_WORKLOAD].file).filename().string().starts_with(build_id_of(E2E_WORKLOAD) + "-"))
        << r.err;
  }
}

// libjvm.so with its separate compressed debug file (openjdk-17-dbg): the
// largest index, names and inline chains of the JVM's C++.
TEST(SymbolIndexJvm, RunsWritingAndReadingTheIndexesPrintTheUncachedReport) {
  const std::string cache = fresh_dir("cache");
  const std::string report = uncached_report(jvm_args());
  CommandResult cold = cached(cache, jvm_args());
  EXPECT_EQ(cold.exit_status, 0) << cold.err;
  EXPECT_EQ(cold.err, "");
  EXPECT_TRUE(cold.out == report) << "the report of the run writing the indexes differs:\n" << cold.out;

  CommandResult warm = cached(cache, with({"--verbose"}, jvm_args()));
  EXPECT_EQ(warm.exit_status, 0);
  EXPECT_TRUE(warm.out == report) << "the report read through the indexes differs:\n" << warm.out;
  std::map<std::string, IndexUse> uses = index_uses(warm.err);
  const std::string libjvm = mapping_named(uses, "libjvm.so");
  ASSERT_NE(libjvm, "") << warm.err;
  EXPECT_EQ(uses[libjvm].state, "read") << warm.err;
}

TEST(SymbolIndexJvm, LinesAndAddressesReadThroughTheIndexesEqualTheUncachedReports) {
  const std::string cache = fresh_dir("cache");
  write_indexes(cache, jvm_args());
  for (const std::string granularity : {"--lines", "--addresses"}) {
    SCOPED_TRACE(granularity);
    const std::vector<std::string> args = with({granularity}, jvm_args());
    CommandResult warm = cached(cache, args);
    EXPECT_EQ(warm.exit_status, 0);
    EXPECT_EQ(warm.err, "");
    EXPECT_EQ(warm.out, uncached_report(args));
  }
}

// ---- indexes that grow ----

// An index holds the functions the runs that wrote it asked about; a run
// that needs more asks the DWARF for them and writes the index again with
// them: a partial index is never a wrong answer, only a slower one.
TEST(SymbolIndex, ARunNeedingMoreOfAnIndexGrowsItAndPrintsTheUncachedReport) {
  const std::string cache = fresh_dir("cache");
  const std::string part = first_records_of(cpp_workload_dump(), 1, fresh_dir("dumps") + "/part.heap");
  const std::vector<std::string> part_args{"--show_bytes", E2E_WORKLOAD, part};
  write_indexes(cache, part_args);
  const std::string index = index_file(cache, E2E_WORKLOAD);
  const auto written = fs::file_size(index);

  const std::string report = uncached_report(workload_args());
  CommandResult grow = cached(cache, with({"--verbose"}, workload_args()));
  EXPECT_EQ(grow.exit_status, 0);
  EXPECT_TRUE(grow.out == report) << "the report of the run growing the index differs:\n" << grow.out;
  EXPECT_EQ(index_uses(grow.err)[E2E_WORKLOAD].state, "grown") << grow.err;
  EXPECT_GT(fs::file_size(index), written);
  expect_read_silently(cache, workload_args(), report, E2E_WORKLOAD);
  expect_read_silently(cache, part_args, uncached_report(part_args), E2E_WORKLOAD);
}

TEST(SymbolIndexJvm, ARunNeedingMoreOfTheIndexesGrowsThemAndPrintsTheUncachedReport) {
  const std::string cache = fresh_dir("cache");
  const std::string part = first_records_of(jvm_dumps().back(), 20, fresh_dir("dumps") + "/part.heap");
  const std::vector<std::string> part_args{"--show_bytes", java_program(), part};
  write_indexes(cache, part_args);

  const std::string report = uncached_report(jvm_args());
  CommandResult grow = cached(cache, with({"--verbose"}, jvm_args()));
  EXPECT_EQ(grow.exit_status, 0);
  EXPECT_TRUE(grow.out == report) << "the report of the run growing the indexes differs:\n" << grow.out;
  std::map<std::string, IndexUse> uses = index_uses(grow.err);
  const std::string libjvm = mapping_named(uses, "libjvm.so");
  ASSERT_NE(libjvm, "") << grow.err;
  EXPECT_EQ(uses[libjvm].state, "grown") << grow.err;
  // libjvm's debug file is compressed: the first run kept where to resume
  // inflating it, and the units this run needed were inflated from there.
  EXPECT_TRUE(uses[libjvm].resumed) << grow.err;
  expect_read_silently(cache, jvm_args(), report, libjvm);
  expect_read_silently(cache, part_args, uncached_report(part_args), libjvm);
}

TEST(SymbolIndexJvm, TwoRunsGrowingOneIndexAtOnceBothPrintTheirReportsAndLeaveAWholeIndex) {
  const std::string cache = fresh_dir("cache");
  const std::string dumps = fresh_dir("dumps");
  write_indexes(cache, {"--show_bytes", java_program(), first_records_of(jvm_dumps().back(), 20, dumps + "/part.heap")});
  const std::vector<std::string> args[2] = {
      jvm_args(), {"--show_bytes", java_program(), first_records_of(jvm_dumps().front(), 200, dumps + "/other.heap")}};
  const std::string reports[2] = {uncached_report(args[0]), uncached_report(args[1])};
  CommandResult runs[2];
  {
    std::thread first([&] { runs[0] = cached(cache, args[0]); });
    std::thread second([&] { runs[1] = cached(cache, args[1]); });
    first.join();
    second.join();
  }
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(runs[i].exit_status, 0);
    EXPECT_EQ(runs[i].err, "");
    EXPECT_TRUE(runs[i].out == reports[i]) << "the report of a run beside another differs:\n" << runs[i].out;
  }
  for (const std::string& file : files_under(cache)) EXPECT_NE(file[0], '.') << "a temporary file is left: " << file;
  // The last writer's index stands: sound, and what it lacks grows again.
  for (int i = 0; i < 2; ++i) {
    CommandResult again = cached(cache, args[i]);
    EXPECT_EQ(again.err, "");
    EXPECT_TRUE(again.out == reports[i]) << "the report read through the index differs:\n" << again.out;
  }
}

// ---- indexes that cannot be used ----

TEST(SymbolIndex, CorruptIndexIsOneWarningTheUncachedReportAndIsRebuilt) {
  const std::string cache = fresh_dir("cache");
  const std::string report = uncached_report(workload_args());
  write_indexes(cache, workload_args());
  const std::string index = index_file(cache, E2E_WORKLOAD);
  std::string bytes = read_file(index);
  ASSERT_GT(bytes.size(), 1000u);  // the middle is past the header
  bytes[bytes.size() / 2] ^= 0x5a;
  std::ofstream(index, std::ios::binary | std::ios::trunc) << bytes;

  CommandResult r = cached(cache, workload_args());
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_EQ(r.err, index_warning(index, "checksum mismatch", E2E_WORKLOAD));
  EXPECT_TRUE(r.out == report) << "the report beside a corrupt index differs:\n" << r.out;
  expect_read_silently(cache, workload_args(), report, E2E_WORKLOAD);
}

TEST(SymbolIndex, TruncatedIndexIsOneWarningTheUncachedReportAndIsRebuilt) {
  const std::string cache = fresh_dir("cache");
  const std::string report = uncached_report(workload_args());
  write_indexes(cache, workload_args());
  const std::string index = index_file(cache, E2E_WORKLOAD);
  const auto whole = fs::file_size(index);
  fs::resize_file(index, whole / 2);

  CommandResult r = cached(cache, workload_args());
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_EQ(r.err, index_warning(index, std::to_string(whole / 2) + " bytes, header says " + std::to_string(whole),
                                 E2E_WORKLOAD));
  EXPECT_TRUE(r.out == report) << "the report beside a truncated index differs:\n" << r.out;
  expect_read_silently(cache, workload_args(), report, E2E_WORKLOAD);
}

TEST(SymbolIndex, EmptyIndexFileIsOneWarningTheUncachedReportAndIsRebuilt) {
  const std::string cache = fresh_dir("cache");
  const std::string report = uncached_report(workload_args());
  write_indexes(cache, workload_args());
  const std::string index = index_file(cache, E2E_WORKLOAD);
  fs::resize_file(index, 0);

  CommandResult r = cached(cache, workload_args());
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_EQ(r.err, index_warning(index, "0 bytes, shorter than a header", E2E_WORKLOAD));
  EXPECT_TRUE(r.out == report) << "the report beside an empty index differs:\n" << r.out;
  expect_read_silently(cache, workload_args(), report, E2E_WORKLOAD);
}

// A copy of the workload's binaries, which the dump maps through PROGRAM
// and --lib_prefix: the test may change them.
std::vector<std::string> args_for_copy(const std::string& dir) {
  for (const char* file : {E2E_WORKLOAD, E2E_LIBWORK, E2E_LIBSTRIPPED}) {
    fs::copy_file(file, dir + "/" + fs::path(file).filename().string());
  }
  // (--show_bytes between --lib_prefix and PROGRAM: CLI11 would take
  // PROGRAM for a second prefix.)
  return {"--lib_prefix=" + dir, "--show_bytes", dir + "/e2e_workload", cpp_workload_dump()};
}

TEST(SymbolIndex, IndexOfAnObjectChangedSinceIsStaleOneWarningAndIsRebuilt) {
  const std::string cache = fresh_dir("cache");
  const std::string bin = fresh_dir("bin");
  const std::vector<std::string> args = args_for_copy(bin);
  const std::string program = bin + "/e2e_workload";
  const std::string report = uncached_report(args);
  write_indexes(cache, args);
  fs::last_write_time(program, fs::last_write_time(program) + std::chrono::hours(1));

  CommandResult r = cached(cache, args);
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_EQ(r.err, index_warning(index_file(cache, program), "built from " + program + " (mtime changed)", program));
  EXPECT_TRUE(r.out == report) << "the report beside a stale index differs:\n" << r.out;
  expect_read_silently(cache, args, report, program);
}

TEST(SymbolIndex, IndexBuiltWithoutTheDebugFileIsNotTheIndexOnceTheDebugFileIsFound) {
  // A stripped workload: named by CFI alone until --debug-dir finds its
  // debug file by build-id.  The index of the program with its debug file is
  // another one (the paths it is built from name it), so the first run with
  // the debug file reads none, warns of nothing and writes its own.
  const std::string cache = fresh_dir("cache");
  const std::string bin = fresh_dir("bin");
  const std::string debug_dir = fresh_dir("debug");
  const std::string program = bin + "/e2e_workload";
  const std::string debug_file = build_id_path(debug_dir, build_id_of(E2E_WORKLOAD));
  fs::create_directories(fs::path(debug_file).parent_path());
  ASSERT_EQ(run_command({E2E_OBJCOPY, "--only-keep-debug", E2E_WORKLOAD, debug_file}).exit_status, 0);
  ASSERT_EQ(run_command({E2E_STRIP, "--strip-all", "-o", program, E2E_WORKLOAD}).exit_status, 0);
  const std::vector<std::string> without{"--show_bytes", program, cpp_workload_dump()};
  const std::vector<std::string> with_debug = with({"--debug-dir=" + debug_dir}, without);
  const std::string report = uncached_report(with_debug);
  ASSERT_NE(report, uncached_report(without)) << "the debug file names nothing more: the test proves nothing";
  write_indexes(cache, without);
  const std::string index_without = index_file(cache, program);

  CommandResult r = cached(cache, with_debug);
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_TRUE(r.out == report) << "the report beside an index built without the debug file differs:\n" << r.out;
  size_t program_indexes = 0;
  for (const auto& entry : fs::directory_iterator(cache)) {
    program_indexes += entry.path().filename().string().starts_with(build_id_of(program) + "-");
  }
  EXPECT_EQ(program_indexes, 2u) << "one index without the debug file, one with it";
  EXPECT_TRUE(fs::exists(index_without));
}

TEST(SymbolIndex, TwoCopiesOfOneBuildEachKeepTheirIndex) {
  // One build-id at two paths (the file the profile saw and a --lib_prefix
  // copy of it): runs that alternate between them read an index each time
  // and warn of nothing; neither copy makes the other's index stale.
  const std::string cache = fresh_dir("cache");
  const std::string bin = fresh_dir("bin");
  const std::vector<std::string> copy_args = args_for_copy(bin);
  const std::string copy = bin + "/e2e_workload";
  const std::string report = uncached_report(workload_args());
  ASSERT_EQ(uncached_report(copy_args), report);
  write_indexes(cache, workload_args());
  CommandResult first_of_copy = cached(cache, copy_args);
  EXPECT_EQ(first_of_copy.exit_status, 0);
  EXPECT_EQ(first_of_copy.err, "");
  EXPECT_TRUE(first_of_copy.out == report) << first_of_copy.out;

  expect_read_silently(cache, workload_args(), report, E2E_WORKLOAD);
  expect_read_silently(cache, copy_args, report, copy);
}

TEST(SymbolIndex, ARebuildOfAProgramAtTheSamePathReplacesItsIndexAndKeepsTheOthers) {
  // Each build of a program would otherwise leave an index as large as its
  // DWARF in the cache, never to be read again.
  const std::string cache = fresh_dir("cache");
  const std::string bin = fresh_dir("bin");
  const std::vector<std::string> args = args_for_copy(bin);
  const std::string program = bin + "/e2e_workload";
  write_indexes(cache, args);
  const std::string old_index = index_file(cache, program);
  std::set<std::string> before = files_under(cache);
  const std::string old_build_id = build_id_of(program);
  rebuild_in_place(program);
  ASSERT_NE(build_id_of(program), old_build_id);
  const std::string report = uncached_report(args);

  CommandResult r = cached(cache, args);
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_TRUE(r.out == report) << r.out;
  EXPECT_FALSE(fs::exists(old_index));
  std::set<std::string> after = files_under(cache);
  after.erase(fs::relative(index_file(cache, program), cache).string());
  before.erase(fs::relative(old_index, cache).string());
  EXPECT_EQ(after, before) << "the libraries' indexes stay";
  expect_read_silently(cache, args, report, program);
}

// ---- caches that cannot be written ----

// `err` is one warning: an index file under `dir` cannot be written.
void expect_one_cannot_write_warning(const std::string& err, const std::string& dir) {
  std::vector<std::string> lines = lines_of(err);
  ASSERT_EQ(lines.size(), 1u) << err;
  EXPECT_EQ(lines[0].rfind("hprof-text: warning: ", 0), 0u) << err;
  EXPECT_NE(lines[0].find("cannot write"), std::string::npos) << err;
  EXPECT_NE(lines[0].find(dir), std::string::npos) << err;
}

TEST(SymbolIndex, CacheDirUnderARegularFileIsOneWarningAndTheUncachedReport) {
  // A path through a regular file cannot be created, not even by root.
  const std::string dir = fresh_dir("cache");
  std::ofstream(dir + "/file") << "not a directory\n";
  const std::string report = uncached_report(workload_args());
  CommandResult r = cached(dir + "/file/sub", workload_args());
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_TRUE(r.out == report) << "the report beside an unwritable cache differs:\n" << r.out;
  expect_one_cannot_write_warning(r.err, dir + "/file/sub/");
}

TEST(SymbolIndex, ReadOnlyCacheDirIsOneWarningAndTheUncachedReport) {
  const std::string dir = fresh_dir("cache");
  fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                           fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
  const std::string report = uncached_report(workload_args());
  RunOptions as_a_user;  // root would write into a directory of mode 0555
  as_a_user.unprivileged = true;
  CommandResult r = cached(dir, workload_args(), as_a_user);
  fs::permissions(dir, fs::perms::owner_write, fs::perm_options::add);  // for the next fresh_dir
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_TRUE(r.out == report) << "the report beside a read-only cache differs:\n" << r.out;
  expect_one_cannot_write_warning(r.err, dir + "/");
  EXPECT_EQ(files_under(dir), std::set<std::string>{});
}

TEST(SymbolIndex, IndexesOfAnotherBuildOfHprofTextAreOneWarningForTheDirectoryAndRebuilt) {
  // A copy of hprof-text writes the indexes, then "is rebuilt" (its mtime
  // changes): every index names it as a source, so every one is stale, for
  // one cause, said once.
  const std::string cache = fresh_dir("cache");
  const std::string tool = fresh_dir("bin") + "/hprof-text";
  fs::copy_file(hprof_text_binary(), tool);
  fs::permissions(tool, fs::perms::owner_exec, fs::perm_options::add);
  const std::string report = uncached_report(workload_args());
  auto run_tool = [&] { return run_report(with({tool, "--cache-dir=" + cache}, workload_args())); };
  ASSERT_EQ(run_tool().exit_status, 0);
  ASSERT_GT(files_under(cache).size(), 1u) << "the test needs several indexes";
  fs::last_write_time(tool, fs::last_write_time(tool) + std::chrono::hours(1));

  CommandResult r = run_tool();
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_TRUE(r.out == report) << r.out;
  EXPECT_EQ(r.err, "hprof-text: warning: " + cache + ": symbol indexes written by another build of " + tool +
                       " are not used; they are rebuilt\n");
  CommandResult again = run_tool();
  EXPECT_EQ(again.err, "") << "the indexes were not rebuilt";
  EXPECT_TRUE(again.out == report) << again.out;
}

TEST(SymbolIndex, IndexesOfAnotherFormatAreOneWarningForTheDirectoryAndRebuilt) {
  // What an upgrade of hprof-text to a new index format finds: every index
  // of the directory in the old one, for one cause, said once.
  const std::string cache = fresh_dir("cache");
  const std::string report = uncached_report(workload_args());
  write_indexes(cache, workload_args());
  ASSERT_GT(files_under(cache).size(), 1u) << "the test needs several indexes";
  uint32_t version = 0;  // this hprof-text's, as its indexes say: the format version (index_format.h)
  for (const std::string& file : files_under(cache)) {
    if (!file.ends_with(".idx")) continue;  // resume points, of their own format
    std::fstream index(cache + "/" + file, std::ios::in | std::ios::out | std::ios::binary);
    index.seekg(8);  // read before the checksum is checked
    index.read(reinterpret_cast<char*>(&version), sizeof version);
    const uint32_t older = version - 1;
    index.seekp(8);
    index.write(reinterpret_cast<const char*>(&older), sizeof older);
  }
  ASSERT_GT(version, 0u);

  CommandResult r = cached(cache, workload_args());
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_TRUE(r.out == report) << r.out;
  EXPECT_EQ(r.err, "hprof-text: warning: " + cache + ": symbol indexes in another format are not used (format version " +
                       std::to_string(version - 1) + ", this hprof-text reads " + std::to_string(version) +
                       "); they are rebuilt\n");
  expect_read_silently(cache, workload_args(), report, E2E_WORKLOAD);
}

TEST(SymbolIndex, UnreadableIndexesAreOneWarningAndTheUncachedReport) {
  // Each index file replaced by a directory of its name: opened, not a
  // regular file, and not replaceable by a rename either.
  const std::string cache = fresh_dir("cache");
  const std::string report = uncached_report(workload_args());
  write_indexes(cache, workload_args());
  std::set<std::string> files = files_under(cache);
  ASSERT_GT(files.size(), 1u) << "the test needs several indexes";
  for (const std::string& file : files) {
    fs::remove(cache + "/" + file);
    fs::create_directory(cache + "/" + file);
  }
  CommandResult r = cached(cache, workload_args());
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_TRUE(r.out == report) << r.out;
  std::vector<std::string> lines = lines_of(r.err);
  ASSERT_EQ(lines.size(), 2u) << r.err;
  EXPECT_NE(lines[0].find(": symbol index not readable (not a regular file); it is rebuilt"), std::string::npos)
      << r.err;
  EXPECT_EQ(lines[1].rfind("hprof-text: warning: symbol index not saved: cannot write " + cache + "/", 0), 0u)
      << r.err;
}

// ---- where the cache is ----

TEST(SymbolIndex, NoCacheWritesNothingUnderHomeOrXdgCacheHome) {
  const std::string home = fresh_dir("home");
  CommandResult r = run_report(with({hprof_text_binary(), "--no-cache"}, workload_args()),
                                {"HOME=" + home, "XDG_CACHE_HOME=" + home});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("Total: "), std::string::npos);
  EXPECT_EQ(files_under(home), std::set<std::string>{});
}

TEST(SymbolIndex, DefaultCacheIsHprofTextUnderXdgCacheHome) {
  const std::string xdg = fresh_dir("xdg");
  const std::string home = fresh_dir("home");
  CommandResult r = run_report(with({hprof_text_binary()}, workload_args()), {"HOME=" + home, "XDG_CACHE_HOME=" + xdg});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_TRUE(fs::is_regular_file(index_file(xdg + "/hprof-text", E2E_WORKLOAD)));
  EXPECT_TRUE(fs::is_regular_file(index_file(xdg + "/hprof-text", E2E_LIBWORK)));
  EXPECT_EQ(files_under(home), std::set<std::string>{});
}

TEST(SymbolIndex, DefaultCacheWithoutXdgCacheHomeIsUnderHomeDotCache) {
  const std::string home = fresh_dir("home");
  CommandResult r = run_report(with({hprof_text_binary()}, workload_args()), {"HOME=" + home, "XDG_CACHE_HOME="});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_TRUE(fs::is_regular_file(index_file(home + "/.cache/hprof-text", E2E_WORKLOAD)));
}

TEST(SymbolIndex, NoCacheWithCacheDirIsAUsageError) {
  const std::string cache = fresh_dir("cache") + "/never";
  for (const auto& options : {std::vector<std::string>{"--no-cache", "--cache-dir=" + cache},
                              std::vector<std::string>{"--cache-dir=" + cache, "--no-cache"}}) {
    SCOPED_TRACE(options[0]);
    CommandResult r = hprof_text(with(options, workload_args()));
    EXPECT_EQ(r.exit_status, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.rfind("hprof-text: error: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find("--cache-dir"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--no-cache"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(cache));
}

// ---- several runs ----

TEST(SymbolIndexJvm, TwoRunsAtOnceIntoOneEmptyCacheBothPrintTheReportAndLeaveWholeIndexes) {
  // libjvm's index takes seconds to write: the two writers overlap.
  const std::string cache = fresh_dir("cache");
  const std::string report = uncached_report(jvm_args());
  CommandResult runs[2];
  {
    std::thread first([&] { runs[0] = cached(cache, jvm_args()); });
    std::thread second([&] { runs[1] = cached(cache, jvm_args()); });
    first.join();
    second.join();
  }
  for (const CommandResult& r : runs) {
    EXPECT_EQ(r.exit_status, 0);
    EXPECT_EQ(r.err, "");
    EXPECT_TRUE(r.out == report) << "the report of a run beside another differs:\n" << r.out;
  }
  for (const std::string& file : files_under(cache)) EXPECT_NE(file[0], '.') << "a temporary file is left: " << file;

  CommandResult third = cached(cache, with({"--verbose"}, jvm_args()));
  EXPECT_EQ(third.exit_status, 0);
  EXPECT_TRUE(third.out == report) << "the report read through the indexes differs:\n" << third.out;
  EXPECT_EQ(third.err.find("warning"), std::string::npos) << third.err;
  std::map<std::string, IndexUse> uses = index_uses(third.err);
  EXPECT_EQ(uses[mapping_named(uses, "libjvm.so")].state, "read") << third.err;
}

TEST(SymbolIndex, BatchWritesTheIndexesAndEachFileIsTheUncachedSingleReport) {
  const std::string cache = fresh_dir("cache");
  const std::string dumps_dir = fresh_dir("dumps");
  const std::vector<std::string> dumps{dumps_dir + "/a.heap", dumps_dir + "/b.heap"};
  fs::copy_file(cpp_workload_dump("a"), dumps[0]);
  fs::copy_file(cpp_workload_dump("b"), dumps[1]);  // another ASLR layout
  for (int run = 1; run <= 2; ++run) {  // the first writes the indexes, the second reads them
    SCOPED_TRACE("batch run " + std::to_string(run));
    CommandResult batch = cached(cache, with({"--output-suffix=.txt", "--show_bytes", E2E_WORKLOAD}, dumps));
    EXPECT_EQ(batch.exit_status, 0) << batch.err;
    EXPECT_EQ(batch.out, "");
    EXPECT_EQ(batch.err, "");
    for (const std::string& dump : dumps) {
      EXPECT_TRUE(read_file(dump + ".txt") == uncached_report({"--show_bytes", E2E_WORKLOAD, dump}))
          << dump << ": the batch's file differs from the single report";
    }
    EXPECT_TRUE(fs::is_regular_file(index_file(cache, E2E_WORKLOAD)));
    EXPECT_TRUE(fs::is_regular_file(index_file(cache, E2E_LIBWORK)));
  }
}

}  // namespace
}  // namespace e2e
