#include "report/report.h"

namespace hprof {}  // namespace hprof
