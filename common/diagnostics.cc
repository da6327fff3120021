#include "common/diagnostics.h"

namespace hprof {

bool Diagnostics::warn_once(const std::string& key, const std::string& message) {
  if (!seen_.insert(key).second) return false;
  ++count_;
  *sink_ << "hprof-text: warning: " << message << '\n';
  return true;
}

void Diagnostics::note(const std::string& message) { *sink_ << "hprof-text: " << message << '\n'; }

}  // namespace hprof
