// What the run is doing now, in a few words for a progress line ("reading
// rec.0001.heap", "reading the debug info of libjvm.so").  The stages say it,
// as they report warnings to Diagnostics, and never draw anything; the
// command line shows it when a run takes long (cli/progress_ticker.h).
#pragma once

#include <cstdint>
#include <string>

namespace hprof {

// Sets the current activity for its lifetime; the one it replaced comes back
// when it ends.  Made and ended on one thread, in nested order; read from
// any (current()).
class Activity {
 public:
  explicit Activity(std::string what);
  ~Activity();
  Activity(const Activity&) = delete;
  Activity& operator=(const Activity&) = delete;

  struct Snapshot {
    std::string what;         // empty: nothing said
    uint64_t generation = 0;  // grows at each change
  };
  static Snapshot current();

 private:
  std::string previous_;
};

}  // namespace hprof
