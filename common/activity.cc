#include "common/activity.h"

#include <mutex>
#include <utility>

namespace hprof {
namespace {

std::mutex& state_mutex() {
  static std::mutex mutex;
  return mutex;
}

Activity::Snapshot& state() {
  static Activity::Snapshot snapshot;
  return snapshot;
}

// Sets the current text; returns the one it replaces.
std::string exchange_current(std::string what) {
  const std::lock_guard<std::mutex> lock(state_mutex());
  Activity::Snapshot& s = state();
  ++s.generation;
  return std::exchange(s.what, std::move(what));
}

}  // namespace

Activity::Activity(std::string what) : previous_(exchange_current(std::move(what))) {}

Activity::~Activity() { exchange_current(std::move(previous_)); }

Activity::Snapshot Activity::current() {
  const std::lock_guard<std::mutex> lock(state_mutex());
  return state();
}

}  // namespace hprof
