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

// tests/e2e/workload/many_stacks.cc, recorded once per build: one dump, at
// exit, as gperftools wrote it: without the record the harness adds
// (force_recording_properties), which would take it past 1 MiB.
std::string many_stacks_dump() {
  const std::string dir = scratch_dir() + "/many-stacks";
  DirLock lock(dir);
  const std::string dump = dir + "/as-written.heap";
  if (newer_than(dump, {E2E_MANY_STACKS, TCMALLOC})) return dump;
  const TcmallocRecording recording =
      record_under_tcmalloc({E2E_MANY_STACKS}, dir + "/many",
                            {"HEAP_PROFILE_ALLOCATION_INTERVAL=1099511627776", "HEAP_PROFILE_INUSE_INTERVAL=1099511627776"});
  std::string text = read_file(recording.dumps.at(0));
  const std::string forced = fmt::format("1: {0} [1: {0}] @\n", kForcedEmptyStackBytes);
  const std::size_t at = text.find("\n" + forced);
  if (at == std::string::npos) throw std::runtime_error("no forced record in " + recording.dumps.at(0));
  text.erase(at + 1, forced.size());
  static const std::regex header(R"(^heap profile:\s*(\d+):\s*(\d+)\s*\[\s*(\d+):\s*(\d+)\s*\])");
  std::smatch m;
  const std::string first = first_line(text);
  if (!std::regex_search(first, m, header)) throw std::runtime_error("not a header: " + first);
  auto less = [&](int group, int64_t by) { return std::stoll(m[group]) - by; };
  const std::string restored = fmt::format("heap profile: {:6}: {:8} [{:6}: {:8}] @ heapprofile", less(1, 1),
                                           less(2, kForcedEmptyStackBytes), less(3, 1), less(4, kForcedEmptyStackBytes));
  text.replace(0, first.size(), restored);
  std::ofstream(dump + ".tmp", std::ios::binary) << text;
  fs::rename(dump + ".tmp", dump);
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
  EXPECT_EQ(r.err, "");  // the warning describes the recording: recording_warnings
  EXPECT_EQ(r.recording_warnings, fmt::format("hprof-text: warning: {}: the records add up to less than the header's totals: in-use "
                               "{} of {} bytes ({:.1f}% lost), ",
                               dump, records, header.inuse, 100.0 * double(header.inuse - records) / double(header.inuse)) +
                       r.recording_warnings.substr(r.recording_warnings.find("allocated ")));
  EXPECT_NE(r.recording_warnings.find(fmt::format("(the dump is {} bytes, gperftools' limit: up to 2.15 it writes at most 1 MiB per "
                                   "dump and leaves out the records with the least in-use bytes",
                                   size)),
            std::string::npos)
      << r.recording_warnings;
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
  // A warning of the harness's list (describes_recording): in recording_warnings.
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(count_of(r.recording_warnings, "the records add up to"), 1u) << r.recording_warnings;
  EXPECT_NE(r.recording_warnings.find(fmt::format("hprof-text: warning: {}: the records add up to less than the header's totals: in-use {} of "
                        "{} bytes ({:.1f}% lost), allocated {} of {} bytes ({:.1f}% lost); the report shows the "
                        "records (lines are missing from the dump: a damaged or edited copy?)\n",
                        damaged, inuse, header.inuse, 100.0 * double(header.inuse - inuse) / double(header.inuse),
                        alloc, header.alloc, 100.0 * double(header.alloc - alloc) / double(header.alloc))),
            std::string::npos)
      << r.recording_warnings;
}

}  // namespace
}  // namespace e2e
