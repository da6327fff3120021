#include "symbolize/dwarf_frames.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <limits>
#include <optional>
#include <queue>
#include <utility>
#include <vector>

#include "symbolize/simplify_name.h"

namespace hprof {
namespace {

struct FreeDeleter {
  void operator()(Dwarf_Die* p) const { std::free(p); }
};
using ScopeArray = std::unique_ptr<Dwarf_Die, FreeDeleter>;

// The linkage name where there is one (it carries the namespaces and the
// class), else the plain name; both through abstract origins and
// specifications, as llvm-symbolizer does.
const char* die_name(Dwarf_Die* die) {
  Dwarf_Attribute attr;
  const char* name = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_linkage_name, &attr));
  if (name == nullptr) name = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr));
  if (name == nullptr) name = dwarf_diename(die);
  return name;
}

struct Position {
  std::string file;
  uint32_t line = 0;
};

// Where an inlined subroutine was called from: its caller's position.
Position call_site(Dwarf_Die* inlined, Dwarf_Files* files, size_t file_count) {
  Position pos;
  Dwarf_Attribute attr;
  Dwarf_Word value = 0;
  if (dwarf_formudata(dwarf_attr(inlined, DW_AT_call_line, &attr), &value) == 0) {
    pos.line = static_cast<uint32_t>(value);
  }
  if (files != nullptr && dwarf_formudata(dwarf_attr(inlined, DW_AT_call_file, &attr), &value) == 0 &&
      value < file_count) {
    if (const char* name = dwarf_filesrc(files, value, nullptr, nullptr)) pos.file = name;
  }
  return pos;
}

Position line_table_position(Dwfl_Module* module, uint64_t file_vaddr) {
  Position pos;
  if (Dwfl_Line* line = dwfl_module_getsrc(module, file_vaddr)) {
    int lineno = 0;
    if (const char* file = dwfl_lineinfo(line, nullptr, &lineno, nullptr, nullptr, nullptr)) pos.file = file;
    pos.line = lineno > 0 ? static_cast<uint32_t>(lineno) : 0;
  }
  return pos;
}

// The frames along a chain of scopes, innermost first: every inlined
// subroutine, up to and including the first subprogram.  The innermost frame
// is at the line table's position, each outer one at the call site of the
// inlined subroutine inside it.
template <typename ScopeAt>
FrameChain frames_along(Dwfl_Module* module, uint64_t file_vaddr, Dwarf_Die* cudie, size_t count,
                        ScopeAt scope_at) {
  Dwarf_Files* files = nullptr;
  size_t file_count = 0;
  bool files_read = false;

  FrameChain chain;
  Position pos = line_table_position(module, file_vaddr);
  for (size_t i = 0; i < count; ++i) {
    Dwarf_Die* scope = scope_at(i);
    int tag = dwarf_tag(scope);
    if (tag != DW_TAG_subprogram && tag != DW_TAG_inlined_subroutine) continue;
    const char* name = die_name(scope);
    Frame frame;
    frame.function = name != nullptr ? simplify_name(name) : std::string();
    frame.file = pos.file;
    frame.line = pos.line;
    frame.inlined = tag == DW_TAG_inlined_subroutine;
    chain.push_back(std::move(frame));
    if (tag == DW_TAG_subprogram) break;
    if (!files_read) {
      files_read = true;
      if (dwarf_getsrcfiles(cudie, &files, &file_count) != 0) files = nullptr;
    }
    pos = call_site(scope, files, file_count);
  }
  return chain;
}

// ---------------------------------------------------------------------------
// The index.  It answers as libdw's dwarf_getscopes + dwarf_getscopes_die do
// (libdw_visit_scopes.c, dwarf_getscopes.c), which for one address:
//
//  1. walk the unit's children in DIE order, descending into the first child
//     whose ranges (dwarf_haspc) hold the address, then into that child's
//     first such child, and so on; a DIE is descended into only when its tag
//     may own scopes (may_have_scopes below) and it has children.  The
//     innermost DIE reached wins, whatever its tag; the chain is that DIE and
//     its parents.
//  2. when an inlined subroutine lies on that chain, look for the deepest
//     one's DW_AT_abstract_origin among the DIEs the same walk visits without
//     the address test; when it is not there, there is no answer at all (and
//     when the attribute is missing, an error: no answer either).
//
// Step 1 becomes a search in a per-unit table of top-level DIEs with ranges
// plus a per-function tree built once; step 2 a descent by DIE offsets from
// the unit's root towards the origin, through a per-unit table of the
// subtrees at each level.

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
constexpr Dwarf_Off kOpenEnd = std::numeric_limits<Dwarf_Off>::max();

// libdw's may_have_scopes(): the tags its scope walk descends into.
bool may_have_scopes(int tag) {
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
// its DW_TAG_imported_unit, never visiting that DIE itself; it skips an import
// it cannot follow, of a compile unit (as gcc -flto emits) or of a unit
// without children.
bool import_adds_dies(Dwarf_Die* import) {
  Dwarf_Attribute attr;
  Dwarf_Die target, first;
  return dwarf_formref_die(dwarf_attr(import, DW_AT_import, &attr), &target) != nullptr &&
         dwarf_tag(&target) != DW_TAG_compile_unit && dwarf_child(&target, &first) == 0;
}

struct Range {
  Dwarf_Addr low, high;
};

// Appends the DIE's non-empty address ranges (low_pc/high_pc or DW_AT_ranges,
// DWARF 4 and 5).  False on a libdw error: libdw's walk tolerates some and
// fails on others, so the caller leaves such DWARF to libdw.
bool read_ranges(Dwarf_Die* die, std::vector<Range>& out) {
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
  uint32_t ranges_begin, ranges_end;  // into Function::ranges
  uint32_t first_child = kNone;
  uint32_t next_sibling = kNone;
};

// A DIE with ranges among the unit's children (normally a function), and the
// tree of DIEs with code under it, built when an address first falls in it.
struct Function {
  enum class State : uint8_t { kUnbuilt, kBuilt, kUnindexed };
  Dwarf_Die die;
  int tag;
  State state = State::kUnbuilt;
  std::vector<Node> nodes;
  std::vector<Range> ranges;

  bool covers(const Node& node, Dwarf_Addr pc) const {
    for (uint32_t i = node.ranges_begin; i < node.ranges_end; ++i) {
      if (pc >= ranges[i].low && pc < ranges[i].high) return true;
    }
    return false;
  }
};

// A DIE with children, as the span of DIE offsets its subtree covers:
// (begin, end), `begin` being the DIE itself.
struct Subtree {
  Dwarf_Off begin, end;
  bool walked;  // libdw's walk descends into it
};

// Lists the children of `parent` that have children of their own; the last
// one's subtree ends where the parent's does.  False on a libdw error.
bool list_subtrees(Dwarf_Die* parent, Dwarf_Off parent_end, std::vector<Subtree>& out) {
  Dwarf_Die child;
  int result = dwarf_child(parent, &child);
  if (result != 0) return result > 0;
  do {
    Dwarf_Off offset = dwarf_dieoffset(&child);
    if (!out.empty() && out.back().end == kOpenEnd) out.back().end = offset;
    if (dwarf_haschildren(&child) != 0) out.push_back({offset, kOpenEnd, may_have_scopes(dwarf_tag(&child))});
    result = dwarf_siblingof(&child, &child);
  } while (result == 0);
  if (!out.empty() && out.back().end == kOpenEnd) out.back().end = parent_end;
  return result > 0;
}

// Builds the tree of DIEs with code under `fn`, as libdw's walk sees them:
// below a DIE it descends into, every child with ranges.  False when the
// index cannot stand in for libdw here (an imported unit, a DIE of another
// unit, a libdw error).
bool build_function(Function& fn) {
  fn.nodes.push_back({fn.die, fn.tag, 0, 0});
  if (!may_have_scopes(fn.tag) || dwarf_haschildren(&fn.die) == 0) return true;

  struct Level {
    Dwarf_Die next;   // the next child to look at
    uint32_t parent;  // its parent's node
    uint32_t last;    // the parent's last child node so far
  };
  std::vector<Level> stack;
  Dwarf_Die child;
  int result = dwarf_child(&fn.die, &child);
  if (result != 0) return result > 0;
  stack.push_back({child, 0, kNone});

  std::vector<Range> ranges;
  while (!stack.empty()) {
    Level& level = stack.back();
    Dwarf_Die die = level.next;
    int tag = dwarf_tag(&die);
    if (die.cu != fn.die.cu || (tag == DW_TAG_imported_unit && import_adds_dies(&die))) return false;
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

}  // namespace

struct InlineResolver::Unit {
  enum class Reach : uint8_t { kYes, kNo, kUnknown };

  Dwarf_Die cudie;
  bool indexed = false;  // false: ask libdw
  std::vector<Function> functions;
  FirstCover cover;
  // The subtrees among the unit's children, and among the children of the
  // DIEs descended into while looking for abstract origins (by offset).
  std::vector<Subtree> top_subtrees;
  std::unordered_map<Dwarf_Off, std::vector<Subtree>> nested_subtrees;
  std::unordered_map<Dwarf_Off, Reach> origins;  // by DIE offset
  std::optional<Reach> imports;                  // of other units' DIEs

  explicit Unit(Dwarf_Die die) : cudie(die) { indexed = build(); }

  // The unit's children: those with ranges, and the subtrees.
  bool build() {
    uint8_t unit_type = 0;
    if (dwarf_cu_info(cudie.cu, nullptr, &unit_type, nullptr, nullptr, nullptr, nullptr, nullptr) != 0 ||
        unit_type != DW_UT_compile) {
      return false;
    }
    std::vector<FirstCover::Entry> entries;
    std::vector<Range> ranges;
    Dwarf_Die child;
    int result = dwarf_child(&cudie, &child);
    if (result < 0) return false;
    for (; result == 0; result = dwarf_siblingof(&child, &child)) {
      int tag = dwarf_tag(&child);
      if (child.cu != cudie.cu) return false;
      Dwarf_Off offset = dwarf_dieoffset(&child);
      if (!top_subtrees.empty() && top_subtrees.back().end == kOpenEnd) top_subtrees.back().end = offset;
      if (tag == DW_TAG_imported_unit) {
        if (import_adds_dies(&child)) return false;
        continue;
      }
      if (dwarf_haschildren(&child) != 0) top_subtrees.push_back({offset, kOpenEnd, may_have_scopes(tag)});
      ranges.clear();
      if (!read_ranges(&child, ranges)) return false;
      if (ranges.empty()) continue;
      auto item = static_cast<uint32_t>(functions.size());
      functions.push_back({child, tag, Function::State::kUnbuilt, {}, {}});
      for (const Range& r : ranges) entries.push_back({r.low, r.high, item});
    }
    if (result < 0) return false;
    cover.build(std::move(entries));
    return true;
  }

  // Whether libdw's walk of the unit (every DIE whose parents, below the
  // root, it descends into) visits `origin`.
  Reach reaches(Dwarf_Die* origin) {
    if (origin->cu != cudie.cu) {
      // Only an import brings DIEs of another unit into the walk.
      if (!imports) imports = find_imports();
      return *imports == Reach::kNo ? Reach::kNo : Reach::kUnknown;
    }
    Dwarf_Off target = dwarf_dieoffset(origin);
    auto [it, inserted] = origins.try_emplace(target, Reach::kUnknown);
    if (inserted) it->second = find_origin(target);
    return it->second;
  }

  // Whether the walk meets an import that adds DIEs (anywhere: imports at
  // the top level are already known to add none).
  Reach find_imports() {
    std::vector<Dwarf_Die> stack;  // the next DIE to visit at each level
    Dwarf_Die child;
    int result = dwarf_child(&cudie, &child);
    if (result != 0) return result > 0 ? Reach::kNo : Reach::kUnknown;
    stack.push_back(child);
    while (!stack.empty()) {
      Dwarf_Die die = stack.back();
      result = dwarf_siblingof(&die, &stack.back());
      if (result < 0) return Reach::kUnknown;
      if (result > 0) stack.pop_back();
      int tag = dwarf_tag(&die);
      if (tag == DW_TAG_imported_unit) {
        if (import_adds_dies(&die)) return Reach::kYes;
      } else if (may_have_scopes(tag) && dwarf_haschildren(&die) != 0) {
        result = dwarf_child(&die, &child);
        if (result < 0) return Reach::kUnknown;
        if (result == 0) stack.push_back(child);
      }
    }
    return Reach::kNo;
  }

  Reach find_origin(Dwarf_Off target) {
    if (target <= dwarf_dieoffset(&cudie)) return Reach::kNo;  // the root is not visited
    const std::vector<Subtree>* level = &top_subtrees;
    for (;;) {
      auto next = std::upper_bound(level->begin(), level->end(), target,
                                   [](Dwarf_Off value, const Subtree& s) { return value < s.begin; });
      // A DIE of this level itself, with or without children.
      if (next == level->begin()) return Reach::kYes;
      const Subtree& holder = *(next - 1);
      if (target == holder.begin || target >= holder.end) return Reach::kYes;
      if (!holder.walked) return Reach::kNo;
      auto [at, inserted] = nested_subtrees.try_emplace(holder.begin);
      if (inserted) {
        Dwarf_Die die;
        if (dwarf_offdie(dwarf_cu_getdwarf(cudie.cu), holder.begin, &die) == nullptr ||
            !list_subtrees(&die, holder.end, at->second)) {
          nested_subtrees.erase(at);
          return Reach::kUnknown;
        }
      }
      level = &at->second;
    }
  }
};

InlineResolver::InlineResolver(Dwfl_Module* module) : module_(module) {}

InlineResolver::~InlineResolver() = default;

FrameChain InlineResolver::frames(uint64_t file_vaddr) {
  Dwarf_Addr bias = 0;
  Dwarf_Die* cudie = dwfl_module_addrdie(module_, file_vaddr, &bias);
  if (cudie == nullptr) return {};

  std::unique_ptr<Unit>& slot = units_[cudie->addr];
  if (!slot) slot = std::make_unique<Unit>(*cudie);
  Unit& unit = *slot;
  if (!unit.indexed) return dwarf_frames_by_scope_search(module_, file_vaddr);

  Dwarf_Addr pc = file_vaddr - bias;
  uint32_t item = unit.cover.find(pc);
  if (item == kNone) return {};
  Function& fn = unit.functions[item];
  if (fn.state == Function::State::kUnbuilt) {
    bool built = build_function(fn);
    fn.state = built ? Function::State::kBuilt : Function::State::kUnindexed;
    if (!built) {
      fn.nodes = {};
      fn.ranges = {};
    }
  }
  if (fn.state == Function::State::kUnindexed) return dwarf_frames_by_scope_search(module_, file_vaddr);

  // Down from the function, into the first child holding the address each time.
  std::vector<uint32_t> path{0};
  for (uint32_t node = 0;;) {
    uint32_t inner = fn.nodes[node].first_child;
    while (inner != kNone && !fn.covers(fn.nodes[inner], pc)) inner = fn.nodes[inner].next_sibling;
    if (inner == kNone) break;
    path.push_back(inner);
    node = inner;
  }

  // libdw answers only when it finds the deepest inlined subroutine's
  // abstract origin in the unit.
  for (size_t i = path.size(); i-- > 0;) {
    Node& node = fn.nodes[path[i]];
    if (node.tag != DW_TAG_inlined_subroutine) continue;
    Dwarf_Attribute attr;
    Dwarf_Die origin;
    if (dwarf_formref_die(dwarf_attr(&node.die, DW_AT_abstract_origin, &attr), &origin) == nullptr) return {};
    switch (unit.reaches(&origin)) {
      case Unit::Reach::kYes:
        break;
      case Unit::Reach::kNo:
        return {};
      case Unit::Reach::kUnknown:
        return dwarf_frames_by_scope_search(module_, file_vaddr);
    }
    break;
  }

  return frames_along(module_, file_vaddr, &unit.cudie, path.size(),
                      [&](size_t i) { return &fn.nodes[path[path.size() - 1 - i]].die; });
}

FrameChain dwarf_frames_by_scope_search(Dwfl_Module* module, uint64_t file_vaddr) {
  Dwarf_Addr bias = 0;
  Dwarf_Die* cudie = dwfl_module_addrdie(module, file_vaddr, &bias);
  if (cudie == nullptr) return {};

  // dwarf_getscopes finds the innermost scope; its chain of parents in the
  // DIE tree (dwarf_getscopes_die) runs through every inlined copy up to the
  // concrete function, which is what eu-addr2line -i walks too.
  Dwarf_Die* raw = nullptr;
  int found = dwarf_getscopes(cudie, file_vaddr - bias, &raw);
  ScopeArray innermost(raw);
  if (found <= 0) return {};
  raw = nullptr;
  int count = dwarf_getscopes_die(innermost.get(), &raw);
  ScopeArray scopes(raw);
  if (count <= 0) return {};

  return frames_along(module, file_vaddr, cudie, static_cast<size_t>(count),
                      [&](size_t i) { return scopes.get() + i; });
}

}  // namespace hprof
