#include "symbolize/names/jit_name.h"

namespace hprof {

std::string jit_function_name(std::string_view name) {
  // One "(" and one ")", the ")" last: Java types have no parentheses.
  const std::size_t open = name.find('(');
  if (open == std::string_view::npos || name.find_first_of("()", open + 1) != name.size() - 1) {
    return std::string(name);
  }
  // Before "(": exactly two words, the return type and CLASS.METHOD.
  const std::string_view head = name.substr(0, open);
  const std::size_t space = head.find(' ');
  if (space == 0 || space == std::string_view::npos || head.find(' ', space + 1) != std::string_view::npos) {
    return std::string(name);
  }
  const std::string_view method = head.substr(space + 1);
  const std::size_t dot = method.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == method.size()) return std::string(name);
  return std::string(method);
}

}  // namespace hprof
