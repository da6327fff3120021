// The seam between resolving addresses and building reports.  One Symbolizer
// answers for one profile's address space.  Unit tests use a table-driven fake.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "symbolize/frame.h"

namespace hprof {

// Where an address lives, independent of the process's address layout: the
// mapped file and the file offset.  Two runs of the same binaries under
// different ASLR give the same origin for the same code (what --base needs).
struct LocationOrigin {
  std::string object;          // the mapping's path as the profile names it; empty when none
  uint64_t object_offset = 0;  // offset in `object`; the address itself when `object` is empty
  bool operator==(const LocationOrigin&) const = default;
};

class Symbolizer {
 public:
  virtual ~Symbolizer() = default;
  // `lookup_pc` is a runtime address inside the call instruction (pc - 1).
  // Returns at least one frame; unknown code gets a descriptive placeholder name.
  // Called once per distinct pc of a profile (resolve_profile keeps the
  // answers): implementations need not cache, and may count calls.
  virtual FrameChain lookup(uint64_t lookup_pc) = 0;
  // Every address lookup() will be asked about, announced before the first
  // lookup: an implementation may read what they need all at once.
  virtual void prepare(std::span<const uint64_t> lookup_pcs) { (void)lookup_pcs; }
  // The mapping behind `lookup_pc`.  By default: no object, the address itself.
  virtual LocationOrigin origin(uint64_t lookup_pc) { return LocationOrigin{{}, lookup_pc}; }
};

}  // namespace hprof
