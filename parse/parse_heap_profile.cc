#include "parse/parse_heap_profile.h"

namespace hprof {}  // namespace hprof
