#include "symbolize/names/dwarf_names.h"

#include <utility>
#include <vector>

#include "symbolize/dwarf/frame_prefetch.h"
#include "symbolize/index/symbol_index.h"

namespace hprof {

void DwarfNames::expect(std::span<const uint64_t> file_vaddrs) {
  for (uint64_t address : file_vaddrs) {
    if (prefetched_.count(address) == 0) dwarf_->announce(address);
  }
}

void DwarfNames::prefetch() {
  if (!dwarf_->announced_any()) return;
  InflatedDwarf* inflated = dwarf_->inflated();  // opened for the announced addresses, when first asked for
  std::vector<uint64_t> addresses = dwarf_->take_announced();
  if (inflated == nullptr || inflated->partial() == nullptr || !inflated->keep_units_at(addresses)) return;
  prefetch_frames(*inflated, addresses, prefetched_);
}

Naming DwarfNames::at(uint64_t file_vaddr) {
  prefetch();
  if (auto it = prefetched_.find(file_vaddr); it != prefetched_.end()) {
    Naming naming = Naming::of_frames(std::move(it->second));
    prefetched_.erase(it);
    return naming;
  }
  return at_alone(file_vaddr);
}

Naming DwarfNames::at_alone(uint64_t file_vaddr) {
  InlineResolver& resolver = dwarf_->inlines();
  if (!dwarf_->readable_at(file_vaddr)) return {};
  return Naming::of_frames(resolver.frames(file_vaddr));
}

// A second thread with a Dwarf of its own was tried: with libdw's caches
// twice over, it cost more memory than it saved time.
void DwarfNames::save(IndexContents& contents, IndexPart& part) {
  dwarf_->inlines().sweep([&](uint64_t low, uint64_t high, const FrameChain* chain) {
    part.intervals.push_back({low, high, chain != nullptr ? contents.add_chain(*chain) : IndexContents::kAskDwarf});
  });
}

}  // namespace hprof
