// The report's way to stdout (common/fd_output.h, cli/report_output.h) on
// real descriptors: a file, /dev/full, a pipe whose reader is gone.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <sstream>
#include <string>

#include "cli/report_output.h"
#include "cli_harness.h"
#include "common/fd_output.h"

namespace hprof::testing {
namespace {

class ReportOutput : public CliTest {};

TEST_F(ReportOutput, EverythingWrittenReachesTheFileAndStatusIsKept) {
  const std::string path = (dir_ / "report.txt").string();
  FdOutput output(open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644));
  std::ostream out(&output);
  const std::string big(200 * 1024, 'x');  // more than the buffer holds
  out << "Total: 1 B\n" << big;
  std::ostringstream err;
  EXPECT_EQ(finish_report_output(output, 0, err), 0);
  EXPECT_EQ(err.str(), "");
  EXPECT_EQ(read_file(path), "Total: 1 B\n" + big);
}

TEST_F(ReportOutput, AFullDeviceIsOneErrorLineAndStatusOne) {
  FdOutput output(open("/dev/full", O_WRONLY));
  std::ostream out(&output);
  out << "Total: 1 B\n";
  out << "more after the failure\n";
  std::ostringstream err;
  EXPECT_EQ(finish_report_output(output, 0, err), 1);
  EXPECT_EQ(err.str(), "hprof-text: error: cannot write the report to standard output: No space left on device\n");
}

TEST_F(ReportOutput, ADescriptorNeverWrittenIsNoErrorEvenWhenClosed) {
  FdOutput output(-1);  // what a closed stdout is, in a run that prints nothing
  std::ostringstream err;
  EXPECT_EQ(finish_report_output(output, 2, err), 2);
  EXPECT_EQ(err.str(), "");
}

TEST_F(ReportOutput, AReaderThatLeftIsNoError) {
  int ends[2];
  ASSERT_EQ(pipe(ends), 0);
  close(ends[0]);
  struct sigaction ignore {}, saved {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &saved);  // EPIPE rather than the signal
  FdOutput output(ends[1]);
  std::ostream out(&output);
  out << "Total: 1 B\n";
  std::ostringstream err;
  EXPECT_EQ(finish_report_output(output, 0, err), 0);
  EXPECT_EQ(output.error(), EPIPE);
  EXPECT_EQ(err.str(), "");
  sigaction(SIGPIPE, &saved, nullptr);
}

}  // namespace
}  // namespace hprof::testing
