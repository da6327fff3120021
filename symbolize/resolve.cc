#include "symbolize/resolve.h"

#include <fmt/format.h>

#include "common/activity.h"
#include "common/paths.h"
#include "profile/from_heap_profile.h"

namespace hprof {

std::vector<uint64_t> lookup_addresses(const Profile& profile) {
  std::vector<uint64_t> addresses;
  addresses.reserve(profile.locations.size());
  for (const ProfileLocation& location : profile.locations) addresses.push_back(location.address);
  return addresses;
}

void symbolize_profile(Profile& profile, Symbolizer& symbolizer) {
  symbolizer.prepare(lookup_addresses(profile));
  const Activity naming(
      fmt::format("naming the {} addresses of {}", profile.locations.size(), basename_of(profile.source)));
  for (ProfileLocation& location : profile.locations) {
    location.frames = symbolizer.lookup(location.address);
    location.origin = symbolizer.origin(location.address);
  }
  profile.mappings = symbolizer.mapped_objects();
}

Profile resolve_profile(const HeapProfile& heap, Symbolizer& symbolizer) {
  Profile profile = profile_of(heap);
  symbolize_profile(profile, symbolizer);
  return profile;
}

}  // namespace hprof
