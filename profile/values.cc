#include "profile/values.h"

#include "parse/heap_profile.h"

namespace hprof {

bool add_magnitudes(Values& sum, const Values& values) {
  for (std::size_t i = 0; i < kMaxSampleTypes; ++i) {
    if (!add_magnitude(sum[i], values[i])) return false;
  }
  return true;
}

}  // namespace hprof
