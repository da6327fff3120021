// The Perl pprof --text layout: "Total: ..." then rows of
// "%8s %6s %6s %8s %6s %s" = flat, flat%, sum%, cum, cum%, name.
#pragma once

#include <string>

#include "report/report.h"

namespace hprof {

std::string render_text(const Report& report, const ReportOptions& options);

// A value as the Total line prints it, unit included: "595.1 MB", "1234 B"
// (--show_bytes), "600 objects".
std::string format_amount(int64_t value, const ReportOptions& options);
// The same, with the bytes too when in MB, for tooltips: "3.0 MB (3145728 B)".
std::string format_exact_amount(int64_t value, const ReportOptions& options);

}  // namespace hprof
