// Inline chains from DWARF: the frames at one address of a module, innermost
// first, each inlined copy with its own name and position.
#pragma once

#include <elfutils/libdw.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "profile/frame.h"

struct Dwfl_Module;

namespace hprof {

class ArangeUnits;

// Answers inline-chain lookups for one module.  Each compilation unit is
// indexed on first use: its top-level functions by address range, then, for
// a function an address falls in, the tree of its DIEs with code (inlined
// subroutines, lexical blocks) nested in their parents; a lookup descends
// from the function into the innermost range.  The frames are exactly those
// of libdw's scope search (dwarf_frames_by_scope_search), imported partial
// units (dwz) included, but for one case where that search gives up: an
// inlined subroutine whose abstract origin lies in a unit the unit's walk
// never takes in (gcc -flto), answered as llvm-symbolizer answers.  For what
// the index does not model (code in partial units, split units, import
// cycles, libdw errors) it asks that search.
//
// Holds copies of DIE handles only: it must not outlive the module's Dwfl,
// and it is not thread-safe.
class InlineResolver {
 public:
  explicit InlineResolver(Dwfl_Module* module);
  explicit InlineResolver(Dwarf* dwarf);  // a Dwarf opened apart (see DwarfSource)
  // The same, its units found through `aranges` (which must outlive this)
  // while later units are still being inflated: addresses where that
  // finding is ambiguous (DwarfSource::Units::ambiguous) must not be asked.
  InlineResolver(Dwarf* dwarf, const ArangeUnits& aranges);
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
  void sweep(const IntervalVisitor& visit) { sweep_units_at(nullptr, visit, {}); }
  // The same over the units that hold `addresses` alone (those a run read):
  // the addresses of every other unit are given to `skipped(low, high)`, in
  // the same address order, and to no interval.  With `addresses` null,
  // every unit.
  using RangeVisitor = std::function<void(uint64_t low, uint64_t high)>;
  void sweep_units_at(const std::vector<uint64_t>* addresses, const IntervalVisitor& visit,
                      const RangeVisitor& skipped);

 private:
  struct Unit;
  struct Index;
  std::unique_ptr<Index> index_;
};

}  // namespace hprof
