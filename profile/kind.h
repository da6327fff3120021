// What a profile measures and how its stacks are read: the part of the model
// that differs between kinds of profile (a heap dump, a CPU profile, ...).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "profile/values.h"

namespace hprof {

// pprof's ValueType, with the words a drawing titles it with.
struct SampleType {
  std::string type;   // "inuse_space"
  std::string unit;   // "bytes", "count"
  std::string label;  // "in-use space"
  bool operator==(const SampleType&) const = default;
};

struct ProfileKind {
  std::string name;                      // "heap"
  std::vector<SampleType> sample_types;  // in value order (at most kMaxSampleTypes)
  std::size_t default_sample_type = 0;   // what a report sums unless told otherwise
  SampleType period_type;                // what the sampling period counts
  // The leaf-pc rule.  A pc of a stack is a return address, looked up one
  // byte before, inside its call instruction, except the leaf when it is the
  // instruction that was executing (a CPU sample); a heap stack's leaf is a
  // return address too (into the allocator).
  bool leaf_is_return_address = true;
  // Code in these objects is the allocator itself (the mapping's path),
  // pruned from the leaf side of each stack; null when none is known.
  bool (*is_allocator_library)(std::string_view object) = nullptr;
  // The Go pprof's "bytes" label of a sample (the average object size); null
  // when the kind has none.
  int64_t (*object_size)(const Values& values) = nullptr;

  uint64_t lookup_pc(uint64_t pc, bool leaf) const { return leaf && !leaf_is_return_address ? pc : pc - 1; }
  // The index of the sample type named `type`; sample_types.size() when none is.
  std::size_t index_of(std::string_view type) const;
};

}  // namespace hprof
