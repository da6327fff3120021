#include "symbolize/dwarf/frame_prefetch.h"

#include <elfutils/libdw.h>

#include <thread>

namespace hprof {

// Batches of units, each with a Dwarf of its own: libdw's caches for the
// units of a JVM dump would otherwise outweigh the units.  Dwarf handles
// share nothing but the image, whose section descriptors libelf made when
// it was opened, so the threads only read it.
void FramePrefetch::work(const InflatedDwarf& inflated) {
  constexpr uint64_t kBatchBytes = 4 << 20;
  std::call_once(batched_, [&] {
    batches_ = inflated.batches_by_unit(addresses_, kBatchBytes);
    answers_.resize(batches_.size());
  });
  for (size_t i; (i = next_++) < batches_.size();) {
    if (!inflated.wait_for_units(batches_[i])) return;  // the stream failed: nothing to read
    Dwarf* dwarf = inflated.begin_dwarf();
    if (dwarf == nullptr) continue;  // those addresses are looked up one by one
    {
      // Units found by their headers alone: dwarf_getaranges would read
      // every unit's, later ones still being inflated.  An address whose
      // unit that cannot tell is left to the lookups after the stream.
      InlineResolver resolver(dwarf, inflated.arange_units());
      std::vector<uint64_t> answered;
      for (uint64_t address : batches_[i].addresses) {
        if (inflated.unit_ambiguous(address)) continue;
        answers_[i].emplace_back(address, resolver.frames(address));
        answered.push_back(address);
      }
      if (after_batch_) after_batch_(resolver, answered);
    }
    dwarf_end(dwarf);
    if (release_) inflated.release_units(batches_[i]);
  }
}

std::unordered_map<uint64_t, FrameChain> FramePrefetch::take() {
  std::unordered_map<uint64_t, FrameChain> out;
  for (auto& batch : answers_) {
    for (auto& [address, chain] : batch) out.emplace(address, std::move(chain));
  }
  answers_.clear();
  return out;
}

void prefetch_frames(const InflatedDwarf& inflated, const std::vector<uint64_t>& addresses,
                     std::unordered_map<uint64_t, FrameChain>& out, const BatchVisitor& after_batch) {
  FramePrefetch prefetch(addresses, after_batch);
  std::thread helper;
  if (addresses.size() > 1 && std::thread::hardware_concurrency() > 1) {
    helper = std::thread([&] { prefetch.work(inflated); });
  }
  prefetch.work(inflated);
  if (helper.joinable()) helper.join();
  out.merge(prefetch.take());
}

}  // namespace hprof
