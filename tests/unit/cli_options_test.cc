// How the command line is read into Options (parse_args), where run()'s
// output alone cannot tell.
#include "cli/options.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

namespace hprof {
namespace {

std::optional<Options> parsed(std::vector<std::string> args) {
  args.insert(args.begin(), "hprof-text");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  ParsedArgs p = parse_args(static_cast<int>(argv.size()), argv.data(), out, err);
  EXPECT_TRUE(p.options) << err.str();
  return p.options;
}

// An ELF file to stand for PROGRAM: this test binary.
const std::string kProgram = std::filesystem::canonical("/proc/self/exe").string();

TEST(CliOptions, ADirectoryOptionTakesOneValueAndLeavesProgramAfterIt) {
  for (const char* option : {"--debug-dir=/dbg", "--lib_prefix=/dbg"}) {
    std::optional<Options> o = parsed({option, kProgram, "a.heap"});
    ASSERT_TRUE(o) << option;
    EXPECT_EQ(o->symbolize.program, kProgram) << option;
    EXPECT_EQ(o->profiles, std::vector<std::string>{"a.heap"}) << option;
  }
}

TEST(CliOptions, DirectoryOptionsRepeatAndLibPrefixSplitsAtCommas) {
  std::optional<Options> o =
      parsed({"--debug-dir", "/d1", "--debug-dir=/d2", "--lib_prefix", "/p1,/p2", kProgram, "a.heap"});
  ASSERT_TRUE(o);
  EXPECT_EQ(o->symbolize.debug_dirs, (std::vector<std::string>{"/d1", "/d2"}));
  EXPECT_EQ(o->symbolize.lib_prefixes, (std::vector<std::string>{"/p1", "/p2"}));
  EXPECT_EQ(o->symbolize.program, kProgram);
}

TEST(CliOptions, PerfMapRepeatsTakesOneValueEachAndLeavesProgramAfterIt) {
  std::optional<Options> o = parsed({"--perf-map", "a.map", "--perf-map=b.map", kProgram, "a.heap"});
  ASSERT_TRUE(o);
  EXPECT_EQ(o->symbolize.perf_maps, (std::vector<std::string>{"a.map", "b.map"}));
  EXPECT_EQ(o->symbolize.program, kProgram);
  EXPECT_EQ(o->profiles, std::vector<std::string>{"a.heap"});
}

TEST(CliOptions, CacheDirIsMadeAbsoluteAndNoCacheTurnsTheIndexOff) {
  std::optional<Options> dir = parsed({"--cache-dir=rel/cache", "a.heap"});
  ASSERT_TRUE(dir);
  EXPECT_EQ(dir->symbolize.index_dir, (std::filesystem::current_path() / "rel/cache").lexically_normal().string());
  std::optional<Options> off = parsed({"--no-cache", "a.heap"});
  ASSERT_TRUE(off);
  EXPECT_EQ(off->symbolize.index_dir, "");
}

ParsedArgs parsed_with_error(std::vector<const char*> argv, std::string& error) {
  std::ostringstream out, err;
  ParsedArgs p = parse_args(static_cast<int>(argv.size()), argv.data(), out, err);
  error = err.str();
  return p;
}

TEST(CliOptions, AnEmptyValueAfterEqualsIsAUsageErrorNotTheNextArgument) {
  // "--focus= PROGRAM PROFILE" would otherwise take PROGRAM as the pattern.
  for (const char* option : {"--cache-dir=", "--focus=", "--debug-dir=", "-lib_prefix=", "--perf-map="}) {
    std::string error;
    ParsedArgs p = parsed_with_error({"hprof-text", option, kProgram.c_str(), "a.heap"}, error);
    EXPECT_FALSE(p.options) << option;
    EXPECT_EQ(p.exit_status, 2) << option;
    std::string name = std::string(option[1] == '-' ? "" : "-") + option;
    name.pop_back();
    EXPECT_EQ(error.rfind("hprof-text: error: " + name + " needs a value, not an empty one\n", 0), 0u) << error;
  }
}

TEST(CliOptions, AnEmptyPerfMapArgumentIsAUsageError) {
  std::string error;
  ParsedArgs p = parsed_with_error({"hprof-text", "--perf-map", "", "a.heap"}, error);
  EXPECT_FALSE(p.options);
  EXPECT_EQ(p.exit_status, 2);
  EXPECT_EQ(error.rfind("hprof-text: error: --perf-map needs a value, not an empty one\n", 0), 0u) << error;
}

TEST(CliOptions, AnEmptyCacheDirArgumentIsAUsageError) {
  std::string error;
  ParsedArgs p = parsed_with_error({"hprof-text", "--cache-dir", "", "a.heap"}, error);
  EXPECT_FALSE(p.options);
  EXPECT_EQ(p.exit_status, 2);
  EXPECT_EQ(error.rfind("hprof-text: error: --cache-dir needs a value, not an empty one\n", 0), 0u) << error;
}

TEST(CliOptions, OptionNamesReadUnderscoresAndDashesAlike) {
  std::optional<Options> o = parsed({"--show-bytes", "--inuse-objects", "--drop-negative", "--perf_map=/m.map",
                                     "--lib-prefix=/root", "--debug_dir=/dbg", "--no_cache", "a.heap"});
  ASSERT_TRUE(o);
  EXPECT_TRUE(o->report.show_bytes);
  EXPECT_EQ(o->sample_type, "inuse_objects");
  EXPECT_TRUE(o->report.drop_negative);
  EXPECT_EQ(o->symbolize.perf_maps, std::vector<std::string>{"/m.map"});
  EXPECT_EQ(o->symbolize.lib_prefixes, std::vector<std::string>{"/root"});
  EXPECT_EQ(o->symbolize.debug_dirs, std::vector<std::string>{"/dbg"});
  EXPECT_EQ(o->symbolize.index_dir, "");
}

TEST(CliOptions, OneDashAndTheOtherSpellingWorkTogether) {
  std::optional<Options> o = parsed({"-trend_chart", "-cache_dir=/c", "a.heap", "b.heap"});
  ASSERT_TRUE(o);
  EXPECT_STREQ(o->format->flag, "--trend-chart");
  EXPECT_EQ(o->symbolize.index_dir, "/c");
}

}  // namespace
}  // namespace hprof
