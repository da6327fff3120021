// Where a location's code lives: what the symbolizer finds for an address,
// shared by every stage after it.
#pragma once

#include <cstdint>
#include <string>

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

}  // namespace hprof
