// Where symbol indexes are kept unless --cache-dir says otherwise.
#pragma once

#include <string>

namespace hprof {

// The default index directory (--cache-dir overrides it):
// $XDG_CACHE_HOME/hprof-text when XDG_CACHE_HOME is an absolute path, else
// $HOME/.cache/hprof-text; empty when neither is set.
std::string default_cache_dir();

}  // namespace hprof
