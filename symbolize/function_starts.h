// Where functions start, from unwind information: every function with CFI
// is listed there, symbols or not, so stripped code can be named by its start
// ("libz.so.1+0xab40").  FunctionStarts reads the binary search table of
// .eh_frame_hdr; FdeExtents walks the FDEs of .eh_frame and .debug_frame
// themselves, for objects linked without that table.
#pragma once

#include <gelf.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hprof {

class FunctionStarts {
 public:
  // Reads the table of `elf`; empty when there is none or it is malformed.
  explicit FunctionStarts(Elf* elf);

  // The largest start <= file_vaddr, if any.  The caller checks that an FDE
  // really covers the address (the table has no ends).
  std::optional<uint64_t> start_before(uint64_t file_vaddr) const;
  bool empty() const { return starts_.empty(); }

 private:
  std::vector<uint64_t> starts_;  // sorted
};

class FdeExtents {
 public:
  // Adds the FDEs of `elf`'s .eh_frame (when it has contents) and
  // .debug_frame; FDEs in pointer encodings it does not know are left out.
  void add_sections(Elf* elf);
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
