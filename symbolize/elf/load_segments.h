// An ELF file's PT_LOAD segments: how a mapping of the file in a process
// relates to the file's addresses, and whether the mapping is of this file.
#pragma once

#include <gelf.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace hprof {

class LoadSegments {
 public:
  explicit LoadSegments(Elf* elf);  // none for a null `elf`

  // The load bias of a mapping of this file: start - offset + p_offset - p_vaddr
  // of the PT_LOAD segment that holds the mapping's file offset.  nullopt
  // when no segment holds it (the file does not match the mapping).
  std::optional<uint64_t> bias_for_mapping(uint64_t start, uint64_t offset) const;
  // The size of the mapping the loader makes of the PT_LOAD segment holding
  // file offset `offset` (its file extent rounded out to `page_size`
  // pages); nullopt when no segment holds it.
  std::optional<uint64_t> segment_mapping_size(uint64_t offset, uint64_t page_size = 4096) const;
  // True when a mapping of `size` bytes at `offset` is what mapping that
  // segment gives with 4, 16 or 64 KiB pages: the file is the one mapped.
  bool matches_mapping(uint64_t offset, uint64_t size) const;
  // True when a mapping of `size` bytes at `offset`, a page boundary, lies
  // inside the pages of one executable segment (4, 16 or 64 KiB pages): a
  // part of the code mapped again, as V8 maps its builtins a second time.
  bool holds_mapping(uint64_t offset, uint64_t size) const;
  // The link-time address of the first segment; nullopt when there is none.
  std::optional<uint64_t> first_vaddr() const;

 private:
  struct Segment {
    uint64_t offset, vaddr, filesz;
    bool executable;
  };
  std::vector<Segment> loads_;
};

// LoadSegments(elf).first_vaddr(), without keeping the rest: libdwfl's
// address sync between a file and its debug file.
std::optional<uint64_t> first_load_vaddr(Elf* elf);

}  // namespace hprof
