#include "symbolize/symbol_table.h"

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
  uint64_t running = 0;
  for (std::size_t i = 0; i < symbols_.size(); ++i) {
    running = std::max(running, symbols_[i].start + symbols_[i].size);
    max_end_[i] = running;
  }
}

const SymbolTable::Symbol* SymbolTable::find(uint64_t file_vaddr) const {
  // Last symbol starting at or before the address, then walk back while an
  // earlier symbol could still cover it (nesting is rare and shallow).
  auto it = std::upper_bound(symbols_.begin(), symbols_.end(), file_vaddr,
                             [](uint64_t a, const Symbol& s) { return a < s.start; });
  const Symbol* best = nullptr;
  for (std::size_t i = static_cast<std::size_t>(it - symbols_.begin()); i-- > 0;) {
    if (max_end_[i] <= file_vaddr) break;
    const Symbol& s = symbols_[i];
    if (file_vaddr < s.start + s.size && (best == nullptr || s.size < best->size)) best = &s;
  }
  return best;
}

}  // namespace hprof
