// Trends written out by hand for the tests of their renderers: rows as
// build_trend makes them, change and marker following the values.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "report/trend.h"

namespace hprof::testing {

inline TrendRow trend_row(std::string name, std::vector<int64_t> values) {
  TrendRow r{std::move(name), std::move(values)};
  r.change = r.values.back() - r.values.front();
  r.grew_every_step = std::adjacent_find(r.values.begin(), r.values.end(),
                                         [](int64_t a, int64_t b) { return b <= a; }) == r.values.end();
  return r;
}

inline Trend make_trend(DumpLabels dumps, TrendRow total, std::vector<TrendRow> rows) {
  Trend t;
  t.dumps = std::move(dumps);
  t.total = std::move(total);
  t.rows = std::move(rows);
  return t;
}

}  // namespace hprof::testing
