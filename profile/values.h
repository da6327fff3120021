// The values of one sample: one per sample type of its profile, in the
// order of ProfileKind::sample_types.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace hprof {

// A fixed capacity keeps a sample's values inline: a dump has millions of
// samples, and one allocation each would show.  Values past the kind's
// sample types are 0.
inline constexpr std::size_t kMaxSampleTypes = 4;
using Values = std::array<int64_t, kMaxSampleTypes>;

// Adds |values| to `sum`, value by value; false (and `sum` unspecified) when
// a sum would pass 2^63-1.  Values whose magnitudes add up within int64_t
// can be summed, subtracted (--base, a trend's change) and negated in any
// order without overflow, which is undefined behaviour for int64_t.
bool add_magnitudes(Values& sum, const Values& values);

}  // namespace hprof
