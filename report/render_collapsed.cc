#include "report/render_collapsed.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <vector>

namespace hprof {
namespace {

std::string folded_name(const std::string& name) {
  std::string out = name;
  for (char& c : out) {
    if (c == ';') c = ':';
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

}  // namespace

std::string render_collapsed(const StackProfile& stacks) {
  std::vector<std::string> names;
  names.reserve(stacks.names.size());
  for (const std::string& name : stacks.names) names.push_back(folded_name(name));

  std::vector<std::string> lines;
  lines.reserve(stacks.stacks.size());
  for (const Stack& stack : stacks.stacks) {
    std::string line;
    for (std::size_t i = 0; i < stack.frames.size(); ++i) {
      if (i > 0) line += ';';
      line += names[stack.frames[i]];
    }
    fmt::format_to(std::back_inserter(line), " {}\n", stack.value);
    lines.push_back(std::move(line));
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const std::string& line : lines) out += line;
  return out;
}

}  // namespace hprof
