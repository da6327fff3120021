// Where functions start, from unwind information: every function with CFI
// is listed there, symbols or not, so stripped code can be named by its start
// ("libz.so.1+0xab40").  FdeExtents walks the FDEs of .eh_frame and
// .debug_frame once and answers by binary search.
#pragma once

#include <gelf.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace hprof {

class FdeExtents {
 public:
  // Adds the FDEs of `elf`'s .eh_frame (when it has contents) and, with
  // `debug_frame`, of its .debug_frame; FDEs in pointer encodings it does not
  // know are left out.  A null `elf` adds nothing.
  void add_sections(Elf* elf, bool debug_frame = true);
  // Call once after the last add_sections().
  void finish();

  // The start of the FDE whose [start, start + range) holds `file_vaddr`.
  std::optional<uint64_t> start_of(uint64_t file_vaddr) const;
  bool empty() const { return extents_.empty(); }

 private:
  void add_section(Elf* elf, Elf_Scn* scn, const GElf_Shdr& shdr, bool eh_frame);
  struct Extent {
    uint64_t start, end;
  };
  std::vector<Extent> extents_;  // sorted by start after finish()
};

}  // namespace hprof
