// --focus and --ignore: keep or drop whole samples by the names, source files
// and object files of their frames (RE2, unanchored, like the Go pprof).
#pragma once

#include <optional>
#include <string>

#include "symbolize/resolve.h"

namespace hprof {

struct FilterOptions {
  std::string focus;   // empty: no focus
  std::string ignore;  // empty: nothing ignored
};

// RE2's reason when `pattern` does not compile; nullopt when it does.
std::optional<std::string> regex_error(const std::string& pattern);

}  // namespace hprof
