#include "profile/heap_kind.h"

#include <cstdlib>

#include "common/paths.h"

namespace hprof {
namespace {

// The Go pprof's "bytes" label of a heap sample: the average object size,
// from the in-use pair, else from the allocated one (a base's negated
// values give the same average).
int64_t average_object_size(const Values& v) {
  const auto at = [&v](HeapValue value) { return v[static_cast<std::size_t>(value)]; };
  if (at(HeapValue::kInuseObjects) != 0) {
    return std::abs(at(HeapValue::kInuseSpace)) / std::abs(at(HeapValue::kInuseObjects));
  }
  if (at(HeapValue::kAllocObjects) != 0) {
    return std::abs(at(HeapValue::kAllocSpace)) / std::abs(at(HeapValue::kAllocObjects));
  }
  return 0;
}

ProfileKind make_heap_kind(bool (*is_allocator_library)(std::string_view)) {
  ProfileKind kind;
  kind.name = "heap";
  kind.sample_types = {SampleType{"alloc_objects", "count", "allocated objects"},
                       SampleType{"alloc_space", "bytes", "allocated space"},
                       SampleType{"inuse_objects", "count", "in-use objects"},
                       SampleType{"inuse_space", "bytes", "in-use space"}};
  kind.default_sample_type = static_cast<std::size_t>(HeapValue::kInuseSpace);
  kind.period_type = SampleType{"space", "bytes", "space"};
  kind.leaf_is_return_address = true;  // the leaf calls the allocator
  kind.is_allocator_library = is_allocator_library;
  kind.object_size = average_object_size;
  return kind;
}

}  // namespace

const ProfileKind& gperftools_heap_kind() {
  static const ProfileKind kind = make_heap_kind(nullptr);
  return kind;
}

const ProfileKind& jemalloc_heap_kind() {
  static const ProfileKind kind = make_heap_kind(is_jemalloc_library);
  return kind;
}

const ProfileKind& heap_kind(ProfileFormat format) {
  return format == ProfileFormat::kJemalloc ? jemalloc_heap_kind() : gperftools_heap_kind();
}

const SampleType& heap_sample_type(HeapValue value) {
  return gperftools_heap_kind().sample_types[static_cast<std::size_t>(value)];
}

bool is_jemalloc_library(std::string_view object) {
  const std::string_view base = basename_of(object);
  return base.starts_with("libjemalloc") && base.find(".so") != std::string_view::npos;
}

}  // namespace hprof
