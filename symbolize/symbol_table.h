// Function symbols of one ELF object, sorted by address, for lookups by
// file_vaddr.  Only sized symbols claim addresses: a pc outside every
// symbol's extent is not credited to the nearest symbol before it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hprof {

class SymbolTable {
 public:
  struct Symbol {
    uint64_t start = 0;
    uint64_t size = 0;
    std::string name;  // raw (mangled, maybe versioned) name
  };

  void add(Symbol symbol);
  // Sorts and resolves overlaps; call once after the last add().
  void finish();

  // The symbol whose [start, start + size) holds `file_vaddr`; the
  // innermost (smallest) one where symbols nest.
  const Symbol* find(uint64_t file_vaddr) const;

 private:
  std::vector<Symbol> symbols_;
  // max_end_[i] = max(start + size) over symbols_[0..i]: lets find() stop early.
  std::vector<uint64_t> max_end_;
};

}  // namespace hprof
