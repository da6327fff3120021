// The seam between resolving addresses and building reports.  One Symbolizer
// answers for one profile's address space.  Unit tests use a table-driven fake.
#pragma once

#include <cstdint>

#include "symbolize/frame.h"

namespace hprof {

class Symbolizer {
 public:
  virtual ~Symbolizer() = default;
  // `lookup_pc` is a runtime address inside the call instruction (pc - 1).
  // Returns at least one frame; unknown code gets a descriptive placeholder name.
  virtual FrameChain lookup(uint64_t lookup_pc) = 0;
};

}  // namespace hprof
