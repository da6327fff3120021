// How to find the files a profile names: the user's overrides of the paths in
// the profile's memory map and of where separate debug files live.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace hprof {

struct SymbolizeOptions {
  // PROGRAM: replaces the path of the profile's main executable.
  std::optional<std::string> program;
  // --lib_prefix (Perl's rule): each prefix + the profile's path, then the
  // path with leading directories dropped one by one; first existing wins.
  std::vector<std::string> lib_prefixes;
  // --debug-dir: searched for separate debug files by build-id
  // (DIR/.build-id/xx/yyyy.debug) and by .gnu_debuglink, like gdb's
  // debug-file-directory; before the system's /usr/lib/debug.
  std::vector<std::string> debug_dirs;
  // --perf-map: perf maps ("START SIZE NAME", e.g. HotSpot's
  // /tmp/perf-<pid>.map) that name the PCs in anonymous executable memory.
  std::vector<std::string> perf_maps;
  // --verbose: per mapping on stderr, the file used, its build-id, where
  // symbols and debug info came from, how many PCs resolved.
  bool verbose = false;
  // The symbol index directory (--cache-dir, else the default under
  // XDG_CACHE_HOME or ~/.cache); empty: no index (--no-cache).
  std::string index_dir;
};

}  // namespace hprof
