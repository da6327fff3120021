// Removing allocator frames from the leaf side, exactly as the Go pprof's
// Prune with its legacy heap-profile DropFrames list (allocRxStr), after (in
// a jemalloc dump) the frames inside jemalloc's own library, which the Go
// pprof cannot read.
#pragma once

#include <string_view>

#include "symbolize/resolve.h"

namespace hprof {

// True when `simplified_name` is an allocator frame (the whole name matches).
bool is_allocator_frame(std::string_view simplified_name);

// True when `object`, a mapping's path, is jemalloc's shared library
// (libjemalloc.so.2, libjemalloc.so, ...).  A jemalloc dump's stacks start with
// its profiler and malloc internals there, which a stripped library cannot
// name (libjemalloc.so.2+0x...) and which allocRxStr therefore cannot match.
bool is_allocator_library(std::string_view object);

// Edits the locations and samples of `profile` in place: in a jemalloc dump,
// the leaf-side frames inside the allocator library go (unless that would
// leave the stack empty); then Go's Prune applies to the rest.  Each stack is
// cut once.
void prune_allocator_frames(ResolvedProfile& profile);

}  // namespace hprof
