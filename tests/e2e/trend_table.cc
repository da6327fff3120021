#include "trend_table.h"

#include <regex>
#include <sstream>
#include <stdexcept>

namespace e2e {

const TrendLine* TrendTable::find(const std::string& name) const {
  for (const TrendLine& row : rows) {
    if (row.name == name) return &row;
  }
  return nullptr;
}

std::size_t TrendTable::position(const std::string& name) const {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].name == name) return i;
  }
  return rows.size();
}

TrendTable parse_trend(const std::string& text, std::size_t dumps) {
  std::string pattern = R"(^)";
  for (std::size_t d = 0; d < dumps; ++d) pattern += R"(\s*(-?\d+))";
  pattern += R"(\s+([+-]?\d+) ([+ ]) (.*)$)";
  const std::regex row(pattern);
  TrendTable table;
  std::istringstream in(text);
  std::string line;
  std::getline(in, table.first_line);
  std::getline(in, line);
  std::istringstream labels(line);
  for (std::string label; labels >> label;) table.labels.push_back(label);
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_match(line, m, row)) throw std::runtime_error("not a trend row: " + line);
    TrendLine parsed;
    for (std::size_t d = 0; d < dumps; ++d) parsed.values.push_back(std::stoll(m[d + 1]));
    parsed.change = std::stoll(m[dumps + 1]);
    parsed.marked = m[dumps + 2] == "+";
    parsed.name = m[dumps + 3];
    if (table.total.name.empty()) {
      table.total = parsed;  // the first row
    } else {
      table.rows.push_back(parsed);
    }
  }
  return table;
}

}  // namespace e2e
