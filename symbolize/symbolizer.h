// The seam between resolving addresses and building reports.  One Symbolizer
// answers for one profile's address space.  Unit tests use a table-driven fake.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "profile/frame.h"
#include "profile/mapping.h"

namespace hprof {

class Symbolizer {
 public:
  virtual ~Symbolizer() = default;
  // `lookup_pc` is the address the profile kind says to look up for a pc
  // (ProfileKind::lookup_pc): for a return address, inside the call instruction.
  // Returns at least one frame; unknown code gets a descriptive placeholder name.
  // Called once per distinct lookup pc of a profile (symbolize_profile keeps the
  // answers): implementations need not cache, and may count calls.
  virtual FrameChain lookup(uint64_t lookup_pc) = 0;
  // Every address lookup() will be asked about, announced before the first
  // lookup: an implementation may read what they need all at once.
  virtual void prepare(std::span<const uint64_t> lookup_pcs) { (void)lookup_pcs; }
  // The mapping behind `lookup_pc`.  By default: no object, the address itself.
  virtual LocationOrigin origin(uint64_t lookup_pc) { return LocationOrigin{{}, lookup_pc}; }
  // The executable mappings, sorted by start.  By default none.
  virtual std::vector<MappedObject> mapped_objects() const { return {}; }
};

}  // namespace hprof
