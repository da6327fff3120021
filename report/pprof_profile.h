// The resolved profiles as pprof's profile.proto (report/proto), what the Go
// pprof's own conversion of the dumps writes (pprof -proto), so that pprof,
// its web UI and other readers of the format show what our text report does.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "report/proto/profile.pb.h"
#include "report/report.h"
#include "report/report_profile.h"

namespace hprof {

struct PprofProfile {
  perftools::profiles::Profile profile;
  // As Report::empty_stack_records: the records of the samples with no frame at all.
  int64_t empty_stack_records = 0;
};

// The profiles (resolved, allocator frames pruned, --focus/--ignore applied;
// a --base negated) summed into one Profile:
// - the sample types of the profiles' kind, in its order (a heap dump's:
//   alloc_objects, alloc_space, inuse_objects, inuse_space, values already
//   unsampled); `default_type` is the default; the kind's period type, the
//   largest period of the profiles;
// - one sample per distinct stack (and, when the kind has one, the "bytes"
//   label: the average object size), values summed, so that a --base cancels; samples that --focus or
//   --ignore drop are left out; all-zero samples too;
// - one mapping per executable mapping, the main executable first, with its
//   file, build-id, and has_functions set (the Go pprof never re-symbolizes);
//   mappings of the same file at the same offset in several profiles are
//   one, their addresses relocated to the first profile's;
// - one location per distinct (mapping, address, frames), the address being
//   the profile's pc - 1 as the Go pprof stores it; its lines are the
//   frames, innermost first, inline frames before the function they are
//   inlined in;
// - one function per (name, source file); system_name is left empty, so
//   that the Go pprof keeps our names instead of demangling them again.
// The profiles are of one kind (that of the first) and at least one.
PprofProfile build_pprof_profile(const std::vector<const ReportProfile*>& profiles, const SampleType& default_type);

// The Profile serialized and gzip-compressed: a .pb.gz file's bytes.
std::string gzipped_pprof(const perftools::profiles::Profile& profile);

}  // namespace hprof
