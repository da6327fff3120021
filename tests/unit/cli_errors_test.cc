// The error catalogue (docs/errors.md), one case each, through run() as the
// binary calls it: exactly one line "hprof-text: error: FILE[:LINE]: ...",
// status 1, nothing on stdout.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <thread>

#include "cli_harness.h"

namespace hprof {
namespace {

using testing::kHeader;
using testing::Outcome;
using testing::run_with;
using CliError = testing::CliTest;

// A profile that reads without error.
const std::string kGoodProfile = std::string(kHeader) + "   3:  3000 [   3:  3000] @ 0x1000\n";

// The whole contract of an error: its one line, status 1, no report.
void expect_error(const Outcome& o, const std::string& line) {
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.err, "hprof-text: error: " + line + "\n");
  EXPECT_EQ(o.out, "");
}

TEST_F(CliError, EmptyFile) {
  const std::string path = write("empty.heap", "");
  expect_error(run_with({path}), path + ": empty file, not a heap profile");
}

TEST_F(CliError, TextThatIsNotAProfile) {
  const std::string path = write("notes.txt", "hello world\n");
  expect_error(run_with({path}), path +
                                     ":1: not a heap profile (the first line is neither gperftools' 'heap profile: "
                                     "...' nor jemalloc's 'heap_v2/N')");
}

TEST_F(CliError, BinaryData) {
  const std::string path = write("random.bin", std::string("\x89\x01\x00\xfe\x10 heap profile:", 20));
  expect_error(run_with({path}), path + ":1: binary data, not a text heap profile");
}

TEST_F(CliError, ElfFileAfterTheProfileSaysTheProgramGoesFirst) {
  // The test binary itself: a real ELF file, given where a profile goes (the
  // arguments swapped).  The profile before it has no maps: a warning first.
  const std::string self = std::filesystem::canonical("/proc/self/exe").string();
  const Outcome o = run_with({write("a.heap", kGoodProfile), self});
  EXPECT_EQ(o.status, 1);
  EXPECT_TRUE(o.err.ends_with("hprof-text: error: " + self +
                              ":1: this is an ELF file, not a heap profile; the program goes first: "
                              "hprof-text PROGRAM PROFILE\n"))
      << o.err;
  EXPECT_EQ(o.out, "");
}

TEST_F(CliError, GperftoolsCpuProfile) {
  // What CPUPROFILE= writes on x86-64: header words 0, 3, 0, period 10000, 0,
  // one sample (count 1, depth 1, pc), the trailer 0, 1, 0.
  const uint64_t words[] = {0, 3, 0, 10000, 0, 1, 1, 0x401000, 0, 1, 0};
  const std::string path = write("app.prof", std::string(reinterpret_cast<const char*>(words), sizeof words));
  expect_error(run_with({path}), path +
                                     ":1: this is a gperftools CPU profile, not a heap profile (heap profiles are "
                                     "the .heap files written under HEAPPROFILE=PREFIX)");
}

TEST_F(CliError, PprofProtobufProfile) {
  // What --proto writes: pprof's gzip-compressed profile.proto.
  const Outcome proto = run_with({"--proto", write("a.heap", kGoodProfile)});
  ASSERT_EQ(proto.status, 0) << proto.err;
  const std::string path = write("a.pb.gz", proto.out);
  expect_error(run_with({path}), path +
                                     ":1: this is gzip-compressed data, such as a pprof protobuf profile, not a heap "
                                     "profile: hprof-text reads the text heap profiles that gperftools and jemalloc "
                                     "write (gunzip a compressed one first)");
}

TEST_F(CliError, Directory) { expect_error(run_with({dir_.string()}), dir_.string() + ": is a directory"); }

TEST_F(CliError, MissingPath) {
  const std::string path = (dir_ / "nope.heap").string();
  expect_error(run_with({path}), path + ": No such file or directory");
}

TEST_F(CliError, DevZeroIsRefusedUnread) {
  expect_error(run_with({"/dev/zero"}), "/dev/zero: not a regular file");
}

// A writer that sends `first` and keeps the FIFO open until the run is over.
Outcome run_on_fifo_held_open(const std::string& fifo, const std::string& first) {
  std::promise<void> done;
  std::thread writer([&fifo, &first, finished = done.get_future()] {
    const int fd = open(fifo.c_str(), O_WRONLY);
    if (fd < 0) return;
    [[maybe_unused]] const ssize_t sent = ::write(fd, first.data(), first.size());
    finished.wait_for(std::chrono::seconds(30));
    close(fd);
  });
  std::future<Outcome> outcome = std::async(std::launch::async, [&] { return run_with({fifo}); });
  const bool answered = outcome.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
  done.set_value();  // the writer closes: a run still waiting gets end of file
  // A writer still waiting for a reader (the run never opened the FIFO) gets one.
  const int reader = open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  writer.join();
  if (reader >= 0) close(reader);
  Outcome o = outcome.get();
  EXPECT_TRUE(answered) << "run() waited for the writer to close the FIFO";
  return o;
}

TEST_F(CliError, FifoIsAnsweredFromItsFirstLineWhileTheWriterKeepsItOpen) {
  const std::string fifo = (dir_ / "pipe").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  expect_error(run_on_fifo_held_open(fifo, "garbage\n"),
               fifo + ":1: not a heap profile (the first line is neither gperftools' 'heap profile: ...' nor "
                      "jemalloc's 'heap_v2/N')");
}

TEST_F(CliError, FifoSendingBinaryIsAnsweredBeforeAnyNewline) {
  const std::string fifo = (dir_ / "pipe").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  expect_error(run_on_fifo_held_open(fifo, std::string("\0\0\0\0\x7f", 5)),
               fifo + ":1: binary data, not a text heap profile");
}

TEST_F(CliError, MalformedRecordNamesItsLine) {
  const std::string path = write("bad.heap", std::string(kHeader) + "   1:  1000 [   1:  1000] @ 0x1000\n   garbage\n");
  expect_error(run_with({path}),
               path + ":3: malformed record: expected 'count: bytes [count: bytes] @ addresses'");
}

TEST_F(CliError, CountThatOverflows64Bits) {
  const std::string path =
      write("big.heap", std::string(kHeader) + "   1:  99999999999999999999 [   1:  1000] @ 0x1000\n");
  expect_error(run_with({path}), path + ":2: number out of range '99999999999999999999'");
}

TEST_F(CliError, AddressThatOverflows64Bits) {
  const std::string path =
      write("wide.heap", std::string(kHeader) + "   1:  1000 [   1:  1000] @ 0x1000 0x10000000000000000\n");
  expect_error(run_with({path}), path + ":2: number out of range '0x10000000000000000'");
}

TEST_F(CliError, CountZeroWithBytes) {
  const std::string path = write("zero.heap", std::string(kHeader) + "   0:  1000 [   1:  1000] @ 0x1000\n");
  expect_error(run_with({path}), path + ":2: in-use count is 0 but in-use bytes is 1000");
}

TEST_F(CliError, PerfMapThatIsADirectory) {
  // A missing map: CliPerfMap.AMissingMapIsAnInputErrorAndNoReport.
  expect_error(run_with({"--perf-map=" + dir_.string(), write("a.heap", kGoodProfile)}),
               dir_.string() + ": cannot read the perf map (--perf-map): is a directory");
}

TEST_F(CliError, MissingBase) {
  const std::string base = (dir_ / "gone.heap").string();
  expect_error(run_with({"--base=" + base, write("now.heap", kGoodProfile)}),
               base + ": No such file or directory (the --base)");
}

TEST_F(CliError, BaseThatIsNotAProfile) {
  // The profile has no memory map, which is a warning: the --base is read
  // first, so its error comes alone.
  const std::string base = write("notes.txt", "hello\n");
  expect_error(run_with({"--base=" + base, write("now.heap", kGoodProfile)}),
               base +
                   ":1: not a heap profile (the first line is neither gperftools' 'heap profile: ...' nor "
                   "jemalloc's 'heap_v2/N') (the --base)");
}

}  // namespace
}  // namespace hprof
