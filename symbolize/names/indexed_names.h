// The symbol index as a cache layer: a name source answered from a read
// index in the place of a live one.  The index holds every answer of the
// file's symbol tables and function starts; for DWARF it holds the inline
// chains by address interval and says where to ask the DWARF itself, which
// the live source then answers for that address alone.
#pragma once

#include "symbolize/index/symbol_index.h"
#include "symbolize/names/name_source.h"

namespace hprof {

class IndexedNames : public NameSource {
 public:
  // Which of the index's parts stands in for which source (names/name_order.h).
  enum class Part { kFileSymbols, kDwarf, kDebugSymbols, kFunctionStarts };

  // `index` and `live` must outlive this.
  IndexedNames(const SymbolIndex& index, Part part, NameSource& live) : index_(&index), part_(part), live_(&live) {}

  Naming at(uint64_t file_vaddr) override;
  // An index is written from the live sources, never from another index.
  void save(IndexContents& contents) override { live_->save(contents); }

 private:
  const SymbolIndex* index_;
  Part part_;
  NameSource* live_;
};

}  // namespace hprof
