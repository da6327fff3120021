// The profile model every stage after parsing shares, as pprof's profile:
// samples with one value per sample type and a stack of locations, each
// location an address and, once symbolized, its frames and mapping.  What
// the values mean and how a stack's pcs are looked up is its kind's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "profile/frame.h"
#include "profile/heap_kind.h"
#include "profile/kind.h"
#include "profile/mapping.h"
#include "profile/values.h"

namespace hprof {

struct ProfileSample {
  Values values;
  std::vector<uint32_t> locations;  // indices into Profile::locations, leaf first
  uint64_t records = 1;             // the producer's records it sums (a heap dump's equal records fold)
};

// One distinct lookup pc of a profile.
struct ProfileLocation {
  FrameChain frames;      // innermost first; empty before symbolization, or once pruning removed every frame
  uint64_t address = 0;   // the address looked up (ProfileKind::lookup_pc)
  LocationOrigin origin;  // the mapping's file and offset, for matching across runs
};

struct Profile {
  // A heap dump's unless its producer says otherwise.
  const ProfileKind* kind = &gperftools_heap_kind();
  std::string source;                     // the path given on the command line
  std::vector<ProfileLocation> locations;  // one per distinct lookup pc
  std::vector<ProfileSample> samples;
  std::vector<MappedObject> mappings;  // the executable mappings, sorted by start (Symbolizer::mapped_objects)
  uint64_t period = 0;                 // the sampling period, in kind->period_type
  Values magnitude{};                  // per value, the sum of |value| over the samples
};

}  // namespace hprof
