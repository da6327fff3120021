#include "common/diagnostics.h"

namespace hprof {

void print_error(std::ostream& out, std::string_view message) {
  std::string line = "hprof-text: error: ";
  line += message;
  line += '\n';
  out << line;
}

bool Diagnostics::warn_once(const std::string& key, const std::string& message) {
  if (!seen_.insert(key).second) return false;
  ++count_;
  *sink_ << "hprof-text: warning: " << message << '\n';
  return true;
}

void Diagnostics::note(const std::string& message) { *sink_ << "hprof-text: " << message << '\n'; }

}  // namespace hprof
