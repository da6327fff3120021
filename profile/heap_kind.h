// Heap dumps (gperftools, jemalloc) as one producer of the profile model:
// their kinds and their four values.
#pragma once

#include <string_view>

#include "parse/heap_profile.h"
#include "profile/kind.h"
#include "profile/values.h"

namespace hprof {

// The heap sample types, by value index: the Go pprof's order for heap
// profiles, so that --proto writes the values as they are.
enum class HeapValue : std::size_t { kAllocObjects, kAllocSpace, kInuseObjects, kInuseSpace };

// A gperftools dump (tcmalloc's heap profiler).
const ProfileKind& gperftools_heap_kind();
// A jemalloc dump: as gperftools', and its stacks start inside libjemalloc.
const ProfileKind& jemalloc_heap_kind();
// The kind of a dump of `format`.
const ProfileKind& heap_kind(ProfileFormat format);

const SampleType& heap_sample_type(HeapValue value);

// The values of a heap record in the heap kinds' order.
inline Values heap_values(const HeapValues& v) {
  return Values{v.alloc_objects, v.alloc_bytes, v.inuse_objects, v.inuse_bytes};
}

// True when `object`, a mapping's path, is jemalloc's shared library
// (libjemalloc.so.2, libjemalloc.so, ...).  A jemalloc dump's stacks start with
// its profiler and malloc internals there, which a stripped library cannot
// name (libjemalloc.so.2+0x...) and which the Go pprof's allocator names
// therefore cannot match.
bool is_jemalloc_library(std::string_view object);

}  // namespace hprof
