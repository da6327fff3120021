#include "symbolize/elf/symbol_table.h"

#include <algorithm>

namespace hprof {

void SymbolTable::add(Symbol symbol) {
  if (symbol.size == 0) return;  // no extent, no claim on any address
  symbols_.push_back(std::move(symbol));
}

void SymbolTable::finish() {
  // Among symbols that start at one address keep one, as llvm-symbolizer
  // does: the largest, and among equal sizes the last in table order.
  std::stable_sort(symbols_.begin(), symbols_.end(), [](const Symbol& a, const Symbol& b) {
    if (a.start != b.start) return a.start < b.start;
    return a.size < b.size;
  });
  std::size_t kept = 0;
  for (std::size_t i = 0; i < symbols_.size(); ++i) {
    bool last_of_start = i + 1 == symbols_.size() || symbols_[i + 1].start != symbols_[i].start;
    if (!last_of_start) continue;
    if (kept != i) symbols_[kept] = std::move(symbols_[i]);
    ++kept;
  }
  symbols_.resize(kept);
  max_end_.resize(symbols_.size());
  fill_max_end<Symbol>(symbols_, max_end_);
}

const SymbolTable::Symbol* SymbolTable::find(uint64_t file_vaddr) const {
  return innermost_symbol<Symbol>(symbols_, max_end_, file_vaddr);
}

}  // namespace hprof
