// Where functions start, from unwind information: every function with CFI
// is listed there, symbols or not, so stripped code can be named by its start
// ("libz.so.1+0xab40").  FdeExtents walks the FDEs of .eh_frame and
// .debug_frame once and answers by binary search.
#pragma once

#include <gelf.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace hprof {

// The search behind FdeExtents::start_of, shared with SymbolIndex, which runs
// it over records in a mapped file: any `Ext` with `start` and `end`, sorted
// by start.  The start of the extent [start, end) that holds `file_vaddr`.
template <typename Ext>
std::optional<uint64_t> extent_start_of(std::span<const Ext> extents, uint64_t file_vaddr) {
  auto it = std::upper_bound(extents.begin(), extents.end(), file_vaddr,
                             [](uint64_t a, const Ext& e) { return a < e.start; });
  // FDEs do not overlap; look back a little in case one is nested anyway.
  for (int steps = 0; it != extents.begin() && steps < 4; ++steps) {
    --it;
    if (file_vaddr < it->end) return it->start;
  }
  return std::nullopt;
}

class FdeExtents {
 public:
  struct Extent {
    uint64_t start, end;
  };

  // Adds the FDEs of `elf`'s .eh_frame (when it has contents) and, with
  // `debug_frame`, of its .debug_frame; FDEs in pointer encodings it does not
  // know are left out.  A null `elf` adds nothing.
  void add_sections(Elf* elf, bool debug_frame = true);
  // Call once after the last add_sections().
  void finish();

  // The start of the FDE whose [start, start + range) holds `file_vaddr`.
  std::optional<uint64_t> start_of(uint64_t file_vaddr) const;
  bool empty() const { return extents_.empty(); }
  // Sorted by start after finish(): what SymbolIndex stores.
  const std::vector<Extent>& extents() const { return extents_; }

 private:
  void add_section(Elf* elf, Elf_Scn* scn, const GElf_Shdr& shdr, bool eh_frame);
  std::vector<Extent> extents_;  // sorted by start after finish()
};

}  // namespace hprof
