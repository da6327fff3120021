#include "report/value_format.h"

#include <iterator>

namespace hprof {

ValueFormat::ValueFormat(const ReportOptions& options)
    : megabytes_(is_space(options.sample_type) && !options.show_bytes),
      unit_(!is_space(options.sample_type) ? "objects" : (options.show_bytes ? "B" : "MB")) {}

void ValueFormat::append(fmt::memory_buffer& out, int64_t value) const {
  if (megabytes_) {
    fmt::format_to(std::back_inserter(out), "{:.1f}", static_cast<double>(value) / 1048576.0);
  } else {
    fmt::format_to(std::back_inserter(out), "{}", value);
  }
}

void ValueFormat::append_signed(fmt::memory_buffer& out, int64_t value) const {
  if (value > 0) out.push_back('+');
  append(out, value);
}

}  // namespace hprof
