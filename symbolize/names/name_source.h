// One interface for every source of names of an ELF file's addresses
// (file_vaddr, link-time): the file's symbol table, DWARF inline chains, the
// separate debug file's symbol table, function starts from CFI.  Each says
// what it knows of an address; names/name_order.h composes them, in one
// order, into the frames of a lookup.  The symbol index is a cache layer over
// the same interface: every source saves its answers into it, and a read
// index answers as those sources do (names/indexed_names.h).  JIT code, in
// no file, has its names from perf maps, a source asked by runtime address
// (names/perf_map_names.h) and never indexed.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include "profile/frame.h"

namespace hprof {

struct IndexContents;
struct IndexPart;

// What one source says of one address; each source fills what it knows.
struct Naming {
  // DWARF: the frames, innermost first; the last one is normally the
  // concrete function.  Empty when it knows none.
  FrameChain frames;
  // A symbol table: the raw (mangled) name of the innermost sized symbol
  // holding the address.  Valid while the source lives.
  std::optional<std::string_view> symbol;
  // CFI: where the function holding the address starts.
  std::optional<uint64_t> function_start;

  static Naming of_frames(FrameChain frames) {
    Naming naming;
    naming.frames = std::move(frames);
    return naming;
  }
  static Naming of_symbol(std::optional<std::string_view> symbol) {
    Naming naming;
    naming.symbol = symbol;
    return naming;
  }
  static Naming of_start(std::optional<uint64_t> function_start) {
    Naming naming;
    naming.function_start = function_start;
    return naming;
  }
};

class NameSource {
 public:
  virtual ~NameSource() = default;

  // What the source knows of `file_vaddr`.
  virtual Naming at(uint64_t file_vaddr) = 0;
  // The same, read for that address alone, not with the announced ones:
  // what a cache layer asks where it has no answer of its own.
  virtual Naming at_alone(uint64_t file_vaddr) { return at(file_vaddr); }
  // The addresses at() will be asked about, before it is: a source may read
  // what they need at once.
  virtual void expect(std::span<const uint64_t> file_vaddrs) { (void)file_vaddrs; }
  // Every answer at() can give, into the source's `part` of the index's
  // `contents` (which holds what the parts share: DWARF chains, labels).
  virtual void save(IndexContents& contents, IndexPart& part) = 0;
};

}  // namespace hprof
