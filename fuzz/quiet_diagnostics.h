// Diagnostics whose warnings go nowhere: a fuzz target's output would only
// slow the fuzzer down and hide its own report.
#pragma once

#include <ostream>

#include "common/diagnostics.h"

namespace hprof::fuzz {

class QuietDiagnostics {
 public:
  Diagnostics& get() { return diags_; }

 private:
  std::ostream nowhere_{nullptr};  // no buffer: every write is dropped
  Diagnostics diags_{nowhere_};
};

}  // namespace hprof::fuzz
