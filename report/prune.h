// Removing allocator frames from the leaf side, exactly as the Go pprof's
// Prune with its legacy heap-profile DropFrames list (allocRxStr), after the
// frames inside the allocator's own library when the profile's kind names
// one (jemalloc's, which the Go pprof cannot read).
#pragma once

#include <string_view>

#include "profile/profile.h"

namespace hprof {

// True when `simplified_name` is an allocator frame (the whole name matches).
bool is_allocator_frame(std::string_view simplified_name);

// Edits the locations and samples of `profile` in place (the report's own
// copy): the leaf-side frames inside the kind's allocator library go (unless that would
// leave the stack empty); then Go's Prune applies to the rest.  Each stack is
// cut once.
void prune_allocator_frames(Profile& profile);

}  // namespace hprof
