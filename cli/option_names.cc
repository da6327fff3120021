#include "cli/option_names.h"

#include <algorithm>
#include <cstddef>
#include <numeric>

namespace hprof {
namespace {

std::string dashed(std::string_view name) {
  std::string s(name);
  std::replace(s.begin(), s.end(), '_', '-');
  return s;
}

// Levenshtein distance, one row at a time.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::optional<std::string> spelled_option(std::string_view typed, const std::vector<std::string>& known) {
  const std::string key = dashed(typed);
  for (const std::string& name : known) {
    if (dashed(name) == key) return name;
  }
  return std::nullopt;
}

std::optional<std::string> closest_option(std::string_view typed, const std::vector<std::string>& known) {
  const std::string key = dashed(typed);
  const std::size_t allowed = key.size() <= 4 ? 1 : 2;
  std::optional<std::string> best;
  std::size_t best_distance = allowed + 1;
  std::vector<const std::string*> extending;  // names that `typed` begins
  for (const std::string& name : known) {
    const std::string candidate = dashed(name);
    if (!key.empty() && candidate.starts_with(key)) extending.push_back(&name);
    const std::size_t distance = edit_distance(key, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = name;
    }
  }
  if (best) return best;
  if (extending.size() == 1) return *extending.front();
  return std::nullopt;
}

}  // namespace hprof
