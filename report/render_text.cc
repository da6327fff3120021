#include "report/render_text.h"

namespace hprof {}  // namespace hprof
