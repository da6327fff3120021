// One ELF file on disk (executable or shared object) with its symbols and
// debug information, answering lookups by file_vaddr (link-time address):
// its name sources composed in one order (names/name_order.h), read through
// its symbol index when there is a sound one, each answer kept.  Separate
// debug files are found by build-id and .gnu_debuglink under the user's
// --debug-dir directories, then where gdb looks (elf/debug_search.h).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>

#include "symbolize/dwarf/dwarf_file.h"
#include "symbolize/elf/debug_search.h"
#include "symbolize/elf/elf_module.h"
#include "symbolize/elf/load_segments.h"
#include "profile/frame.h"
#include "symbolize/index/object_index.h"
#include "symbolize/names/cfi_starts.h"
#include "symbolize/names/debug_symbols.h"
#include "symbolize/names/dwarf_names.h"
#include "symbolize/names/file_symbols.h"
#include "symbolize/names/indexed_names.h"
#include "symbolize/names/name_order.h"

namespace hprof {

// Where a file's names and debug information come from, for --verbose.
struct ObjectDescription {
  std::string build_id;     // hex; empty when the file has none
  std::string own_symbols;  // ".symtab", ".dynsym" or "none"
  std::string debug_file;   // the separate debug file used; empty when none
  bool debug_file_has_symtab = false;
  std::string dwarf_file;   // the file DWARF came from; empty when there is none
  bool dwarf_inflated = false;  // its zlib-compressed sections read through InflatedDwarf, not libdwfl
  // With .debug_info inflated in part: the units kept whole, of all.
  size_t dwarf_units_kept = 0, dwarf_units = 0;
  bool dwarf_resumed = false;  // those units inflated from resume points, not by streaming the section
  std::string index;        // "read:PATH", "grown:PATH" (read, and written again), "to-write:PATH" or "off"
};

class ObjectFile {
 public:
  // Opens `path`; throws std::runtime_error with the reason (missing, not a
  // regular file, not ELF, ...).  Never opens device files or FIFOs.
  // `search` says where separate debug files are looked for first.
  // `index_dir`, when not empty, is where the file's symbol index is read
  // from and written to (SymbolIndex).
  explicit ObjectFile(const std::string& path, DebugSearch search = {}, std::string index_dir = {});
  ObjectFile(const ObjectFile&) = delete;
  ObjectFile& operator=(const ObjectFile&) = delete;

  // The file's PT_LOAD segments against a mapping of it (elf/load_segments.h).
  std::optional<uint64_t> bias_for_mapping(uint64_t start, uint64_t offset) const {
    return segments_.bias_for_mapping(start, offset);
  }
  std::optional<uint64_t> segment_mapping_size(uint64_t offset, uint64_t page_size = 4096) const {
    return segments_.segment_mapping_size(offset, page_size);
  }
  bool matches_mapping(uint64_t offset, uint64_t size) const { return segments_.matches_mapping(offset, size); }
  bool holds_mapping(uint64_t offset, uint64_t size) const { return segments_.holds_mapping(offset, size); }

  // Frames at `file_vaddr`, innermost first, and what named them.  Never
  // empty: code that no symbol covers is named "<basename>+0x<function
  // start>" (start from CFI) or "[<basename>]".
  const ObjectLookup& lookup(uint64_t file_vaddr);
  // Says which addresses lookups will ask about, before they do: zlib-
  // compressed DWARF is then inflated only in the units that hold them and
  // that no index has swept.  Addresses not announced still get the right
  // answer, at the price of inflating again.
  void expect(std::span<const uint64_t> file_vaddrs);

  // The file's build-id, lower-case hex; empty when it has none.  Read when
  // the file was opened: nothing is searched or opened for it.
  std::string build_id() const { return module_.build_id(); }
  const std::string& display_name() const { return module_.display_name(); }  // the file's basename
  // Looks for the debug file if nothing has yet, and opens the DWARF.
  ObjectDescription describe();

  // True when a lookup found no usable index, or one that had to ask the
  // DWARF of units it had not swept: an index should be written.
  bool index_wanted() const { return index_.wanted() || (indexed_[1] && indexed_[1]->grown()); }
  // Writes the file's index: its symbol tables and function starts, and
  // every DWARF answer of the units this run and the earlier ones read;
  // beside it, the resume points of compressed DWARF this run streamed.
  // Throws std::system_error when it cannot.
  void write_index() {
    index_.write(sources());
    dwarf_.save_resume_points();
  }

 private:
  // The index's sources once it is read, else the live ones.
  const NameSources& sources();

  ElfModule module_;
  LoadSegments segments_;
  ObjectIndex index_;
  DwarfFile dwarf_;
  // The live sources, read from the file and its debug file on first need.
  FileSymbols file_symbols_;
  DwarfNames dwarf_names_;
  DebugSymbols debug_symbols_;
  CfiStarts cfi_starts_;
  NameSources live_;
  // The index in their place, once read.
  std::array<std::unique_ptr<IndexedNames>, kIndexParts> indexed_;
  NameSources from_index_{};
  std::unordered_map<uint64_t, ObjectLookup> cache_;
};

}  // namespace hprof
