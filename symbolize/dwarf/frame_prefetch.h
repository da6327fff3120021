// The DWARF frames of many addresses at once, in a .debug_info inflated in
// part: a batch of units at a time, each batch with a Dwarf of its own, on
// two threads; while .debug_info streams, each batch as soon as its units
// are in place.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "symbolize/dwarf/inflated_dwarf.h"
#include "symbolize/dwarf/inline_resolver.h"
#include "profile/frame.h"

namespace hprof {

// Called with each batch's resolver and addresses once they are answered,
// before its Dwarf ends (so it finds the batch's units read), on either
// thread.
using BatchVisitor = std::function<void(InlineResolver& resolver, const std::vector<uint64_t>& batch)>;

class FramePrefetch {
 public:
  // `release`: each batch's own units are given back once it is answered
  // (InflatedDwarf::release_units), while .debug_info streams.
  FramePrefetch(std::vector<uint64_t> addresses, BatchVisitor after_batch, bool release = false)
      : addresses_(std::move(addresses)), after_batch_(std::move(after_batch)), release_(release) {}

  // Answers batches until none is left; called on each thread that shares
  // the work, with `inflated` keeping the addresses' units (or streaming
  // them: each batch waits for its own).
  void work(const InflatedDwarf& inflated);
  // What the work() calls found, once they have all returned.  An address
  // whose batch could not be read is left out: it is then looked up alone.
  std::unordered_map<uint64_t, FrameChain> take();

 private:
  std::vector<uint64_t> addresses_;
  BatchVisitor after_batch_;
  bool release_;
  std::once_flag batched_;
  std::vector<InflatedDwarf::Batch> batches_;
  std::atomic<size_t> next_{0};
  std::vector<std::vector<std::pair<uint64_t, FrameChain>>> answers_;  // by batch
};

// FramePrefetch's work on two threads, over units `inflated` keeps, into `out`.
void prefetch_frames(const InflatedDwarf& inflated, const std::vector<uint64_t>& addresses,
                     std::unordered_map<uint64_t, FrameChain>& out, const BatchVisitor& after_batch = {});

}  // namespace hprof
