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
  if (sink_ == nullptr) {
    kept_.push_back(Kept{true, key, message});
  } else {
    *sink_ << "hprof-text: warning: " << message << '\n';
  }
  return true;
}

void Diagnostics::note(const std::string& message) {
  if (sink_ == nullptr) {
    kept_.push_back(Kept{false, {}, message});
  } else {
    *sink_ << "hprof-text: " << message << '\n';
  }
}

void Diagnostics::replay(Diagnostics& into) const {
  for (const Kept& k : kept_) {
    if (k.warning) {
      into.warn_once(k.key, k.message);
    } else {
      into.note(k.message);
    }
  }
}

}  // namespace hprof
