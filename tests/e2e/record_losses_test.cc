// Records lost from real dumps (docs/errors.md): a dump of more call paths
// than gperftools writes in its 1 MiB, and a real dump with a record line cut
// out of its middle, are each one warning with the header's figures and the
// records'.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "harness.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;

// tests/e2e/workload/many_stacks.cc, recorded once per build: one dump, at exit.
std::string many_stacks_dump() {
  const std::string dir = scratch_dir() + "/many-stacks";
  DirLock lock(dir);
  const std::string dump = dir + "/many.0001.heap";
  if (newer_than(dump, {E2E_MANY_STACKS, TCMALLOC})) return dump;
  for (const auto& old : sorted_dumps(dir, "many")) fs::remove(old);
  CommandResult r = run_command({E2E_MANY_STACKS}, {std::string("LD_PRELOAD=") + TCMALLOC, "HEAPPROFILE=" + dir + "/many",
                                                    "HEAP_PROFILE_ALLOCATION_INTERVAL=1099511627776",
                                                    "HEAP_PROFILE_INUSE_INTERVAL=1099511627776"});
  if (r.exit_status != 0 || !fs::exists(dump)) throw std::runtime_error("recording many_stacks failed: " + r.err);
  return dump;
}

// The in-use and allocated bytes of a gperftools header line.
struct HeaderBytes {
  int64_t inuse = 0, alloc = 0;
};
HeaderBytes header_bytes(const std::string& dump) {
  static const std::regex header(R"(^heap profile: *\d+: *(\d+) \[ *\d+: *(\d+)\] @ heapprofile)");
  std::smatch m;
  const std::string first = first_line(read_file(dump));
  if (!std::regex_search(first, m, header)) throw std::runtime_error("not a heapprofile header: " + first);
  return {std::stoll(m[1]), std::stoll(m[2])};
}

TEST(RecordLosses, ARealDumpOfMoreStacksThanOneMebibyteSaysGperftoolsCappedIt) {
  const std::string dump = many_stacks_dump();
  const uint64_t size = fs::file_size(dump);
  ASSERT_LT(size, 1u << 20);  // gperftools up to 2.15: the one buffer, NUL excluded
  ASSERT_GE(size + 1024, 1u << 20) << "the recording did not fill gperftools' buffer";
  const HeaderBytes header = header_bytes(dump);
  const CommandResult r = hprof_text({"--show_bytes", E2E_MANY_STACKS, dump});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  const int64_t records = total_of(parse_text_report(r.out));
  EXPECT_LT(records, header.inuse);
  EXPECT_EQ(r.err, fmt::format("hprof-text: warning: {}: the records add up to less than the header's totals: in-use "
                               "{} of {} bytes ({:.1f}% lost), ",
                               dump, records, header.inuse, 100.0 * double(header.inuse - records) / double(header.inuse)) +
                       r.err.substr(r.err.find("allocated ")));
  EXPECT_NE(r.err.find(fmt::format("(the dump is {} bytes, gperftools' limit: up to 2.15 it writes at most 1 MiB per "
                                   "dump and leaves out the records with the least in-use bytes",
                                   size)),
            std::string::npos)
      << r.err;
}

TEST(RecordLosses, ARealDumpWithALineCutOutOfItsMiddleIsOneWarning) {
  const std::string whole = read_file(cpp_workload_dump());
  // The second record line: the recursion's, or another; its in-use bytes are what goes missing.
  const std::size_t second = whole.find('\n', whole.find('\n') + 1) + 1;
  const std::size_t end = whole.find('\n', second) + 1;
  const std::string line = whole.substr(second, end - second);
  static const std::regex record(R"(^ *-?\d+: *(-?\d+) \[ *\d+: *(\d+)\] @)");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(line, m, record)) << line;
  const std::string damaged = scratch_dir() + "/damaged-" + std::to_string(getpid()) + ".heap";
  std::ofstream(damaged, std::ios::binary) << whole.substr(0, second) + whole.substr(end);
  const HeaderBytes header = header_bytes(damaged);

  const CommandResult r = hprof_text({"--show_bytes", E2E_WORKLOAD, damaged});
  fs::remove(damaged);
  ASSERT_EQ(r.exit_status, 0) << r.err;
  const int64_t inuse = header.inuse - std::stoll(m[1]), alloc = header.alloc - std::stoll(m[2]);
  EXPECT_EQ(total_of(parse_text_report(r.out)), inuse);
  // The whole of err but a warning about empty stacks, which a real
  // recording may have (without_unwind_warning would leave this one out too).
  EXPECT_EQ(count_of(r.err, "hprof-text: warning: "), count_of(r.err, "record(s) have an empty stack") + 1) << r.err;
  EXPECT_NE(r.err.find(fmt::format("hprof-text: warning: {}: the records add up to less than the header's totals: in-use {} of "
                        "{} bytes ({:.1f}% lost), allocated {} of {} bytes ({:.1f}% lost); the report shows the "
                        "records (lines are missing from the dump: a damaged or edited copy?)\n",
                        damaged, inuse, header.inuse, 100.0 * double(header.inuse - inuse) / double(header.inuse),
                        alloc, header.alloc, 100.0 * double(header.alloc - alloc) / double(header.alloc))),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace e2e
