// DWARF as a name source: the inline chain at an address, the concrete
// function last.  Announced addresses are answered together, before the
// first lookup, when .debug_info is inflated in part (dwarf/frame_prefetch.h).
#pragma once

#include <unordered_map>

#include "symbolize/dwarf/dwarf_file.h"
#include "symbolize/names/name_source.h"

namespace hprof {

class DwarfNames : public NameSource {
 public:
  explicit DwarfNames(DwarfFile& dwarf) : dwarf_(&dwarf) {}

  Naming at(uint64_t file_vaddr) override;
  Naming at_alone(uint64_t file_vaddr) override;
  void expect(std::span<const uint64_t> file_vaddrs) override;
  void save(IndexContents& contents, IndexPart& part) override;

 private:
  void prefetch();
  DwarfFile* dwarf_;
  std::unordered_map<uint64_t, FrameChain> prefetched_;  // announced, answered, not yet asked for
};

}  // namespace hprof
