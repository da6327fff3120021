// Heap profiles too large to record, written by the tests that need them
// (bounded_resources_test.cc): records whose return addresses lie in the
// code of real ELF files, mapped as the kernel maps them, so that
// hprof-text symbolizes every one of them for real.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace e2e {

// The executable segment of an ELF file as a profile's maps show it.
struct MappedCode {
  std::string path;
  uint64_t start = 0, limit = 0, offset = 0;  // the maps line: whole pages
  uint64_t first_pc = 0, end_pc = 0;          // return addresses whose pc - 1 is in the segment's code

  uint64_t size() const { return end_pc - first_pc; }
  // The i-th of size() distinct return addresses (then they repeat).
  uint64_t pc(uint64_t i) const { return first_pc + i % size(); }
  std::string maps_line() const;
};

// The first executable PT_LOAD segment of the 64-bit ELF file `path`,
// mapped at `base` (page aligned).  Throws when there is none.
MappedCode map_code(const std::string& path, uint64_t base);

// Writes an unsampled ("heapprofile") dump, record by record: each record
// is one object of `bytes` in use, so the report's Total is the sum of the
// records' bytes, and the header, written again by finish(), counts them.
class ProfileWriter {
 public:
  explicit ProfileWriter(const std::string& path);
  void record(int64_t bytes, const std::vector<uint64_t>& pcs, std::string_view separator = " ");
  void line(std::string_view text);  // written as is, with a newline
  // The maps section; the file is complete after it.
  void finish(const std::vector<MappedCode>& code);

  int64_t total() const { return total_; }
  uint64_t size() const { return size_; }  // bytes written
  const std::string& path() const { return path_; }

 private:
  void put(std::string_view text);
  std::string header() const;

  std::string path_;
  std::ofstream out_;
  int64_t total_ = 0;
  int64_t records_ = 0;
  uint64_t size_ = 0;
};

}  // namespace e2e
