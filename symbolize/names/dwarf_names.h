// DWARF as a name source: the inline chain at an address, the concrete
// function last.  Announced addresses are answered together, before the
// first lookup, when .debug_info is inflated in part (dwarf/frame_prefetch.h).
// What it saves into an index is every answer of the functions it was asked
// about, swept while their units are read; the other addresses are saved as
// not swept, for a later run to ask the DWARF and grow the index.
#pragma once

#include <functional>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "symbolize/dwarf/dwarf_file.h"
#include "symbolize/index/sweep_merge.h"
#include "symbolize/names/name_source.h"

namespace hprof {

class DwarfNames : public NameSource {
 public:
  // `saving` is asked once, when the first addresses are read: true when
  // save() will be called, so that their functions are swept as they are
  // read.
  DwarfNames(DwarfFile& dwarf, std::function<bool()> saving) : dwarf_(&dwarf), saving_(std::move(saving)) {}

  Naming at(uint64_t file_vaddr) override;
  Naming at_alone(uint64_t file_vaddr) override;
  void expect(std::span<const uint64_t> file_vaddrs) override;
  void save(IndexContents& contents, IndexPart& part) override;

 private:
  void prefetch();
  // Sweeps the functions of `batch` with the resolver that answered it;
  // called on either thread.
  void sweep_batch(InlineResolver& resolver, const std::vector<uint64_t>& batch);
  void sweep_into(InlineResolver& resolver, const std::vector<uint64_t>& addresses, UnitSweep& sweep);

  DwarfFile* dwarf_;
  std::function<bool()> saving_;
  std::unordered_map<uint64_t, FrameChain> prefetched_;  // announced, answered, not yet asked for
  std::vector<uint64_t> asked_;  // announced or asked for with at(): their functions are saved
  // What the batches swept, for save().
  std::mutex sweep_mutex_;
  IndexContents swept_chains_;  // numbers the sweeps' chains
  std::vector<UnitSweep> sweeps_;
  std::unordered_set<uint64_t> swept_;  // the addresses the batches swept around
};

}  // namespace hprof
