// jemalloc's own heap dump (prof.dump, prof_final), the format jeprof reads:
//
//   heap_v2/524288                          sampling period 2^lg_prof_sample
//     t*: 28106: 56637512 [0: 0]            the profile's totals
//     t0: 28106: 56637512 [0: 0]            per thread (ignored)
//   @ 0x7fa4308a2630 0x7fa4308a2d21 ...     one stack, leaf first
//     t*: 1: 82338 [0: 0]                   its values: in-use, [allocated]
//     t0: 1: 82338 [0: 0]
//   ...
//   MAPPED_LIBRARIES:
//   /proc/self/maps lines
//
// Not a public interface of the parse stage: parse_heap_profile dispatches
// here on the first line.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/diagnostics.h"
#include "parse/heap_profile.h"
#include "parse/line_reader.h"

namespace hprof::parse_internal {

// The header that a "heap_v2/N" first line stands for; nullopt when `line`
// is not one.  Throws InputError when N does not fit in 64 bits.
std::optional<HeapHeader> parse_jemalloc_first_line(std::string_view line, const std::string& source,
                                                    std::size_t line_no);

// Reads the lines after the first up to the maps sentinel into
// `profile.header.totals` and `profile.samples`; true when the sentinel was
// seen.  Throws InputError naming the line of anything malformed.
bool read_jemalloc_records(LineReader& reader, HeapProfile& profile, Diagnostics& diags);

}  // namespace hprof::parse_internal
