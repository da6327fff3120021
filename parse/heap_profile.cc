#include "parse/heap_profile.h"

#include <cmath>
#include <limits>

namespace hprof {
namespace {

// Go's int64(float64) truncates toward zero; in C++ converting an
// out-of-range double is undefined behaviour, so saturate instead.  This only
// matters for absurd inputs (e.g. a huge count with 1 byte, where the scale
// becomes infinite).
int64_t truncate_to_int64(double value) {
  constexpr double kTwoTo63 = 9223372036854775808.0;
  if (std::isnan(value)) return 0;
  if (value >= kTwoTo63) return std::numeric_limits<int64_t>::max();
  if (value < -kTwoTo63) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(value);
}

}  // namespace

bool add_magnitude(int64_t& sum, int64_t value) {
  if (value == std::numeric_limits<int64_t>::min()) return false;  // |value| does not fit
  return !__builtin_add_overflow(sum, value < 0 ? -value : value, &sum);
}

bool add_magnitudes(HeapValues& sum, const HeapValues& values) {
  return add_magnitude(sum.inuse_objects, values.inuse_objects) &&
         add_magnitude(sum.inuse_bytes, values.inuse_bytes) &&
         add_magnitude(sum.alloc_objects, values.alloc_objects) &&
         add_magnitude(sum.alloc_bytes, values.alloc_bytes);
}

// Mirrors scaleHeapSample in google/pprof profile/legacy_profile.go so that
// our totals match `pprof -text` to the unit.
CountBytes unsample_pair(int64_t count, int64_t bytes, uint64_t period) {
  if (count == 0 || bytes == 0) return {};
  if (period <= 1) return {count, bytes};
  const double average = static_cast<double>(bytes) / static_cast<double>(count);
  const double scale = 1 / (1 - std::exp(-average / static_cast<double>(period)));
  return {truncate_to_int64(static_cast<double>(count) * scale),
          truncate_to_int64(static_cast<double>(bytes) * scale)};
}

}  // namespace hprof
