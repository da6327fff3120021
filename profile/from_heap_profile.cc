#include "profile/from_heap_profile.h"

#include "common/id_set.h"

namespace hprof {

Profile profile_of(const HeapProfile& heap) {
  Profile out;
  out.kind = &heap_kind(heap.header.format);
  out.source = heap.source;
  out.period = heap.header.period;
  out.magnitude = heap_values(heap.magnitude);
  IdSet index_of_address;  // location index + 1, by address
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
      const auto next = static_cast<uint32_t>(out.locations.size() + 1);
      const uint32_t found = index_of_address.find_or_add(
          mix_hash(address), next, [&](uint32_t other) { return out.locations[other - 1].address == address; });
      if (found == next) out.locations.push_back(ProfileLocation{{}, address, {}});
      converted.locations.push_back(found - 1);
    }
    out.samples.push_back(std::move(converted));
  }
  return out;
}

}  // namespace hprof
