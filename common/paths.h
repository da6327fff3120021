// Small helpers on path strings, shared by the symbolizer's messages and labels.
#pragma once

#include <string>

namespace hprof {

// The last component of `path` ("libz.so.1" for "/usr/lib/libz.so.1").
inline std::string basename_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace hprof
