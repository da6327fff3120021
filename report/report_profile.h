// A profile as the reports sum it: the shared model, allocator frames
// pruned (report/prune.h), plus what only the report layer decides.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "profile/profile.h"

namespace hprof {

struct ReportProfile : Profile {
  // Per sample, whether it makes rows (--focus/--ignore, SampleFilter::apply);
  // it counts in the report's Total either way.  Empty: every sample does.
  std::vector<uint8_t> kept;
  // A --base: its values are subtracted, i.e. negated and then summed with
  // the other profiles.
  bool negated = false;

  bool is_kept(std::size_t sample) const { return kept.empty() || kept[sample] != 0; }
  int64_t value(const ProfileSample& sample, std::size_t index) const {
    return negated ? -sample.values[index] : sample.values[index];
  }
};

}  // namespace hprof
