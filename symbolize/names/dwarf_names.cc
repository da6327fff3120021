#include "symbolize/names/dwarf_names.h"

#include <algorithm>
#include <atomic>
#include <utility>
#include <vector>

#include "symbolize/dwarf/frame_prefetch.h"
#include "symbolize/index/symbol_index.h"

namespace hprof {

void DwarfNames::expect(std::span<const uint64_t> file_vaddrs) {
  asked_.insert(asked_.end(), file_vaddrs.begin(), file_vaddrs.end());
  for (uint64_t address : file_vaddrs) {
    if (prefetched_.count(address) == 0) dwarf_->announce(address);
  }
}

void DwarfNames::prefetch() {
  if (!dwarf_->announced_any()) return;
  BatchVisitor sweep;
  // While a batch's units are read: sweeping them later would read them again.
  if (saving_()) sweep = [this](InlineResolver& resolver, const std::vector<uint64_t>& batch) {
    sweep_batch(resolver, batch);
  };
  // A unit answered and swept is not read again: its pages are given back
  // while later ones stream.
  FramePrefetch frames(dwarf_->announced(), sweep, true);
  std::atomic<bool> while_streaming{false};
  // Opened for the announced addresses when first asked for: each batch is
  // then answered as soon as .debug_info holds its units.
  InflatedDwarf* inflated = dwarf_->inflated([&](const InflatedDwarf& opening) {
    while_streaming = true;
    frames.work(opening);
  });
  std::vector<uint64_t> addresses = dwarf_->take_announced();
  if (inflated == nullptr && while_streaming) {
    // What the batches read came from a stream that failed.
    sweeps_.clear();
    swept_.clear();
    swept_chains_ = IndexContents();
  }
  if (inflated == nullptr || inflated->partial() == nullptr) return;
  if (while_streaming) {
    prefetched_.merge(frames.take());
    return;
  }
  if (inflated->keep_units_at(addresses)) prefetch_frames(*inflated, addresses, prefetched_, sweep);
}

Naming DwarfNames::at(uint64_t file_vaddr) {
  asked_.push_back(file_vaddr);
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

void DwarfNames::sweep_into(InlineResolver& resolver, const std::vector<uint64_t>& addresses, UnitSweep& sweep) {
  resolver.sweep_units_at(
      &addresses,
      [&](uint64_t low, uint64_t high, const FrameChain* chain) {
        uint32_t number = IndexContents::kAskDwarf;
        if (chain != nullptr) {
          const std::lock_guard lock(sweep_mutex_);
          number = swept_chains_.add_chain(*chain);
        }
        sweep.answered.push_back({low, high, number});
      },
      [&](uint64_t low, uint64_t high) {
        if (!sweep.skipped.empty() && sweep.skipped.back().high == low) {
          sweep.skipped.back().high = high;
        } else {
          sweep.skipped.push_back({low, high});
        }
      });
}

void DwarfNames::sweep_batch(InlineResolver& resolver, const std::vector<uint64_t>& batch) {
  UnitSweep sweep;
  sweep_into(resolver, batch, sweep);
  const std::lock_guard lock(sweep_mutex_);
  sweeps_.push_back(std::move(sweep));
  swept_.insert(batch.begin(), batch.end());
}

// The batches swept what they read; the addresses they did not answer are
// swept here, with the resolver that answered them.  One sweep at least:
// with none, every address would count as swept.
void DwarfNames::save(IndexContents& contents, IndexPart& part) {
  std::vector<uint64_t> rest;
  for (uint64_t address : asked_) {
    if (!swept_.contains(address)) rest.push_back(address);
  }
  std::sort(rest.begin(), rest.end());
  rest.erase(std::unique(rest.begin(), rest.end()), rest.end());
  if (!rest.empty() || sweeps_.empty()) {
    UnitSweep sweep;
    sweep_into(dwarf_->inlines(), rest, sweep);
    sweeps_.push_back(std::move(sweep));
  }
  part.intervals = merge_sweeps(sweeps_);
  if (!contents.interned) {
    contents.interned = std::move(swept_chains_.interned);
    return;
  }
  std::unordered_map<uint32_t, uint32_t> renumbered;  // another source added chains first
  for (IndexPart::Interval& interval : part.intervals) {
    if (interval.chain == IndexContents::kAskDwarf || interval.chain == IndexContents::kNotSwept) continue;
    auto [it, added] = renumbered.try_emplace(interval.chain, 0);
    if (added) it->second = contents.add_chain(swept_chains_.chain(interval.chain));
    interval.chain = it->second;
  }
}

}  // namespace hprof
