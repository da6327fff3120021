// Replays the fuzz targets' seed corpora and every input a fuzzer found
// (testdata/fuzz/regressions/TARGET/, one named test each) through the
// targets' functions (fuzz/targets.h), in the normal build: each must be
// handled without an escaping exception, a broken invariant or a crash.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <string>
#include <vector>

#include "fuzz/targets.h"

namespace hprof {
namespace {

namespace fs = std::filesystem;

struct FuzzInput {
  std::string target;  // "heap_profile", "perf_map", "elf_symbolize"
  fs::path path;
};

// How gtest shows a parameter (otherwise as raw bytes, in ctest's names too).
[[maybe_unused]] void PrintTo(const FuzzInput& input, std::ostream* out) { *out << input.path.string(); }

void run_target(const std::string& target, const std::vector<uint8_t>& bytes) {
  if (target == "heap_profile") return fuzz::heap_profile(bytes);
  if (target == "perf_map") return fuzz::perf_map(bytes);
  if (target == "elf_symbolize") return fuzz::elf_symbolize(bytes);
  FAIL() << "no fuzz target named " << target;
}

// The files of `dir`, sorted; none when it does not exist.
std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ignored;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ignored)) {
    if (e.is_regular_file()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<FuzzInput> inputs(const std::string& kind) {
  std::vector<FuzzInput> out;
  for (const char* target : {"heap_profile", "perf_map", "elf_symbolize"}) {
    std::vector<fs::path> dirs;
    if (kind == "seed") {
      dirs = {fs::path(HPROF_TESTDATA) / "fuzz" / target};
      if (std::string(target) == "elf_symbolize") dirs.push_back(HPROF_FUZZ_ELF_SEEDS);
    } else {
      dirs = {fs::path(HPROF_TESTDATA) / "fuzz/regressions" / target};
    }
    for (const fs::path& dir : dirs) {
      for (fs::path& file : files_in(dir)) out.push_back({target, std::move(file)});
    }
  }
  return out;
}

// "elf_symbolize_crash_3f2a..." from the target and the file name.
std::string test_name(const ::testing::TestParamInfo<FuzzInput>& info) {
  std::string name = info.param.target + "_" + info.param.path.filename().string();
  std::replace_if(name.begin(), name.end(), [](unsigned char c) { return !std::isalnum(c); }, '_');
  return name;
}

class FuzzReplay : public ::testing::TestWithParam<FuzzInput> {};

TEST_P(FuzzReplay, IsHandledWithoutCrashOrUnexpectedException) {
  const FuzzInput& input = GetParam();
  std::ifstream in(input.path, std::ios::binary);
  ASSERT_TRUE(in) << "cannot read " << input.path;
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    run_target(input.target, bytes);
  } catch (const std::exception& e) {
    FAIL() << input.target << " on " << input.path << ": " << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, FuzzReplay, ::testing::ValuesIn(inputs("seed")), test_name);
INSTANTIATE_TEST_SUITE_P(Regressions, FuzzReplay, ::testing::ValuesIn(inputs("regression")), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FuzzReplay);

// The replay above is only as good as its inputs: every target has seeds,
// the ELF ones built from fuzz/seed_sources.
TEST(FuzzCorpora, EveryTargetHasSeeds) {
  for (const char* target : {"heap_profile", "perf_map", "elf_symbolize"}) {
    const auto all = inputs("seed");
    EXPECT_GE(std::count_if(all.begin(), all.end(), [&](const FuzzInput& i) { return i.target == target; }), 3)
        << target;
  }
}

}  // namespace
}  // namespace hprof
