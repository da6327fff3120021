// Inline chains from DWARF: the frames at one address of a module, innermost
// first, each inlined copy with its own name and position.
#pragma once

#include <elfutils/libdw.h>

#include <cstdint>
#include <functional>
#include <memory>

#include "symbolize/frame.h"

struct Dwfl_Module;

namespace hprof {

// Where a module's DWARF is read: through libdwfl's module, or from a Dwarf
// handle opened apart whose addresses are the module's (bias 0), with
// libdwfl's rules for the unit and the line-table row of an address, so that
// both give the same answers.
class DwarfSource {
 public:
  explicit DwarfSource(Dwfl_Module* module);
  explicit DwarfSource(Dwarf* dwarf);
  ~DwarfSource();
  DwarfSource(const DwarfSource&) = delete;
  DwarfSource& operator=(const DwarfSource&) = delete;

  // The DIE of the compile unit holding `file_vaddr`, as dwfl_module_addrdie
  // finds it (an address in a gap between two units' aranges belongs to the
  // unit before it); null when none.  The DIE stays put while this lives.
  Dwarf_Die* unit_at(uint64_t file_vaddr, Dwarf_Addr* bias);
  // The source file and line of the line-table row at `file_vaddr`
  // (dwfl_module_getsrc's rule); false when no row holds it.
  bool line_at(uint64_t file_vaddr, const char** file, int* line);

  // Whether there is DWARF to read at all.
  bool has_dwarf();
  // The Dwarf read, when its addresses are the module's (bias 0); null
  // otherwise.
  Dwarf* dwarf_at_bias_zero();

 private:
  friend class InlineResolver;
  struct Units;
  Dwfl_Module* module_ = nullptr;
  std::unique_ptr<Units> units_;  // with a Dwarf opened apart
};

// Answers inline-chain lookups for one module.  Each compilation unit is
// indexed on first use: its top-level functions by address range, then, for
// a function an address falls in, the tree of its DIEs with code (inlined
// subroutines, lexical blocks) nested in their parents; a lookup descends
// from the function into the innermost range.  The frames are exactly those
// of libdw's scope search (dwarf_frames_by_scope_search), imported partial
// units (dwz) included; for what the index does not model (code in partial
// units, split units, import cycles, libdw errors) it asks that search.
//
// Holds copies of DIE handles only: it must not outlive the module's Dwfl,
// and it is not thread-safe.
class InlineResolver {
 public:
  explicit InlineResolver(Dwfl_Module* module);
  explicit InlineResolver(Dwarf* dwarf);  // a Dwarf opened apart (see DwarfSource)
  ~InlineResolver();
  InlineResolver(const InlineResolver&) = delete;
  InlineResolver& operator=(const InlineResolver&) = delete;

  // Empty when the module has no DWARF for `file_vaddr` or no function
  // covers it.  The last frame is normally the concrete function (inlined ==
  // false); a frame whose DWARF entry has no name has an empty `function`.
  FrameChain frames(uint64_t file_vaddr);

  // Every answer of frames() at once, for an index: calls `visit(low, high,
  // chain)` in address order for disjoint intervals such that frames(pc) ==
  // *chain for every pc in [low, high); `chain` is null where frames() would
  // ask libdw's scope search (what the resolver does not model).  frames() is
  // empty at every address outside the intervals.
  using IntervalVisitor = std::function<void(uint64_t low, uint64_t high, const FrameChain* chain)>;
  void sweep(const IntervalVisitor& visit);

 private:
  struct Unit;
  struct Index;
  std::unique_ptr<Index> index_;
};

// The same chain through libdw's dwarf_getscopes and dwarf_getscopes_die,
// which walk the whole compilation unit on every call: the reference the
// resolver agrees with, and its fallback.
FrameChain dwarf_frames_by_scope_search(Dwfl_Module* module, uint64_t file_vaddr);
FrameChain dwarf_frames_by_scope_search(DwarfSource& source, uint64_t file_vaddr);

}  // namespace hprof
