// Function symbols of one ELF object, sorted by address, for lookups by
// file_vaddr.  Only sized symbols claim addresses: a pc outside every
// symbol's extent is not credited to the nearest symbol before it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hprof {

// The search behind SymbolTable::find, shared with SymbolIndex, which runs it
// over records in a mapped file: any `Sym` with `start` and `size`.
// `symbols` is in finished order (sorted by start, one symbol per start);
// `max_end` has one element per symbol, max_end[i] = max(start + size) over
// symbols[0..i] (fill_max_end), which lets the search stop early.  Returns
// the innermost (smallest) symbol holding `file_vaddr`, or null.
template <typename Sym>
const Sym* innermost_symbol(std::span<const Sym> symbols, std::span<const uint64_t> max_end, uint64_t file_vaddr) {
  // Last symbol starting at or before the address, then walk back while an
  // earlier symbol could still cover it (nesting is rare and shallow).
  auto it = std::upper_bound(symbols.begin(), symbols.end(), file_vaddr,
                             [](uint64_t a, const Sym& s) { return a < s.start; });
  const Sym* best = nullptr;
  for (std::size_t i = static_cast<std::size_t>(it - symbols.begin()); i-- > 0;) {
    if (max_end[i] <= file_vaddr) break;
    const Sym& s = symbols[i];
    if (file_vaddr < s.start + s.size && (best == nullptr || s.size < best->size)) best = &s;
  }
  return best;
}

// max_end for innermost_symbol: `out[i]` = max(start + size) over
// symbols[0..i]; `out` has symbols.size() elements.
template <typename Sym>
void fill_max_end(std::span<const Sym> symbols, std::span<uint64_t> out) {
  uint64_t running = 0;
  for (std::size_t i = 0; i < symbols.size() && i < out.size(); ++i) {
    running = std::max(running, symbols[i].start + symbols[i].size);
    out[i] = running;
  }
}

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
  // The raw name of find()'s symbol; nullopt when none holds `file_vaddr`.
  std::optional<std::string_view> name_at(uint64_t file_vaddr) const {
    const Symbol* symbol = find(file_vaddr);
    return symbol != nullptr ? std::optional<std::string_view>(symbol->name) : std::nullopt;
  }

  // The symbols after finish(), in the order find() searches: sorted by
  // start, one per start.  SymbolIndex stores them in this order.
  const std::vector<Symbol>& symbols() const { return symbols_; }

 private:
  std::vector<Symbol> symbols_;
  // max_end_[i] = max(start + size) over symbols_[0..i]: lets find() stop early.
  std::vector<uint64_t> max_end_;
};

}  // namespace hprof
