#include "go_comparison.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>

#include "harness.h"

namespace e2e {

GoComparison compare_with_go_report(const std::string& ours, const std::string& go) {
  TextReport our_report = parse_text_report(ours);
  auto go_rows = parse_go_report(go);
  EXPECT_FALSE(go_rows.empty()) << go;

  std::map<std::string, int> rows_per_function;
  for (const auto& [name, row] : our_report.rows) ++rows_per_function[function_of(name)];

  GoComparison c;
  for (const auto& [name, go_row] : go_rows) {
    auto it = our_report.rows.find(name);
    if (it == our_report.rows.end() || rows_per_function[function_of(name)] != 1) continue;
    ++c.agreeing_names;
    EXPECT_EQ(it->second.flat, go_row.flat) << "flat of " << name;
    EXPECT_EQ(it->second.cum, go_row.cum) << "cum of " << name;
  }
  // Code no symbol covers is "object+0xSTART" here and "[object]" there.
  static const std::regex honest_unknown(R"(^\S+\+0x[0-9a-f]+$)");
  for (const auto& [name, row] : our_report.rows) {
    if (row.flat != 0 && !go_rows.count(name) && !std::regex_match(name, honest_unknown)) {
      c.our_flat_rows_unknown_to_go.push_back(name);
    }
  }
  return c;
}

}  // namespace e2e
