// The end of every run's output on standard output, whatever the mode.
#pragma once

#include <ostream>

#include "common/fd_output.h"

namespace hprof {

// Flushes and closes `output` (standard output), then returns the run's exit
// status: `status`, or 1 after one line on `err` when the report could not
// be written (a full disk, a closed stdout).  A reader that went away (EPIPE,
// `| head` with SIGPIPE ignored) is not an error: the reader chose to stop.
int finish_report_output(FdOutput& output, int status, std::ostream& err);

}  // namespace hprof
