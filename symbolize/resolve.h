// Turns a parsed profile into a profile of frame chains: each distinct pc is
// looked up once, at pc - 1 (every heap frame is a return address).
#pragma once

#include <cstdint>
#include <vector>

#include "parse/heap_profile.h"
#include "symbolize/frame.h"
#include "symbolize/symbolizer.h"

namespace hprof {

struct ResolvedSample {
  SampleValues values;
  std::vector<uint32_t> locations;  // indices into ResolvedProfile::locations, leaf first
  // Whether the sample makes rows (--focus/--ignore, SampleFilter::apply);
  // it counts in the report's Total either way.
  bool kept = true;
};

// One distinct pc of a profile, symbolized.
struct ResolvedLocation {
  FrameChain frames;      // innermost first; empty once pruning removed every frame
  uint64_t address = 0;   // the address looked up: the profile's pc - 1
  LocationOrigin origin;  // the mapping's file and offset, for matching across runs
};

struct ResolvedProfile {
  ProfileFormat format = ProfileFormat::kGperftools;  // the dump's, from its header
  std::vector<ResolvedLocation> locations;  // one per distinct pc
  std::vector<ResolvedSample> samples;
  std::vector<MappedObject> mappings;  // the executable mappings, sorted by start (Symbolizer::mapped_objects)
  uint64_t period = 0;                 // the header's sampling period in bytes (HeapHeader::period)
};

// The one place where pc - 1 is applied.
inline uint64_t lookup_pc_of(uint64_t pc) { return pc - 1; }

ResolvedProfile resolve_profile(const HeapProfile& profile, Symbolizer& symbolizer);

// The addresses resolve_profile() looks up: each distinct pc - 1, in the
// order first met.
std::vector<uint64_t> lookup_addresses(const HeapProfile& profile);

}  // namespace hprof
