// The seam between resolving addresses and building reports.  One Symbolizer
// answers for one profile's address space.  Unit tests use a table-driven fake.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

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

// An executable mapping as the symbolizer used it: what a pprof
// profile.proto Mapping records (--proto).
struct MappedObject {
  uint64_t start = 0, limit = 0, offset = 0;  // the profile's maps line
  // The file read for names (after PROGRAM / --lib_prefix), else the path the
  // profile names ("[vdso]", a missing file); empty for anonymous memory.
  std::string path;
  std::string build_id;     // lower-case hex; empty when no file was read or it has none
  bool symbolized = false;  // its file was read: names, source lines and inline frames as far as it has them
  bool main = false;        // the main executable (the Go pprof's rule: the first that is not a shared object)
  bool operator==(const MappedObject&) const = default;
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
  // The executable mappings, sorted by start.  By default none.
  virtual std::vector<MappedObject> mapped_objects() const { return {}; }
};

}  // namespace hprof
