#include "symbolize/dwarf/die_walk.h"

namespace hprof::dwarf_walk {

// Lists the children of `parent` that have children of their own, their
// offsets relative to `base`; the last one's subtree ends where the parent's
// does.  False on a libdw error, or in a unit too large for Subtree.
bool list_subtrees(Dwarf_Die* parent, Dwarf_Off base, uint32_t parent_end, std::vector<Subtree>& out) {
  Dwarf_Die child;
  int result = dwarf_child(parent, &child);
  if (result != 0) return result > 0;
  do {
    Dwarf_Off offset = dwarf_dieoffset(&child) - base;
    if (offset >= Subtree::kOpenEnd) return false;
    auto begin = static_cast<uint32_t>(offset);
    if (!out.empty() && out.back().end == Subtree::kOpenEnd) out.back().end = begin;
    if (dwarf_haschildren(&child) != 0) {
      out.push_back({begin, Subtree::kOpenEnd, may_have_scopes(dwarf_tag(&child)) ? 1u : 0u});
    }
    result = dwarf_siblingof(&child, &child);
  } while (result == 0);
  if (!out.empty() && out.back().end == Subtree::kOpenEnd) out.back().end = parent_end;
  out.shrink_to_fit();
  return result > 0;
}

// Builds the tree of DIEs with code under `function`, as libdw's walk sees
// them: below a DIE it descends into, every child with ranges.  False when
// the index cannot stand in for libdw here (an import that adds DIEs, a DIE of
// another unit, a libdw error).
bool build_function(Dwarf_Die function, FunctionTree& fn) {
  int function_tag = dwarf_tag(&function);
  fn.nodes.push_back({function, function_tag, 0, 0});
  if (!may_have_scopes(function_tag) || dwarf_haschildren(&function) == 0) return true;

  struct Level {
    Dwarf_Die next;   // the next child to look at
    uint32_t parent;  // its parent's node
    uint32_t last;    // the parent's last child node so far
  };
  std::vector<Level> stack;
  Dwarf_Die child;
  int result = dwarf_child(&function, &child);
  if (result != 0) return result > 0;
  stack.push_back({child, 0, kNone});

  std::vector<Range> ranges;
  while (!stack.empty()) {
    Level& level = stack.back();
    Dwarf_Die die = level.next;
    int tag = dwarf_tag(&die);
    Dwarf_Die target;
    if (die.cu != function.cu || (tag == DW_TAG_imported_unit && import_target(&die, &target))) return false;
    ranges.clear();
    if (tag != DW_TAG_imported_unit && !read_ranges(&die, ranges)) return false;
    uint32_t node = kNone;
    if (!ranges.empty()) {
      node = static_cast<uint32_t>(fn.nodes.size());
      auto begin = static_cast<uint32_t>(fn.ranges.size());
      fn.ranges.insert(fn.ranges.end(), ranges.begin(), ranges.end());
      fn.nodes.push_back({die, tag, begin, static_cast<uint32_t>(fn.ranges.size())});
      if (level.last == kNone) {
        fn.nodes[level.parent].first_child = node;
      } else {
        fn.nodes[level.last].next_sibling = node;
      }
      level.last = node;
    }
    // Move this level on before descending (`level` dies with a pop or push).
    result = dwarf_siblingof(&die, &level.next);
    if (result < 0) return false;
    if (result > 0) stack.pop_back();
    if (node != kNone && may_have_scopes(tag) && dwarf_haschildren(&die) != 0) {
      result = dwarf_child(&die, &child);
      if (result < 0) return false;
      if (result == 0) stack.push_back({child, node, kNone});
    }
  }
  return true;
}

}  // namespace hprof::dwarf_walk
