#include <unistd.h>

#include <iostream>
#include <ostream>

#include "cli/report_output.h"
#include "cli/run.h"
#include "common/fd_output.h"

int main(int argc, char** argv) {
  // Standard output through a checked descriptor: a report that cannot be
  // written is an error, not a silent exit 0.
  hprof::FdOutput stdout_output(STDOUT_FILENO);
  std::ostream out(&stdout_output);
  const int status = hprof::run(argc, argv, out, std::cerr, isatty(STDERR_FILENO) == 1, isatty(STDOUT_FILENO) == 1);
  return hprof::finish_report_output(stdout_output, status, std::cerr);
}
