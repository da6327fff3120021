// Warnings for stderr, each printed once per cause.  Libraries never write to
// stdout or stderr themselves; they report here.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace hprof {

// Prints "hprof-text: error: MESSAGE" and a newline to `out`: the form of
// every error, whatever its exit status.
void print_error(std::ostream& out, std::string_view message);

class Diagnostics {
 public:
  explicit Diagnostics(std::ostream& sink) : sink_(&sink) {}
  // One that prints nothing and keeps what it is told, in order, for
  // replay(): what a stage says while it runs ahead of its turn.
  Diagnostics() = default;

  // Prints "hprof-text: warning: MESSAGE" unless a warning with the same key
  // was printed before.  Returns true when it was printed.
  bool warn_once(const std::string& key, const std::string& message);
  // Same, keyed by the message itself.
  bool warn_once(const std::string& message) { return warn_once(message, message); }

  // Prints "hprof-text: MESSAGE" (informational, e.g. --verbose), always.
  void note(const std::string& message);

  int warning_count() const { return count_; }

  // Tells `into` what this one kept, as if it had been told directly.
  void replay(Diagnostics& into) const;

 private:
  struct Kept {
    bool warning;
    std::string key, message;
  };
  std::ostream* sink_ = nullptr;  // null: keep in `kept_`
  std::vector<Kept> kept_;
  std::unordered_set<std::string> seen_;
  int count_ = 0;
};

}  // namespace hprof
