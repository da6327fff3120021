#include "profile/from_heap_profile.h"

#include <unordered_map>

namespace hprof {

Profile profile_of(const HeapProfile& heap) {
  Profile out;
  out.kind = &heap_kind(heap.header.format);
  out.source = heap.source;
  out.period = heap.header.period;
  out.magnitude = heap_values(heap.magnitude);
  std::unordered_map<uint64_t, uint32_t> index_of_address;
  out.samples.reserve(heap.samples.size());
  for (const Sample& sample : heap.samples) {
    ProfileSample converted;
    converted.values = heap_values(sample.values);
    converted.records = sample.records;
    converted.locations.reserve(sample.stack.size());
    bool leaf = true;
    for (uint64_t pc : sample.stack) {
      const uint64_t address = out.kind->lookup_pc(pc, leaf);
      leaf = false;
      auto [it, inserted] = index_of_address.try_emplace(address, static_cast<uint32_t>(out.locations.size()));
      if (inserted) out.locations.push_back(ProfileLocation{{}, address, {}});
      converted.locations.push_back(it->second);
    }
    out.samples.push_back(std::move(converted));
  }
  return out;
}

}  // namespace hprof
