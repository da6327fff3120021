// A run that takes long says, on a terminal, what it is doing: one line on
// stderr, redrawn in place and erased (cli/progress_ticker.h).  Not on a
// file or a pipe.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>

#include "harness.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;

// stderr without the progress line: its erasures ("\r", blanks, "\r") and
// its drawings ("\rhprof-text: WHAT ...", with blanks and the text again
// over a longer line).
std::string without_progress_line(const std::string& err) {
  static const std::regex erasure("\r +\r");
  static const std::regex drawing("\rhprof-text: [^\r\n]* \\.\\.\\.( +\rhprof-text: [^\r\n]* \\.\\.\\.)?");
  return std::regex_replace(std::regex_replace(err, erasure, ""), drawing, "");
}

// Runs hprof-text on the C++ workload's dump given through a FIFO that
// holds back the second half of the dump for three seconds.
CommandResult run_on_slow_fifo(bool stderr_terminal) {
  const std::string dir = scratch_dir() + "/progress." + std::to_string(getpid());
  fs::create_directories(dir);
  const std::string fifo = dir + "/slow.heap";
  fs::remove(fifo);
  if (mkfifo(fifo.c_str(), 0600) != 0) throw std::runtime_error("mkfifo " + fifo);
  const std::string dump = read_file(cpp_workload_dump());
  std::thread writer([&] {
    const int fd = open(fifo.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return;
    const std::size_t half = dump.size() / 2;
    if (write(fd, dump.data(), half) < 0) ADD_FAILURE() << "write";
    std::this_thread::sleep_for(std::chrono::seconds(3));
    if (write(fd, dump.data() + half, dump.size() - half) < 0) ADD_FAILURE() << "write";
    close(fd);
  });
  RunOptions options;
  options.stderr_terminal = stderr_terminal;
  const CommandResult r = hprof_text({"--show_bytes", E2E_WORKLOAD, fifo}, options);
  writer.join();
  fs::remove_all(dir);
  return r;
}

// The recording's forced empty-stack warning (harness.h) is printed while
// the line is shown: run_report moves its line, drawings and all, to
// recording_warnings.
TEST(ProgressLine, ASlowReadOnATerminalSaysWhatItReadsThenErasesIt) {
  const CommandResult r = run_on_slow_fifo(true);
  ASSERT_EQ(r.exit_status, 0) << r.err;
  const std::string stderr_text = r.recording_warnings + r.err;
  EXPECT_NE(stderr_text.find("\rhprof-text: reading slow.heap ..."), std::string::npos) << stderr_text;
  EXPECT_EQ(r.out.rfind("Total: ", 0), 0u) << r.out;
  // Erased, and the messages are those of a run without a terminal.
  const CommandResult plain = run_on_slow_fifo(false);
  EXPECT_EQ(without_progress_line(r.err), plain.err);
  EXPECT_EQ(without_progress_line(r.recording_warnings), plain.recording_warnings);
  EXPECT_EQ(r.out, plain.out);
}

TEST(ProgressLine, ASlowReadNotOnATerminalShowsNothing) {
  const CommandResult r = run_on_slow_fifo(false);
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.recording_warnings.find('\r'), std::string::npos) << r.recording_warnings;
  EXPECT_EQ(r.out.rfind("Total: ", 0), 0u) << r.out;
}

// The line shown from the start (HPROF_TEXT_PROGRESS_DELAY_MS=0), so that
// what a JVM run reads is seen however fast the machine: libjvm's debug
// info, inflated for most of the run.
TEST(ProgressLine, AJvmRunSaysItReadsTheDebugInfoOfLibjvm) {
  const CommandResult r =
      run_report({hprof_text_binary(), "--no-cache", java_program(), jvm_dumps().front()},
                 {"HPROF_TEXT_PROGRESS_DELAY_MS=0"}, RunOptions{.cwd = "", .stderr_terminal = true});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  // The line shares a line of stderr with the warnings the recording gets
  // (it is erased before them, with '\r' alone).
  const std::string stderr_text = r.recording_warnings + r.err;
  EXPECT_NE(stderr_text.find("\rhprof-text: reading the debug info of libjvm.so ..."), std::string::npos)
      << stderr_text;
}

}  // namespace
}  // namespace e2e
