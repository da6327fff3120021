#include "parse/proc_maps.h"

namespace hprof {}  // namespace hprof
