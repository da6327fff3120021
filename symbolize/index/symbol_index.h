// The persistent symbol index of one ELF file: every answer of the file's
// name sources (names/name_source.h), one part each (its symbol tables, the
// function starts from CFI, and the DWARF frames, inline chains included, as
// address intervals), so that a later run answers without reading the
// file's DWARF.  Written once, memory-mapped and verified (format version,
// identity of the files it was built from, checksum) on every read.  GSYM's
// idea: sorted address ranges and interned strings, searched in place.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "symbolize/elf/function_starts.h"
#include "symbolize/elf/symbol_table.h"
#include "profile/frame.h"
#include "symbolize/index/index_key.h"
#include "symbolize/names/name_source.h"

namespace hprof {

// How many name sources the index holds (index_format.h's kParts).
inline constexpr std::size_t kIndexParts = 4;

// What one name source saves of itself, in the one shape its answers have.
struct IndexPart {
  // A symbol table, in SymbolTable's finished order (sorted by start, one
  // symbol per start); raw names.
  std::vector<SymbolTable::Symbol> symbols;
  // DWARF answers: sorted, disjoint.  An address in no interval has no DWARF
  // frames; one in an interval with kAskDwarf must be asked of the DWARF,
  // which the index does not model there; one in an interval with kNotSwept
  // belongs to a unit no run has read yet: the DWARF answers it, and the
  // index then grows by that unit.
  struct Interval {
    uint64_t start = 0, end = 0;  // [start, end)
    uint32_t chain = 0;           // IndexContents::add_chain's number, kAskDwarf or kNotSwept
  };
  std::vector<Interval> intervals;
  // Function extents (FdeExtents), sorted by start.
  std::vector<FdeExtents::Extent> extents;
};

// What the builder hands over, in memory.
struct IndexContents {
  using Symbol = SymbolTable::Symbol;  // raw names
  using Extent = FdeExtents::Extent;
  using Interval = IndexPart::Interval;
  static constexpr uint32_t kAskDwarf = 0xffffffffu;
  static constexpr uint32_t kNotSwept = 0xfffffffeu;

  // The label of the file's own table: ".symtab", ".dynsym" or "none".
  std::string own_table;
  // One part per name source, in names/name_order.h's order.
  std::array<IndexPart, kIndexParts> parts;

  // Adds `chain` unless an equal one is there, its strings and frames stored
  // once (a library's DWARF gives millions of frames over a few thousand
  // names); returns its number, for Interval::chain.
  uint32_t add_chain(const FrameChain& chain);
  size_t chain_count() const;
  // The frames of chain `number`, as added.
  FrameChain chain(uint32_t number) const;
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
  // 2: intervals not swept (kNotSwept), an index that grows.
  static constexpr uint32_t kFormatVersion = 2;

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

  // What part `part` (a name source's) says of `file_vaddr`, as that
  // source would; nullopt when the index says to ask the source itself.
  std::optional<Naming> at(std::size_t part, uint64_t file_vaddr) const;
  std::string_view own_table() const;

  // at() by shape.  A symbol part: SymbolTable::find, the raw name of the
  // innermost sized symbol holding `file_vaddr`.
  std::optional<std::string_view> symbol(std::size_t part, uint64_t file_vaddr) const;
  // An extent part: FdeExtents::start_of.
  std::optional<uint64_t> function_start(std::size_t part, uint64_t file_vaddr) const;
  // An interval part: the DWARF frames at `file_vaddr` (empty: none); nullopt
  // when the index says to ask the DWARF, or cannot answer (a reference out
  // of bounds).
  std::optional<FrameChain> frames(std::size_t part, uint64_t file_vaddr) const;
  // Whether an interval part holds the answer at `file_vaddr`: false in an
  // interval not swept (kNotSwept), where the DWARF must answer.  Always
  // true for the other parts.
  bool swept(std::size_t part, uint64_t file_vaddr) const;
  // Part `part` as it was saved, into `contents`: what a grown index keeps
  // of this one.  For an interval part, `fresh` (what the DWARF answered
  // this run, in the same shape) is laid over the intervals not swept.
  void copy_part(std::size_t part, IndexContents& contents, IndexPart& out, const IndexPart& fresh) const;

 private:
  SymbolIndex() = default;
  // Chain `chain_number`'s frames; nullopt when a reference is out of bounds.
  std::optional<FrameChain> chain(uint32_t chain_number) const;
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
