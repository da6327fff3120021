// The persistent symbol index of one ELF file: every answer of the file's
// name sources (names/name_source.h), enough to name any address of the file (its symbol tables, the function starts from
// CFI, and the DWARF frames, inline chains included, as address intervals),
// so that a later run answers without reading the file's DWARF.  Written once,
// memory-mapped and verified (format version, identity of the files it was
// built from, checksum) on every read.  GSYM's idea: sorted address ranges and
// interned strings, searched in place.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "symbolize/elf/function_starts.h"
#include "symbolize/elf/symbol_table.h"
#include "symbolize/frame.h"
#include "symbolize/index/index_key.h"

namespace hprof {

// What the builder hands over, in memory.
struct IndexContents {
  using Symbol = SymbolTable::Symbol;  // raw names
  using Extent = FdeExtents::Extent;
  // An address interval with one answer of the file's DWARF.
  struct Interval {
    uint64_t start = 0, end = 0;  // [start, end)
    uint32_t chain = 0;           // into `chains`, or kAskDwarf
  };
  static constexpr uint32_t kAskDwarf = 0xffffffffu;

  // The file's own table (.symtab, else .dynsym), in SymbolTable's finished
  // order (sorted by start, one symbol per start).
  std::vector<Symbol> file_symbols;
  std::string own_table;  // ".symtab", ".dynsym" or "none"
  // The best table libdwfl finds (a separate debug file's .symtab), same order.
  std::vector<Symbol> debug_symbols;
  // FdeExtents, sorted by start.
  std::vector<Extent> fde_extents;
  // DWARF answers: sorted, disjoint.  An address in no interval has no DWARF
  // frames; one in an interval with kAskDwarf must be asked of the DWARF.
  std::vector<Interval> intervals;

  // Adds `chain` unless an equal one is there, its strings and frames stored
  // once (a library's DWARF gives millions of frames over a few thousand
  // names); returns its number, for Interval::chain.
  uint32_t add_chain(const FrameChain& chain);
  size_t chain_count() const;
  struct Interned;
  std::shared_ptr<Interned> interned;  // made by the first add_chain()
};

// Why an index file was not used.
enum class IndexRejection {
  kMissing,    // no file (not worth a warning)
  kVersion,    // another format version
  kStale,      // built from other files, or from files changed since
  kTruncated,  // shorter than its header says
  kCorrupt,    // bad magic, checksum mismatch, offsets out of bounds
  kUnreadable, // open/mmap failed for another reason (permissions, EIO)
};

class SymbolIndex {
 public:
  static constexpr uint32_t kFormatVersion = 1;

  struct Opened {
    std::unique_ptr<SymbolIndex> index;  // null when rejected
    IndexRejection rejection = IndexRejection::kMissing;
    std::string reason;                  // for the warning, e.g. "checksum mismatch"
    // kStale because this one of the key's sources (its position in
    // IndexKey::sources) changed size or modification time since.
    std::optional<size_t> changed_source;
  };
  // Maps and verifies the index at `path` for `key`, in this order: magic,
  // format version, size, the checksum over the whole file, bounds, then
  // identity (the key), so that only a sound file is asked what it was built
  // from.  The checksum pass is the only full read; records are not copied.
  static Opened open(const std::string& path, const IndexKey& key);

  // Serializes `contents` for `key` and writes it atomically to `path`
  // (temporary file in the same directory, then rename), creating the
  // directory (and parents) when missing.  Safe to run in several processes
  // at once.  Throws std::system_error naming the path when it cannot.
  static void write(const std::string& path, const IndexKey& key, const IndexContents& contents);

  ~SymbolIndex();
  SymbolIndex(const SymbolIndex&) = delete;
  SymbolIndex& operator=(const SymbolIndex&) = delete;

  // SymbolTable::find over the file's own / the debug symbol table: the raw
  // name of the innermost sized symbol holding `file_vaddr`.
  std::optional<std::string_view> file_symbol(uint64_t file_vaddr) const;
  std::optional<std::string_view> debug_symbol(uint64_t file_vaddr) const;
  std::string_view own_table() const;
  // FdeExtents::start_of.
  std::optional<uint64_t> function_start(uint64_t file_vaddr) const;
  // The DWARF frames at `file_vaddr` (empty: none); nullopt when the index
  // says to ask the DWARF, or cannot answer (a reference out of bounds).
  std::optional<FrameChain> dwarf_frames(uint64_t file_vaddr) const;

 private:
  SymbolIndex() = default;
  struct Mapped;
  std::unique_ptr<Mapped> mapped_;
};

// What an index file says it was built for: its build-id and the path of the
// ELF file (the key's first source).  Read from the header and the two
// strings alone, without the checksum pass, so asking it of every index in a
// directory costs a few reads each.  nullopt for anything that is not an
// index of this format version with those fields in bounds.
struct IndexOrigin {
  std::string build_id;
  std::string file;
};
std::optional<IndexOrigin> index_origin(const std::string& path);

}  // namespace hprof
