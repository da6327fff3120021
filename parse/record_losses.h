// Whether a dump's records add up to its header's totals.  gperftools'
// heap profiler counts every allocation twice, in its bucket and in the
// total it writes as the header, and writes every bucket, freed-only ones
// too; jemalloc's "t*:" totals line sums the same counters as its stacks.
// So in a whole dump the records' bytes equal the header's, in use and
// allocated alike, and a difference is records lost (or added).
// Not a public interface of the parse stage.
#pragma once

#include <cstddef>

#include "common/diagnostics.h"
#include "parse/heap_profile.h"

namespace hprof::parse_internal {

// gperftools up to 2.15 writes a dump into one buffer of kProfileBufferSize
// (1 MiB) bytes, memory map included, NUL excluded; the records that do not
// fit are left out (heap-profile-table.cc, FillOrderedProfile).
inline constexpr std::size_t kGperftoolsDumpBuffer = std::size_t{1} << 20;
// A dump cut by that buffer is shorter than it by less than the longest
// record line: 32 frames (kMaxStackDepth) of 19 bytes, and the counts.
inline constexpr std::size_t kLongestGperftoolsRecord = 1024;

// True when a gperftools dump of `size` bytes filled that buffer.
bool fills_gperftools_buffer(std::size_t size);

// One warning when the records' bytes (HeapProfile::written) differ from the
// header's totals, in use or allocated, with both figures and the share
// lost or added; nothing when the header has no totals.
void warn_about_lost_records(const HeapProfile& profile, Diagnostics& diags);

}  // namespace hprof::parse_internal
