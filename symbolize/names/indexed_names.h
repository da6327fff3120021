// The symbol index as a cache layer: a name source answered from a read
// index in the place of a live one.  The index holds every answer of each
// source in that source's part (index/index_format.h: kParts); for DWARF it
// holds the inline chains by address interval and says where to ask the
// DWARF itself, which the live source then answers for that address alone.
#pragma once

#include <cstddef>

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
  // An index is written from the live sources, never from another index.
  void save(IndexContents& contents, IndexPart& part) override { live_->save(contents, part); }

 private:
  const SymbolIndex* index_;
  std::size_t part_;
  NameSource* live_;
};

}  // namespace hprof
