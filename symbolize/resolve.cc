#include "symbolize/resolve.h"

#include <unordered_map>
#include <unordered_set>

namespace hprof {

std::vector<uint64_t> lookup_addresses(const HeapProfile& profile) {
  std::unordered_set<uint64_t> seen;
  std::vector<uint64_t> addresses;
  for (const Sample& sample : profile.samples) {
    for (uint64_t pc : sample.stack) {
      if (seen.insert(pc).second) addresses.push_back(lookup_pc_of(pc));
    }
  }
  return addresses;
}

ResolvedProfile resolve_profile(const HeapProfile& profile, Symbolizer& symbolizer) {
  ResolvedProfile out;
  out.format = profile.header.format;
  out.period = profile.header.period;
  std::unordered_map<uint64_t, uint32_t> index_of_pc;
  std::vector<uint64_t> addresses;  // distinct, in the order first met
  out.samples.reserve(profile.samples.size());
  for (const Sample& sample : profile.samples) {
    ResolvedSample resolved;
    resolved.values = sample.values;
    resolved.locations.reserve(sample.stack.size());
    for (uint64_t pc : sample.stack) {
      auto [it, inserted] = index_of_pc.try_emplace(pc, static_cast<uint32_t>(addresses.size()));
      if (inserted) addresses.push_back(lookup_pc_of(pc));
      resolved.locations.push_back(it->second);
    }
    out.samples.push_back(std::move(resolved));
  }
  symbolizer.prepare(addresses);
  out.locations.reserve(addresses.size());
  for (uint64_t address : addresses) {
    out.locations.push_back(ResolvedLocation{symbolizer.lookup(address), address, symbolizer.origin(address)});
  }
  out.mappings = symbolizer.mapped_objects();
  return out;
}

}  // namespace hprof
