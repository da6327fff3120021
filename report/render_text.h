// The Perl pprof --text layout: "Total: ..." then rows of
// "%8s %6s %6s %8s %6s %s" = flat, flat%, sum%, cum, cum%, name.
#pragma once

#include <string>

#include "report/report.h"

namespace hprof {

std::string render_text(const Report& report, const ReportOptions& options);

}  // namespace hprof
