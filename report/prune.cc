#include "report/prune.h"

namespace hprof {}  // namespace hprof
