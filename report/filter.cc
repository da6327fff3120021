#include "report/filter.h"

#include <re2/re2.h>

namespace hprof {

std::optional<std::string> regex_error(const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  RE2 re(pattern, options);
  if (re.ok()) return std::nullopt;
  return re.error();
}

}  // namespace hprof
