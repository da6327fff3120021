// The inputs of the golden reports (golden_test.cc): heap profiles and a perf
// map whose addresses lie in the functions of the golden fixture
// (tests/fixtures/golden), written the same way on every run, so that every
// report of them is the same text from one build to the next.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace hprof::testing {

// The fixture's functions by their ELF symbol names: where each starts and
// how long it is (link-time addresses).
class FixtureSymbols {
 public:
  explicit FixtureSymbols(const std::string& path);
  // An address inside `symbol`: the start plus `eighths`/8 of its size
  // (0 <= eighths < 8).  Throws when the fixture has no such function.
  uint64_t inside(const std::string& symbol, int eighths) const;

 private:
  struct Range {
    uint64_t start = 0, size = 0;
  };
  std::map<std::string, Range> functions_;
  std::string path_;
};

// Writes, under `dir`: the fixture copied to the paths the profiles' memory
// maps name (opt/golden/bin/golden-app, opt/golden/lib/libgolden.so, read
// with --lib_prefix=DIR), and the profiles:
//   cpp-0001.heap, cpp-0002.heap, cpp-0003.heap  gperftools heap_v2 dumps of one process, growing
//   jemalloc.heap                                jemalloc's heap_v2 format, frames in libjemalloc
//   jvm.heap, jvm.map                            a JVM-shaped dump (JIT code, a libjvm) and its perf map
void write_golden_inputs(const std::filesystem::path& fixture, const std::filesystem::path& dir);

}  // namespace hprof::testing
