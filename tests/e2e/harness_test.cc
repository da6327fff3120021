// The harness's rule for warnings about a recording (harness.h): what a real
// recording now and then holds is kept apart from what a test checks, and
// every recording holds it, so that no test can depend on its absence.
#include <gtest/gtest.h>

#include <regex>
#include <stdexcept>
#include <string>

#include "harness.h"
#include "jvm_perf_map_recording.h"

namespace e2e {
namespace {

const std::string kForcedWarning = "1 record(s) have an empty stack";

TEST(RecordingWarnings, AnEmptyStackWarningDescribesTheRecording) {
  EXPECT_TRUE(describes_recording("hprof-text: warning: a.heap: 3 record(s) have an empty stack: they count in "
                                  "Total but name no function (the profiler could not unwind them)\n"));
}

TEST(RecordingWarnings, JitCodeCompiledAfterThePerfMapDescribesTheRecording) {
  EXPECT_TRUE(describes_recording("hprof-text: warning: a.heap: 2 of the 90 distinct PCs in JIT code are in no "
                                  "entry of the perf map; they stay [anon:jit] (...)\n"));
}

TEST(RecordingWarnings, APerfMapThatCoversNoJitPcIsAboutTheCommandNotTheRecording) {
  EXPECT_FALSE(describes_recording("hprof-text: warning: a.heap: none of the 90 distinct PCs in JIT code is in an "
                                   "entry of the perf map; they stay [anon:jit] (...)\n"));
}

TEST(RecordingWarnings, OtherWarningsAreWhatTestsCheck) {
  EXPECT_FALSE(describes_recording("hprof-text: warning: --focus=x matched no samples\n"));
}

TEST(RecordingWarnings, RunCommandRefusesHprofTextSoThatNoTestForgetsTheRule) {
  EXPECT_THROW(run_command({hprof_text_binary(), "--version"}), std::logic_error);
}

TEST(RecordingWarnings, RunCommandRefusesToRecordSoThatEveryRecordingHasTheForcedRecords) {
  EXPECT_THROW(run_command({E2E_WORKLOAD}, {"HEAPPROFILE=" + scratch_dir() + "/never/rec"}), std::logic_error);
}

TEST(RecordingWarnings, TheCppRecordingHasAForcedEmptyStackKeptApartFromErr) {
  CommandResult r = hprof_text({"--show_bytes", E2E_WORKLOAD, cpp_workload_dump()});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(count_of(r.recording_warnings, kForcedWarning), 1u) << r.recording_warnings;
  EXPECT_EQ(r.err, "");
}

TEST(RecordingWarnings, EveryDumpOfTheCppSeriesHasAForcedEmptyStack) {
  for (const std::string& dump : cpp_workload_series()) {
    CommandResult r = hprof_text({E2E_WORKLOAD, dump});
    ASSERT_EQ(r.exit_status, 0) << r.err;
    EXPECT_EQ(count_of(r.recording_warnings, kForcedWarning), 1u) << dump << ": " << r.recording_warnings;
  }
}

TEST(RecordingWarnings, EveryJvmDumpHasAForcedEmptyStackOfItsOwn) {
  // A real JVM recording may have unwound-nothing records of its own: at least one.
  for (const std::string& dump : jvm_dumps()) {
    CommandResult r = hprof_text({java_program(), dump});
    ASSERT_EQ(r.exit_status, 0) << r.err;
    EXPECT_NE(r.recording_warnings.find("record(s) have an empty stack"), std::string::npos) << dump;
    EXPECT_EQ(r.err.find("empty stack"), std::string::npos) << r.err;
  }
}

TEST(RecordingWarnings, ThePerfMapRecordingHasAForcedEmptyStack) {
  const JvmPerfMapRecording recording = jvm_perf_map_recording();
  CommandResult r = hprof_text({"--perf-map=" + recording.perf_map, java_program(), recording.dump});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.recording_warnings.find("record(s) have an empty stack"), std::string::npos);
}

TEST(RecordingWarnings, TheForcedRecordKeepsTheHeaderAndTheRecordsInAgreement) {
  // The header's in-use bytes grew with the record: they are still what the
  // records add up to, so the dump reads as whole.
  const int64_t total = total_of(report_of({"--show_bytes", E2E_WORKLOAD, cpp_workload_dump()}));
  const std::string header = first_line(read_file(cpp_workload_dump()));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(header, m, std::regex(R"(^heap profile:\s*\d+:\s*(\d+)\s*\[)"))) << header;
  EXPECT_EQ(std::stoll(m[1]), total) << header;
}

}  // namespace
}  // namespace e2e
