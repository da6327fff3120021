// Symbolizes a profile of the model: each location (one distinct lookup pc)
// is looked up once.
#pragma once

#include <cstdint>
#include <vector>

#include "parse/heap_profile.h"
#include "profile/profile.h"
#include "symbolize/symbolizer.h"

namespace hprof {

// Every location's address announced to `symbolizer`, then looked up: its
// frames and origin set, and the profile's executable mappings.
void symbolize_profile(Profile& profile, Symbolizer& symbolizer);

// A heap dump as a symbolized profile: profile_of() then symbolize_profile().
Profile resolve_profile(const HeapProfile& heap, Symbolizer& symbolizer);

// The addresses a profile's locations look up, in location order.
std::vector<uint64_t> lookup_addresses(const Profile& profile);

}  // namespace hprof
