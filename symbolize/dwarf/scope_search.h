// Inline chains through libdw's own scope search: slow, and the reference.
#pragma once

#include <cstdint>

#include "symbolize/dwarf/dwarf_source.h"
#include "profile/frame.h"

struct Dwfl_Module;

namespace hprof {

// The same chain through libdw's dwarf_getscopes and dwarf_getscopes_die,
// which walk the whole compilation unit on every call: the reference the
// resolver agrees with, and its fallback.
FrameChain dwarf_frames_by_scope_search(Dwfl_Module* module, uint64_t file_vaddr);
FrameChain dwarf_frames_by_scope_search(DwarfSource& source, uint64_t file_vaddr);

}  // namespace hprof
