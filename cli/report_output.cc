#include "cli/report_output.h"

#include <cerrno>
#include <cstring>
#include <string>

#include "common/diagnostics.h"

namespace hprof {

int finish_report_output(FdOutput& output, int status, std::ostream& err) {
  const int error = output.close();
  if (error == 0 || error == EPIPE) return status;
  print_error(err, std::string("cannot write the report to standard output: ") + std::strerror(error));
  return 1;
}

}  // namespace hprof
