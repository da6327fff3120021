#include "report/render_text.h"

#include <fmt/format.h>

#include <iterator>

#include "report/value_format.h"

namespace hprof {
namespace {

// Perl's Percent, minus its nan/inf: a zero base or a zero value prints 0.0%
// (never -0.0% for a zero value over a negative base).
std::string_view percent(int64_t value, int64_t base, char (&buf)[64]) {
  if (base == 0 || value == 0) return "0.0%";
  const double pct = static_cast<double>(value) * 100.0 / static_cast<double>(base);
  auto end = fmt::format_to_n(buf, sizeof buf, "{:.1f}%", pct).out;
  return std::string_view(buf, static_cast<std::size_t>(end - buf));
}

}  // namespace

std::string format_amount(int64_t value, const ReportOptions& options) {
  const ValueFormat format(options);
  fmt::memory_buffer out;
  format.append(out, value);
  fmt::format_to(std::back_inserter(out), " {}", format.unit());
  return fmt::to_string(out);
}

std::string format_exact_amount(int64_t value, const ReportOptions& options) {
  std::string amount = format_amount(value, options);
  if (is_space(options.sample_type) && !options.show_bytes) amount += fmt::format(" ({} B)", value);
  return amount;
}

std::string render_text(const Report& report, const ReportOptions& options) {
  const ValueFormat format(options);
  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out), "Total: {}\n", format_amount(report.total, options));

  const int64_t base = report.total;
  int64_t running = 0;
  char flat_pct[64], sum_pct[64], cum_pct[64];
  fmt::memory_buffer flat_str, cum_str;
  for (const ReportRow& row : report.rows) {
    running += row.flat;
    flat_str.clear();
    cum_str.clear();
    format.append(flat_str, row.flat);
    format.append(cum_str, row.cum);
    fmt::format_to(std::back_inserter(out), "{:>8} {:>6} {:>6} {:>8} {:>6} {}\n",
                   fmt::string_view(flat_str.data(), flat_str.size()), percent(row.flat, base, flat_pct),
                   percent(running, base, sum_pct), fmt::string_view(cum_str.data(), cum_str.size()),
                   percent(row.cum, base, cum_pct), row.name);
  }
  return fmt::to_string(out);
}

}  // namespace hprof
