#include "symbolize/index/cache_dir.h"

#include <cstdlib>

namespace hprof {

std::string default_cache_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/hprof-text";  // the spec ignores relative ones
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0') return std::string(home) + "/.cache/hprof-text";
  return "";
}

}  // namespace hprof
