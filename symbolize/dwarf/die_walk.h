// libdw's scope walk as data: which DIEs it visits and descends into, per
// unit and per function, so that the inline resolver can answer as
// dwarf_getscopes does without walking the whole unit on every lookup.
#pragma once

#include <dwarf.h>
#include <elfutils/libdw.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <queue>
#include <unordered_map>
#include <utility>
#include <vector>

namespace hprof::dwarf_walk {

// The index.  It answers as libdw's dwarf_getscopes + dwarf_getscopes_die do
// (libdw_visit_scopes.c, dwarf_getscopes.c), which for one address:
//
//  1. walk the unit's children in DIE order, descending into the first child
//     whose ranges (dwarf_haspc) hold the address, then into that child's
//     first such child, and so on; a DIE is descended into only when its tag
//     may own scopes (may_have_scopes below) and it has children, and the
//     children of a partial unit take the place of the DW_TAG_imported_unit
//     that imports it.  The innermost DIE reached wins, whatever its tag; the
//     chain is that DIE and its parents.
//  2. when an inlined subroutine lies on that chain, look for the deepest
//     one's DW_AT_abstract_origin among the DIEs the same walk visits without
//     the address test; when it is not there, there is no answer at all (and
//     when the attribute is missing, an error: no answer either).  The
//     resolver departs from this where the origin lies in a unit the walk
//     never takes in (gcc -flto): there it answers with the chain of step 1.
//
// Step 1 becomes a search in a per-unit table of top-level DIEs with ranges,
// then in a per-function tree built once.  Step 2 checks that the origin's
// unit is the compile unit or one its imports take in, then descends by DIE
// offsets from that unit's root towards the origin, through per-unit tables
// of the DIEs with children at each level.

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

// libdw's may_have_scopes(): the tags its scope walk descends into.
inline bool may_have_scopes(int tag) {
  switch (tag) {
    case DW_TAG_compile_unit:
    case DW_TAG_module:
    case DW_TAG_lexical_block:
    case DW_TAG_with_stmt:
    case DW_TAG_catch_block:
    case DW_TAG_try_block:
    case DW_TAG_entry_point:
    case DW_TAG_inlined_subroutine:
    case DW_TAG_subprogram:
    case DW_TAG_namespace:
    case DW_TAG_class_type:
    case DW_TAG_structure_type:
      return true;
    default:
      return false;
  }
}

// libdw's walk puts the children of an imported (partial) unit in place of
// its DW_TAG_imported_unit, never visiting that DIE itself.  True, with the
// unit's DIE, when it does; it skips an import it cannot follow, of a compile
// unit (as gcc -flto emits) or of a unit without children.
inline bool import_target(Dwarf_Die* import, Dwarf_Die* target) {
  Dwarf_Attribute attr;
  Dwarf_Die first;
  return dwarf_formref_die(dwarf_attr(import, DW_AT_import, &attr), target) != nullptr &&
         dwarf_tag(target) != DW_TAG_compile_unit && dwarf_child(target, &first) == 0;
}

struct Range {
  Dwarf_Addr low, high;
};

// Appends the DIE's non-empty address ranges (low_pc/high_pc or DW_AT_ranges,
// DWARF 4 and 5).  False on a libdw error: libdw's walk tolerates some and
// fails on others, so the caller leaves such DWARF to libdw.
inline bool read_ranges(Dwarf_Die* die, std::vector<Range>& out) {
  Dwarf_Addr base = 0, low = 0, high = 0;
  ptrdiff_t offset = 0;
  while ((offset = dwarf_ranges(die, offset, &base, &low, &high)) > 0) {
    if (low < high) out.push_back({low, high});
  }
  return offset == 0;
}

// Of a list of items in DIE order, each with ranges, the first one whose
// ranges hold an address: the item libdw's walk descends into.
class FirstCover {
 public:
  struct Entry {
    Dwarf_Addr low, high;
    uint32_t item;
  };

  void build(std::vector<Entry> entries) {
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      return a.low != b.low ? a.low < b.low : a.item < b.item;
    });
    bool overlap = false;
    Dwarf_Addr reach = 0;
    for (size_t i = 0; i < entries.size() && !overlap; ++i) {
      overlap = i > 0 && entries[i].low < reach;
      reach = std::max(reach, entries[i].high);
    }
    if (!overlap) {
      segments_ = std::move(entries);
      return;
    }
    // Overlapping ranges (rare): cut the addresses at every boundary and give
    // each piece to the first item covering it.
    std::vector<Dwarf_Addr> bounds;
    bounds.reserve(entries.size() * 2);
    for (const Entry& e : entries) {
      bounds.push_back(e.low);
      bounds.push_back(e.high);
    }
    std::sort(bounds.begin(), bounds.end());
    bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
    using Active = std::pair<uint32_t, Dwarf_Addr>;  // item, end
    std::priority_queue<Active, std::vector<Active>, std::greater<>> active;
    size_t next = 0;
    for (size_t b = 0; b + 1 < bounds.size(); ++b) {
      Dwarf_Addr low = bounds[b], high = bounds[b + 1];
      for (; next < entries.size() && entries[next].low == low; ++next) {
        active.push({entries[next].item, entries[next].high});
      }
      while (!active.empty() && active.top().second <= low) active.pop();
      if (active.empty()) continue;
      uint32_t item = active.top().first;
      if (!segments_.empty() && segments_.back().high == low && segments_.back().item == item) {
        segments_.back().high = high;
      } else {
        segments_.push_back({low, high, item});
      }
    }
  }

  // Disjoint, by address: each piece of address space and its item.
  const std::vector<Entry>& segments() const { return segments_; }

  uint32_t find(Dwarf_Addr pc) const {
    auto it = std::upper_bound(segments_.begin(), segments_.end(), pc,
                               [](Dwarf_Addr value, const Entry& e) { return value < e.low; });
    if (it == segments_.begin()) return kNone;
    --it;
    return pc < it->high ? it->item : kNone;
  }

 private:
  std::vector<Entry> segments_;  // sorted, disjoint
};

// A DIE with code below a top-level function (or the function itself, node
// 0): children are linked in DIE order.
struct Node {
  Dwarf_Die die;
  int tag;
  uint32_t ranges_begin, ranges_end;  // into FunctionTree::ranges
  uint32_t first_child = kNone;
  uint32_t next_sibling = kNone;
};

// The DIEs with code in and under one of the unit's children with ranges
// (normally a function), built when an address first falls in it.
struct FunctionTree {
  std::vector<Node> nodes;
  std::vector<Range> ranges;

  bool covers(const Node& node, Dwarf_Addr pc) const {
    for (uint32_t i = node.ranges_begin; i < node.ranges_end; ++i) {
      if (pc >= ranges[i].low && pc < ranges[i].high) return true;
    }
    return false;
  }
};

// A DIE with children, as the span of DIE offsets its subtree covers,
// relative to its unit's DIE: (begin, end), `begin` being the DIE itself.
// Compact: a unit has thousands.
struct Subtree {
  static constexpr uint32_t kOpenEnd = (1u << 31) - 1;  // also the largest offset
  uint32_t begin;
  uint32_t end : 31;
  uint32_t walked : 1;  // libdw's walk descends into it
};

// Lists the children of `parent` that have children of their own, their
// offsets relative to `base`; the last one's subtree ends where the parent's
// does.  False on a libdw error, or in a unit too large for Subtree.
bool list_subtrees(Dwarf_Die* parent, Dwarf_Off base, uint32_t parent_end, std::vector<Subtree>& out);

// Builds the tree of DIEs with code under `function`, as libdw's walk sees
// them: below a DIE it descends into, every child with ranges.  False when
// the index cannot stand in for libdw here (an import that adds DIEs, a DIE of
// another unit, a libdw error).
bool build_function(Dwarf_Die function, FunctionTree& fn);

enum class Reach : uint8_t { kYes, kNo, kUnknown };

// One unit's DIE tree (a compile unit, or a partial unit that imports put in
// place) as libdw's walk sees it, enough to tell whether the walk visits a
// DIE: per level, the DIEs with children and whether it descends into them.
struct UnitTree {
  explicit UnitTree(Dwarf_Die die) : root(die) {}

  Dwarf_Die root;
  std::optional<bool> top_listed;  // false: libdw failed
  std::vector<Subtree> top;
  std::unordered_map<uint32_t, std::vector<Subtree>> nested;  // by parent (Subtree::begin)
  std::unordered_map<Dwarf_Off, Reach> visited;                // by DIE offset
  // The units whose children the walk puts in place of this one's imports,
  // anywhere in it (not transitively).
  std::optional<bool> imports_listed;  // false: libdw failed
  std::vector<Dwarf_Die> imports;
  // Whether the children of this (partial) unit, put in place by an import,
  // are free of DIEs with ranges, its own imports followed.
  enum class Flat : uint8_t { kUnknown, kPending, kNoRanges, kNotIndexable } flat = Flat::kUnknown;

  // Whether libdw's walk of this unit visits the DIE at `target`: it must be
  // below the root, and every DIE above it below the root one the walk
  // descends into.
  Reach visits(Dwarf_Off target) {
    auto [it, inserted] = visited.try_emplace(target, Reach::kUnknown);
    if (inserted) it->second = find(target);
    return it->second;
  }

  Reach find(Dwarf_Off target) {
    Dwarf_Off base = dwarf_dieoffset(&root);
    if (target <= base) return Reach::kNo;  // the root is not visited
    if (target - base >= Subtree::kOpenEnd) return Reach::kUnknown;
    auto at_offset = static_cast<uint32_t>(target - base);
    if (!top_listed) top_listed = list_subtrees(&root, base, Subtree::kOpenEnd, top);
    if (!*top_listed) return Reach::kUnknown;
    const std::vector<Subtree>* level = &top;
    for (;;) {
      auto next = std::upper_bound(level->begin(), level->end(), at_offset,
                                   [](uint32_t value, const Subtree& s) { return value < s.begin; });
      // A DIE of this level itself, with or without children.
      if (next == level->begin()) return Reach::kYes;
      const Subtree& holder = *(next - 1);
      if (at_offset == holder.begin || at_offset >= holder.end) return Reach::kYes;
      if (!holder.walked) return Reach::kNo;
      auto [at, inserted] = nested.try_emplace(holder.begin);
      if (inserted) {
        Dwarf_Die die;
        if (dwarf_offdie(dwarf_cu_getdwarf(root.cu), base + holder.begin, &die) == nullptr ||
            !list_subtrees(&die, base, holder.end, at->second)) {
          nested.erase(at);
          return Reach::kUnknown;
        }
      }
      level = &at->second;
    }
  }

  // Fills `imports` by walking the whole unit as libdw does.  False on a
  // libdw error.
  bool list_imports() {
    std::vector<Dwarf_Die> stack;  // the next DIE to visit at each level
    Dwarf_Die child, target;
    int result = dwarf_child(&root, &child);
    if (result != 0) return result > 0;
    stack.push_back(child);
    while (!stack.empty()) {
      Dwarf_Die die = stack.back();
      result = dwarf_siblingof(&die, &stack.back());
      if (result < 0) return false;
      if (result > 0) stack.pop_back();
      int tag = dwarf_tag(&die);
      if (tag == DW_TAG_imported_unit) {
        if (import_target(&die, &target)) imports.push_back(target);
      } else if (may_have_scopes(tag) && dwarf_haschildren(&die) != 0) {
        result = dwarf_child(&die, &child);
        if (result < 0) return false;
        if (result == 0) stack.push_back(child);
      }
    }
    return true;
  }
};

}  // namespace hprof::dwarf_walk
