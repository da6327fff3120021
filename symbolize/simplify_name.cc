#include "symbolize/simplify_name.h"

namespace hprof {}  // namespace hprof
