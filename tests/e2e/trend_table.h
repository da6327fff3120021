// Reads hprof-text's --trend text back into numbers; shared by the tests of
// --trend and --trend-chart.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace e2e {

struct TrendLine {
  std::vector<int64_t> values;  // one per dump
  int64_t change = 0;
  bool marked = false;  // "+": grew in every step
  std::string name;
};

struct TrendTable {
  std::string first_line;
  std::vector<std::string> labels;
  TrendLine total;
  std::vector<TrendLine> rows;  // in printed order
  const TrendLine* find(const std::string& name) const;
  std::size_t position(const std::string& name) const;  // rows.size() when absent
};

// Reads a --trend of `dumps` profiles (integer values: --show_bytes or
// objects); throws std::runtime_error at a line that is not a row.
TrendTable parse_trend(const std::string& text, std::size_t dumps);

}  // namespace e2e
