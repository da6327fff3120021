#include "symbolize/dwarf/frame_prefetch.h"

#include <elfutils/libdw.h>

#include <atomic>
#include <thread>
#include <utility>

#include "symbolize/dwarf/inline_resolver.h"

namespace hprof {

// Batches of units, each with a Dwarf of its own: libdw's caches for the
// units of a JVM dump would otherwise outweigh the units.
void prefetch_frames(const InflatedDwarf& inflated, const std::vector<uint64_t>& addresses,
                     std::unordered_map<uint64_t, FrameChain>& out) {
  constexpr uint64_t kBatchBytes = 4 << 20;
  const std::vector<std::vector<uint64_t>> batches = inflated.batches_by_unit(addresses, kBatchBytes);
  // On two threads: Dwarf handles share nothing but the image, whose
  // sections libelf read when it was opened, so from here on it is only
  // read from.
  std::vector<std::vector<std::pair<uint64_t, FrameChain>>> answers(batches.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next++) < batches.size();) {
      Dwarf* dwarf = inflated.begin_dwarf();
      if (dwarf == nullptr) continue;  // those addresses are looked up one by one
      {
        InlineResolver resolver(dwarf);
        for (uint64_t address : batches[i]) answers[i].emplace_back(address, resolver.frames(address));
      }
      dwarf_end(dwarf);
    }
  };
  std::thread helper;
  if (batches.size() > 1 && std::thread::hardware_concurrency() > 1) helper = std::thread(work);
  work();
  if (helper.joinable()) helper.join();
  for (auto& batch : answers) {
    for (auto& [address, chain] : batch) out.emplace(address, std::move(chain));
  }
}

}  // namespace hprof
