// The symbol index as a cache layer: a name source answered from a read
// index in the place of a live one.  The index holds every answer of each
// source in that source's part (index/index_format.h: kParts); for DWARF it
// holds the inline chains by address interval of the units earlier runs
// read, and says where to ask the DWARF itself: where it does not model the
// DWARF (the live source answers for that address alone), and in the units
// no run has read yet (the live source answers as without an index, and the
// index grows by those units when it is written again).
#pragma once

#include <cstddef>
#include <vector>

#include "symbolize/index/symbol_index.h"
#include "symbolize/names/name_source.h"

namespace hprof {

class IndexedNames : public NameSource {
 public:
  // `part`: the source's place in names/name_order.h's order.  `index` and
  // `live` must outlive this.
  IndexedNames(const SymbolIndex& index, std::size_t part, NameSource& live)
      : index_(&index), part_(part), live_(&live) {}

  Naming at(uint64_t file_vaddr) override;
  // Announces to the live source the addresses the index has not swept.
  void expect(std::span<const uint64_t> file_vaddrs) override;
  // The index's part again, with what the live source answered laid over
  // what was not swept.
  void save(IndexContents& contents, IndexPart& part) override;
  // Whether the live source answered an address the index has not swept:
  // then the index should be written again, grown.
  bool grown() const { return grown_; }

 private:
  const SymbolIndex* index_;
  std::size_t part_;
  NameSource* live_;
  bool grown_ = false;
};

}  // namespace hprof
