// Shared by the tests of the command line: run() called in-process with
// string streams, in a scratch directory of its own per test.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/run.h"

namespace hprof::testing {

struct Outcome {
  int status;
  std::string out;
  std::string err;
};

// `err_is_terminal`: what run() is told about stderr.
inline Outcome run_with(std::vector<std::string> args, bool err_is_terminal = false) {
  args.insert(args.begin(), "hprof-text");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  int status = run(static_cast<int>(argv.size()), argv.data(), out, err, err_is_terminal);
  return {status, out.str(), err.str()};
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("hprof-cli-" + std::to_string(getpid()) + "-" + info->test_suite_name() + "-" + info->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  std::filesystem::path dir_;
};

constexpr const char* kHeader = "heap profile:    3:     3000 [     3:     3000] @ heapprofile\n";

// `text` (record lines, maybe a maps section) after a gperftools header
// whose totals are what its records add up to: a dump that lost nothing, as
// gperftools writes one (records short of the header are CliLosses' to test).
inline std::string with_header(const std::string& text) {
  int64_t v[4] = {}, sum[4] = {};
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (std::sscanf(line.c_str(), " %ld: %ld [ %ld: %ld] @", &v[0], &v[1], &v[2], &v[3]) != 4) continue;
    for (int i = 0; i < 4; ++i) sum[i] += v[i];
  }
  return fmt::format("heap profile: {}: {} [{}: {}] @ heapprofile\n", sum[0], sum[1], sum[2], sum[3]) + text;
}

// Two objects that are not on disk, mapped where `base` says: frames are
// "[libgone.so.1]" and "[libother.so]", origins (path, file offset).
inline std::string two_objects_profile(const std::string& gone_bytes, const std::string& other_bytes, uint64_t base) {
  return with_header(
         fmt::format("   1: {0:>6} [   1: {0:>6}] @ 0x{2:x}\n"
                     "   1: {1:>6} [   1: {1:>6}] @ 0x{3:x}\n",
                     gone_bytes, other_bytes, base + 0x1101, base + 0x10101) +
         fmt::format("\nMAPPED_LIBRARIES:\n"
                     "{0:x}-{1:x} r-xp 00001000 08:01 42 /nonexistent/libgone.so.1\n"
                     "{2:x}-{3:x} r-xp 00000000 08:01 43 /nonexistent/libother.so\n",
                     base + 0x1000, base + 0x3000, base + 0x10000, base + 0x11000));
}

}  // namespace hprof::testing
