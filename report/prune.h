// Removing allocator frames from the leaf side, exactly as the Go pprof's
// Prune with its legacy heap-profile DropFrames list (allocRxStr).
#pragma once

#include <string_view>

#include "symbolize/resolve.h"

namespace hprof {

// True when `simplified_name` is an allocator frame (the whole name matches).
bool is_allocator_frame(std::string_view simplified_name);

// Edits the locations and samples of `profile` in place.
void prune_allocator_frames(ResolvedProfile& profile);

}  // namespace hprof
