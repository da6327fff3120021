// A parsed heap dump as a profile of the model, not yet symbolized: each
// distinct lookup pc one location, in the order first met.
#pragma once

#include "parse/heap_profile.h"
#include "profile/profile.h"

namespace hprof {

Profile profile_of(const HeapProfile& heap);

}  // namespace hprof
