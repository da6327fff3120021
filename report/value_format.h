// How the reports print a value of the chosen sample index: the Perl pprof's
// Unparse (MiB with one decimal), integer bytes with --show_bytes, integer
// object counts.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string_view>

#include "report/report.h"

namespace hprof {

class ValueFormat {
 public:
  explicit ValueFormat(const ReportOptions& options);

  // "MB", "B" or "objects".
  std::string_view unit() const { return unit_; }
  // `value` in the unit, without the unit: "18.0", "18874368".
  void append(fmt::memory_buffer& out, int64_t value) const;
  // The same with the sign of a difference: "+18.0", "-0.5"; an exact zero
  // has none ("0.0"), a change that rounds to zero keeps its ("+0.0").
  void append_signed(fmt::memory_buffer& out, int64_t value) const;

 private:
  bool megabytes_;
  std::string_view unit_;
};

}  // namespace hprof
