#include "parse/heap_profile.h"

namespace hprof {}  // namespace hprof
