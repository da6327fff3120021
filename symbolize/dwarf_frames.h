// Inline chains from DWARF: the frames at one address of a module, innermost
// first, each inlined copy with its own name and position.
#pragma once

#include <cstdint>

#include "symbolize/frame.h"

struct Dwfl_Module;

namespace hprof {

// Empty when the module has no DWARF for `file_vaddr` or no function covers it.
// The last frame is normally the concrete function (inlined == false); a
// frame whose DWARF entry has no name has an empty `function`.
FrameChain dwarf_frames(Dwfl_Module* module, uint64_t file_vaddr);

}  // namespace hprof
