// One ELF file on disk (executable or shared object) with its symbols and
// debug information, answering lookups by file_vaddr (link-time address).
// Separate debug files are found by build-id and .gnu_debuglink under the
// user's --debug-dir directories, then where gdb looks (symbolize/debug_search.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "symbolize/debug_search.h"
#include "symbolize/frame.h"
#include "symbolize/function_starts.h"
#include "symbolize/symbol_index.h"
#include "symbolize/symbol_table.h"

struct Dwfl;
struct Dwfl_Module;

namespace hprof {

class InflatedDwarf;
class InlineResolver;

// What named the outermost frame of an address, best first.
enum class NameSource {
  kFileSymbols,   // the file's own .symtab / .dynsym
  kDwarf,         // DWARF (the file's or a separate debug file's)
  kDebugSymbols,  // a separate debug file's symbol table
  kFunctionStart, // placeholder "<basename>+0x<start>", the start from CFI
  kObjectOnly,    // placeholder "[<basename>]"
};

struct ObjectLookup {
  FrameChain frames;  // never empty
  NameSource source = NameSource::kObjectOnly;
  bool named() const { return source < NameSource::kFunctionStart; }
};

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
  std::string index;        // "read:PATH", "to-write:PATH" or "off"
};

class ObjectFile {
 public:
  // Opens `path`; throws std::runtime_error with the reason (missing, not a
  // regular file, not ELF, ...).  Never opens device files or FIFOs.
  // `search` says where separate debug files are looked for first.
  // `index_dir`, when not empty, is where the file's symbol index is read
  // from and written to (SymbolIndex).
  explicit ObjectFile(const std::string& path, DebugSearch search = {}, std::string index_dir = {});
  ~ObjectFile();
  ObjectFile(const ObjectFile&) = delete;
  ObjectFile& operator=(const ObjectFile&) = delete;

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

  // Frames at `file_vaddr`, innermost first, and what named them.  Never
  // empty: code that no symbol covers is named "<basename>+0x<function
  // start>" (start from CFI) or "[<basename>]".
  const ObjectLookup& lookup(uint64_t file_vaddr);
  // Says which addresses lookups will ask about, before they do: zlib-
  // compressed DWARF is then inflated only in the units that hold them
  // (unless an index is to be written, which needs all of it).  Addresses
  // not announced still get the right answer, at the price of inflating
  // again.
  void expect(std::span<const uint64_t> file_vaddrs);

  // The file's build-id, lower-case hex; empty when it has none.  Read when
  // the file was opened: nothing is searched or opened for it.
  std::string build_id() const;
  // Looks for the debug file if nothing has yet, and opens the DWARF.
  ObjectDescription describe();

  // True when a lookup found no usable index and one should be written.
  bool index_wanted() const { return index_state_ == IndexState::kWanted; }
  // Writes the file's index: every answer lookup() can give, from the whole
  // DWARF and symbol tables.  Throws std::system_error when it cannot.
  void write_index();

 private:
  ObjectLookup resolve(uint64_t file_vaddr);
  // Reads the index at the first lookup; a rejected one is warned about once.
  void open_index();
  // What the index is keyed by; nullopt when the file cannot be stat'ed.
  std::optional<IndexKey> index_key();
  // The separate debug file the search finds for this file (nothing opened
  // but its header), searched once; empty when the file has its own
  // .debug_info or none is found.
  const std::string& debug_file_path();
  InlineResolver& inlines();
  // The four inputs of a lookup, from the index when there is one.
  FrameChain dwarf_frames(uint64_t file_vaddr);
  std::optional<std::string_view> file_symbol(uint64_t file_vaddr);
  std::optional<std::string_view> debug_symbol(uint64_t file_vaddr);
  std::optional<uint64_t> function_start(uint64_t file_vaddr);
  void load_file_symbols();
  void load_debug_symbols();
  std::string outer_name_from_symbols(uint64_t file_vaddr, SymbolTable& table);
  // Where functions start, from CFI: the FDEs walked on first need.
  const FdeExtents& fde_extents();
  Elf* debug_elf();  // the separate debug file's ELF; null when none
  InflatedDwarf* inflated_dwarf();

  struct Segment {
    uint64_t offset, vaddr, filesz;
  };

  std::string path_;
  std::string display_name_;
  std::unique_ptr<DebugSearch> search_;  // the module's userdata: stays put
  Dwfl* dwfl_ = nullptr;
  Dwfl_Module* module_ = nullptr;
  std::vector<Segment> loads_;
  // The file's own table (.symtab, else .dynsym): it names the outermost
  // function, as llvm-symbolizer does, so names agree with the Go pprof.
  bool file_symbols_loaded_ = false;
  SymbolTable file_symbols_;
  std::string own_table_ = "none";
  // The best table libdwfl finds, a separate debug file's .symtab included:
  // used when neither the file's table nor DWARF names an address.
  bool debug_symbols_loaded_ = false;
  SymbolTable debug_symbols_;
  std::unique_ptr<FdeExtents> fde_extents_;  // read on first need
  // The DWARF opened apart when it is zlib-compressed (null when libdwfl
  // opens it), looked for on first need.
  std::vector<uint64_t> expected_;  // expect()ed, not yet answered from DWARF
  // DWARF answers for expected_, found in batches of units with a Dwarf
  // each, so that libdw's caches never hold more than one batch.
  std::unordered_map<uint64_t, FrameChain> prefetched_;
  void prefetch_dwarf_frames();
  bool inflated_looked_for_ = false;
  bool inflated_is_separate_ = false;
  std::unique_ptr<InflatedDwarf> inflated_;
  std::unique_ptr<InlineResolver> inlines_;           // made on first need
  std::optional<std::string> debug_path_;             // debug_file_path(), once searched
  std::unordered_map<uint64_t, ObjectLookup> cache_;
  // The symbol index.
  enum class IndexState { kOff, kUnchecked, kRead, kWanted, kWritten };
  IndexState index_state_ = IndexState::kOff;
  std::string index_dir_;
  std::optional<IndexKey> index_key_;
  std::unique_ptr<SymbolIndex> index_;
};

}  // namespace hprof
