#include "symbolize/dwarf_frames.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>
#include <queue>
#include <unordered_set>
#include <utility>
#include <vector>

#include "symbolize/simplify_name.h"

namespace hprof {
namespace {

struct FreeDeleter {
  void operator()(Dwarf_Die* p) const { std::free(p); }
};
using ScopeArray = std::unique_ptr<Dwarf_Die, FreeDeleter>;

// DWARF strings this long are taken for corruption and ignored: in a
// scrambled .debug_str, string offsets point into bytes without a NUL, and
// each "name" of megabytes was copied, simplified and indexed whole (minutes
// and gigabytes).  Real names, deep C++ templates included, are far shorter,
// and a path is at most PATH_MAX.
constexpr size_t kMaxFunctionName = 64 * 1024;
constexpr size_t kMaxFileName = 4096;

const char* plausible_string(const char* s, size_t limit) {
  return s != nullptr && strnlen(s, limit) < limit ? s : nullptr;
}

// The linkage name where there is one (it carries the namespaces and the
// class), else the plain name; both through abstract origins and
// specifications, as llvm-symbolizer does.
const char* die_name(Dwarf_Die* die) {
  Dwarf_Attribute attr;
  const char* name =
      plausible_string(dwarf_formstring(dwarf_attr_integrate(die, DW_AT_linkage_name, &attr)), kMaxFunctionName);
  if (name == nullptr) {
    name = plausible_string(dwarf_formstring(dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr)),
                            kMaxFunctionName);
  }
  if (name == nullptr) name = plausible_string(dwarf_diename(die), kMaxFunctionName);
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
    const char* name = plausible_string(dwarf_filesrc(files, value, nullptr, nullptr), kMaxFileName);
    if (name != nullptr) pos.file = name;
  }
  return pos;
}

Position line_table_position(DwarfSource& source, uint64_t file_vaddr) {
  Position pos;
  const char* file = nullptr;
  int lineno = 0;
  if (source.line_at(file_vaddr, &file, &lineno)) {
    if (file != nullptr) pos.file = file;
    pos.line = lineno > 0 ? static_cast<uint32_t>(lineno) : 0;
  }
  return pos;
}

// Names and call sites of DIEs already met, by DIE address: a sweep over
// every address of a module meets each DIE many times.
struct FrameMemo {
  std::unordered_map<const void*, std::string> names;
  std::unordered_map<const void*, Position> call_sites;
};

// The frames along a chain of scopes, innermost first: every inlined
// subroutine, up to and including the first subprogram.  The innermost frame
// is at `pos`, the line table's position, each outer one at the call site of
// the inlined subroutine inside it.
template <typename ScopeAt>
FrameChain frames_along(Position pos, Dwarf_Die* cudie, size_t count, ScopeAt scope_at, FrameMemo* memo = nullptr) {
  Dwarf_Files* files = nullptr;
  size_t file_count = 0;
  bool files_read = false;

  FrameChain chain;
  for (size_t i = 0; i < count; ++i) {
    Dwarf_Die* scope = scope_at(i);
    int tag = dwarf_tag(scope);
    if (tag != DW_TAG_subprogram && tag != DW_TAG_inlined_subroutine) continue;
    Frame frame;
    if (memo != nullptr) {
      auto [it, inserted] = memo->names.try_emplace(scope->addr);
      if (inserted) {
        const char* name = die_name(scope);
        it->second = name != nullptr ? simplify_name(name) : std::string();
      }
      frame.function = it->second;
    } else {
      const char* name = die_name(scope);
      frame.function = name != nullptr ? simplify_name(name) : std::string();
    }
    frame.file = std::move(pos.file);
    frame.line = pos.line;
    frame.inlined = tag == DW_TAG_inlined_subroutine;
    chain.push_back(std::move(frame));
    if (tag == DW_TAG_subprogram) break;
    if (memo != nullptr) {
      auto known = memo->call_sites.find(scope->addr);
      if (known != memo->call_sites.end()) {
        pos = known->second;
        continue;
      }
    }
    if (!files_read) {
      files_read = true;
      if (dwarf_getsrcfiles(cudie, &files, &file_count) != 0) files = nullptr;
    }
    pos = call_site(scope, files, file_count);
    if (memo != nullptr) memo->call_sites.emplace(scope->addr, pos);
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
//     may own scopes (may_have_scopes below) and it has children, and the
//     children of a partial unit take the place of the DW_TAG_imported_unit
//     that imports it.  The innermost DIE reached wins, whatever its tag; the
//     chain is that DIE and its parents.
//  2. when an inlined subroutine lies on that chain, look for the deepest
//     one's DW_AT_abstract_origin among the DIEs the same walk visits without
//     the address test; when it is not there, there is no answer at all (and
//     when the attribute is missing, an error: no answer either).
//
// Step 1 becomes a search in a per-unit table of top-level DIEs with ranges,
// then in a per-function tree built once.  Step 2 checks that the origin's
// unit is the compile unit or one its imports take in, then descends by DIE
// offsets from that unit's root towards the origin, through per-unit tables
// of the DIEs with children at each level.

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

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
// its DW_TAG_imported_unit, never visiting that DIE itself.  True, with the
// unit's DIE, when it does; it skips an import it cannot follow, of a compile
// unit (as gcc -flto emits) or of a unit without children.
bool import_target(Dwarf_Die* import, Dwarf_Die* target) {
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

}  // namespace

// libdwfl's table of units by address (cu.c, addrarange): one run per
// stretch of consecutive aranges of one unit, starting at the run's first
// address and reaching to the next run; the last one ends with the last
// arange.
struct DwarfSource::Units {
  Dwarf* dwarf = nullptr;
  Dwarf_Aranges* aranges = nullptr;
  size_t count = 0;
  struct Run {
    Dwarf_Addr start;
    Dwarf_Off cu_die;
    std::optional<Dwarf_Die> die;  // read on first need
  };
  std::vector<Run> runs;
  Dwarf_Addr last_end = 0;

  explicit Units(Dwarf* d) : dwarf(d) {
    if (dwarf_getaranges(dwarf, &aranges, &count) != 0) return;
    for (size_t i = 0; i < count; ++i) {
      Dwarf_Addr addr = 0;
      Dwarf_Word length = 0;
      Dwarf_Off offset = 0;
      if (dwarf_getarangeinfo(dwarf_onearange(aranges, i), &addr, &length, &offset) != 0) {
        runs.clear();
        return;
      }
      if (i == 0 || offset != runs.back().cu_die) runs.push_back({addr, offset, std::nullopt});
      if (i + 1 == count) last_end = addr + length;
    }
  }

  Dwarf_Die* find(Dwarf_Addr addr) {
    size_t l = 0, u = runs.size();
    while (l < u) {
      size_t idx = (l + u) / 2;
      Dwarf_Addr start = runs[idx].start;
      if (addr < start) {
        u = idx;
        continue;
      }
      if (addr > start) {
        if (idx + 1 < runs.size()) {
          if (addr >= runs[idx + 1].start) {
            l = idx + 1;
            continue;
          }
        } else if (addr > last_end) {
          break;
        }
      }
      Run& run = runs[idx];
      if (!run.die) {
        Dwarf_Die die;
        if (dwarf_offdie(dwarf, run.cu_die, &die) == nullptr) return nullptr;
        run.die = die;
      }
      return &*run.die;
    }
    return nullptr;
  }
};

DwarfSource::DwarfSource(Dwfl_Module* module) : module_(module) {}

DwarfSource::DwarfSource(Dwarf* dwarf) : units_(std::make_unique<Units>(dwarf)) {}

DwarfSource::~DwarfSource() = default;

bool DwarfSource::has_dwarf() {
  Dwarf_Addr bias = 0;
  return module_ == nullptr ? units_->dwarf != nullptr : dwfl_module_getdwarf(module_, &bias) != nullptr;
}

Dwarf* DwarfSource::dwarf_at_bias_zero() {
  if (module_ == nullptr) return units_->dwarf;
  Dwarf_Addr bias = 0;
  Dwarf* dwarf = dwfl_module_getdwarf(module_, &bias);
  return bias == 0 ? dwarf : nullptr;
}

Dwarf_Die* DwarfSource::unit_at(uint64_t file_vaddr, Dwarf_Addr* bias) {
  if (module_ != nullptr) return dwfl_module_addrdie(module_, file_vaddr, bias);
  *bias = 0;
  return units_->find(file_vaddr);
}

bool DwarfSource::line_at(uint64_t file_vaddr, const char** file, int* line) {
  if (module_ != nullptr) {
    Dwfl_Line* row = dwfl_module_getsrc(module_, file_vaddr);
    if (row == nullptr) return false;
    *file = plausible_string(dwfl_lineinfo(row, nullptr, line, nullptr, nullptr, nullptr), kMaxFileName);
    return true;
  }
  Dwarf_Addr bias = 0;
  Dwarf_Die* cudie = unit_at(file_vaddr, &bias);
  Dwarf_Line* row = cudie != nullptr ? dwarf_getsrc_die(cudie, file_vaddr) : nullptr;
  if (row == nullptr) return false;
  *file = plausible_string(dwarf_linesrc(row, nullptr, nullptr), kMaxFileName);
  if (dwarf_lineno(row, line) != 0) *line = 0;
  return true;
}

// A compile unit: its children with ranges by address, each one's tree of
// DIEs with code once needed, and the units its walk takes in by imports.
struct InlineResolver::Unit {
  Dwarf_Die cudie;
  bool indexed = false;  // false: ask libdw
  std::vector<Dwarf_Off> functions;  // the children with ranges, by FirstCover item
  std::unordered_map<uint32_t, std::unique_ptr<FunctionTree>> trees;  // null: ask libdw
  FirstCover cover;
  enum class Imports : uint8_t { kUnlisted, kListed, kFailed } imports = Imports::kUnlisted;
  std::unordered_set<const void*> imported;  // unit root DIE addresses
};

struct InlineResolver::Index {
  std::unique_ptr<DwarfSource> source;

  Unit& unit_for(const Dwarf_Die& cudie);
  // The tree of the unit's function `item`; null when libdw must answer.
  // Kept in the unit with `keep`, else held in `scratch` until the next call.
  FunctionTree* tree_for(Unit& unit, uint32_t item, std::unique_ptr<FunctionTree>& scratch, bool keep);
  Reach origin_reached(Unit& unit, FunctionTree& fn, uint32_t inlined);
  std::unordered_map<const void*, std::unique_ptr<Unit>> units;     // by CU DIE address
  std::unordered_map<const void*, std::unique_ptr<UnitTree>> trees;  // by unit DIE address

  UnitTree& tree(const Dwarf_Die& root) {
    std::unique_ptr<UnitTree>& slot = trees[root.addr];
    if (!slot) slot = std::make_unique<UnitTree>(root);
    return *slot;
  }

  // The unit's children: those with ranges (ordered by address), and the
  // children of the partial units its top-level imports put in place, which
  // must have no ranges.  False when libdw must answer for this unit.
  bool build(Unit& unit) {
    uint8_t unit_type = 0;
    if (dwarf_cu_info(unit.cudie.cu, nullptr, &unit_type, nullptr, nullptr, nullptr, nullptr, nullptr) != 0 ||
        unit_type != DW_UT_compile) {
      return false;
    }
    std::vector<FirstCover::Entry> entries;
    std::vector<Range> ranges;
    Dwarf_Die child, target;
    int result = dwarf_child(&unit.cudie, &child);
    if (result < 0) return false;
    for (; result == 0; result = dwarf_siblingof(&child, &child)) {
      if (child.cu != unit.cudie.cu) return false;
      int tag = dwarf_tag(&child);
      if (tag == DW_TAG_imported_unit) {
        if (import_target(&child, &target) && !flat_without_ranges(target)) return false;
        continue;
      }
      ranges.clear();
      if (!read_ranges(&child, ranges)) return false;
      if (ranges.empty()) continue;
      auto item = static_cast<uint32_t>(unit.functions.size());
      unit.functions.push_back(dwarf_dieoffset(&child));
      for (const Range& r : ranges) entries.push_back({r.low, r.high, item});
    }
    if (result < 0) return false;
    unit.cover.build(std::move(entries));
    return true;
  }

  // Whether the children of the partial unit at `root`, as an import puts
  // them in place (its own top-level imports followed), have no ranges: then
  // the address search never stops at them.
  bool flat_without_ranges(const Dwarf_Die& root) {
    UnitTree& partial = tree(root);
    if (partial.flat != UnitTree::Flat::kUnknown) return partial.flat == UnitTree::Flat::kNoRanges;
    partial.flat = UnitTree::Flat::kPending;  // an import cycle is an error to libdw
    bool clean = true;
    std::vector<Range> ranges;
    Dwarf_Die child, target;
    int result = dwarf_child(&partial.root, &child);
    for (; clean && result == 0; result = dwarf_siblingof(&child, &child)) {
      if (dwarf_tag(&child) == DW_TAG_imported_unit) {
        clean = !import_target(&child, &target) || flat_without_ranges(target);
      } else {
        clean = read_ranges(&child, ranges) && ranges.empty();
      }
    }
    if (result < 0) clean = false;
    partial.flat = clean ? UnitTree::Flat::kNoRanges : UnitTree::Flat::kNotIndexable;
    return clean;
  }

  // Lists the units the walk of `unit` takes in through imports,
  // transitively.  False when that walk fails (a libdw error, an import
  // cycle).
  bool list_imported(Unit& unit) {
    if (unit.imports == Unit::Imports::kUnlisted) {
      unit.imports = Unit::Imports::kFailed;
      // Depth-first over the import graph; a unit met again while still
      // open closes a cycle.
      std::unordered_map<const void*, bool> open;  // false once done
      struct Visit {
        UnitTree* tree;
        size_t next;
      };
      std::vector<Visit> stack;
      auto enter = [&](const Dwarf_Die& root) {
        UnitTree& t = tree(root);
        if (!t.imports_listed) t.imports_listed = t.list_imports();
        if (!*t.imports_listed) return false;
        open[root.addr] = true;
        stack.push_back({&t, 0});
        return true;
      };
      if (!enter(unit.cudie)) return false;
      while (!stack.empty()) {
        Visit& top = stack.back();
        if (top.next == top.tree->imports.size()) {
          open[top.tree->root.addr] = false;
          stack.pop_back();
          continue;
        }
        Dwarf_Die target = top.tree->imports[top.next++];
        auto seen = open.find(target.addr);
        if (seen != open.end()) {
          if (seen->second) return false;
          continue;
        }
        if (!enter(target)) return false;
      }
      for (const auto& [addr, still_open] : open) {
        if (addr != unit.cudie.addr) unit.imported.insert(addr);
      }
      unit.imports = Unit::Imports::kListed;
    }
    return unit.imports == Unit::Imports::kListed;
  }

  // Whether libdw's walk of `unit` visits `origin`, which may belong to
  // another unit that an import puts in place.
  Reach reaches(Unit& unit, Dwarf_Die* origin) {
    Dwarf_Die root;
    if (dwarf_diecu(origin, &root, nullptr, nullptr) == nullptr) return Reach::kUnknown;
    if (root.addr != unit.cudie.addr) {
      if (!list_imported(unit)) return Reach::kUnknown;
      if (!unit.imported.contains(root.addr)) return Reach::kNo;
    }
    return tree(root).visits(dwarf_dieoffset(origin));
  }
};

InlineResolver::InlineResolver(Dwfl_Module* module) : index_(std::make_unique<Index>()) {
  index_->source = std::make_unique<DwarfSource>(module);
}

InlineResolver::InlineResolver(Dwarf* dwarf) : index_(std::make_unique<Index>()) {
  index_->source = std::make_unique<DwarfSource>(dwarf);
}

InlineResolver::~InlineResolver() = default;

InlineResolver::Unit& InlineResolver::Index::unit_for(const Dwarf_Die& cudie) {
  std::unique_ptr<Unit>& slot = units[cudie.addr];
  if (!slot) {
    slot = std::make_unique<Unit>();
    slot->cudie = cudie;
    slot->indexed = build(*slot);
  }
  return *slot;
}

namespace {

// Down from the function, into the first child holding the address each
// time: the nodes of the scopes holding `pc`, outermost first.
void descend(const FunctionTree& fn, Dwarf_Addr pc, std::vector<uint32_t>& path) {
  path.assign(1, 0);
  for (uint32_t node = 0;;) {
    uint32_t inner = fn.nodes[node].first_child;
    while (inner != kNone && !fn.covers(fn.nodes[inner], pc)) inner = fn.nodes[inner].next_sibling;
    if (inner == kNone) break;
    path.push_back(inner);
    node = inner;
  }
}

// The deepest inlined subroutine on `path`; kNone when there is none.
uint32_t deepest_inlined(const FunctionTree& fn, const std::vector<uint32_t>& path) {
  for (size_t i = path.size(); i-- > 0;) {
    if (fn.nodes[path[i]].tag == DW_TAG_inlined_subroutine) return path[i];
  }
  return kNone;
}

}  // namespace

// libdw answers only when its walk of the unit meets the deepest inlined
// subroutine's abstract origin (kYes); kNo: no answer; kUnknown: ask libdw.
Reach InlineResolver::Index::origin_reached(Unit& unit, FunctionTree& fn, uint32_t inlined) {
  if (inlined == kNone) return Reach::kYes;
  Node& node = fn.nodes[inlined];
  Dwarf_Attribute attr;
  Dwarf_Die origin;
  if (dwarf_formref_die(dwarf_attr(&node.die, DW_AT_abstract_origin, &attr), &origin) == nullptr) return Reach::kNo;
  return reaches(unit, &origin);
}

FunctionTree* InlineResolver::Index::tree_for(Unit& unit, uint32_t item, std::unique_ptr<FunctionTree>& scratch,
                                              bool keep) {
  if (auto known = unit.trees.find(item); known != unit.trees.end()) return known->second.get();
  auto tree = std::make_unique<FunctionTree>();
  Dwarf_Die function;
  if (dwarf_offdie(dwarf_cu_getdwarf(unit.cudie.cu), unit.functions[item], &function) == nullptr ||
      !build_function(function, *tree)) {
    tree.reset();
  }
  if (!keep) {
    scratch = std::move(tree);
    return scratch.get();
  }
  if (tree) {
    tree->nodes.shrink_to_fit();
    tree->ranges.shrink_to_fit();
  }
  return unit.trees.emplace(item, std::move(tree)).first->second.get();
}

FrameChain InlineResolver::frames(uint64_t file_vaddr) {
  DwarfSource& source = *index_->source;
  Dwarf_Addr bias = 0;
  Dwarf_Die* cudie = source.unit_at(file_vaddr, &bias);
  if (cudie == nullptr) return {};
  Unit& unit = index_->unit_for(*cudie);
  if (!unit.indexed) return dwarf_frames_by_scope_search(source, file_vaddr);

  Dwarf_Addr pc = file_vaddr - bias;
  uint32_t item = unit.cover.find(pc);
  if (item == kNone) return {};
  std::unique_ptr<FunctionTree> unused;
  FunctionTree* fn = index_->tree_for(unit, item, unused, true);
  if (fn == nullptr) return dwarf_frames_by_scope_search(source, file_vaddr);

  std::vector<uint32_t> path;
  descend(*fn, pc, path);
  switch (index_->origin_reached(unit, *fn, deepest_inlined(*fn, path))) {
    case Reach::kYes:
      break;
    case Reach::kNo:
      return {};
    case Reach::kUnknown:
      return dwarf_frames_by_scope_search(source, file_vaddr);
  }
  return frames_along(line_table_position(source, file_vaddr), &unit.cudie, path.size(),
                      [&](size_t i) { return &fn->nodes[path[path.size() - 1 - i]].die; });
}

// The sweep cuts the module's addresses where an answer may change: where
// the unit (libdwfl's address runs), the unit's top-level function, a scope
// below it, or the line table's row changes.  Between two cuts every input of
// frames() is the same, so each piece is asked once, with frames()'s own
// steps; the pieces' answers are then exactly frames()'s.
void InlineResolver::sweep(const IntervalVisitor& visit) {
  DwarfSource& source = *index_->source;
  Dwarf* dwarf = source.dwarf_at_bias_zero();
  if (dwarf == nullptr) {
    // DWARF that frames() reads with a bias (never for a file reported at
    // 0 with its own or a matching debug file): let it answer.
    if (source.has_dwarf()) visit(0, std::numeric_limits<uint64_t>::max(), nullptr);
    return;
  }
  const DwarfSource::Units units(dwarf);
  FrameMemo memo;
  const void* memo_unit = nullptr;
  std::vector<Dwarf_Addr> cuts;
  std::vector<uint32_t> path;
  std::unique_ptr<FunctionTree> scratch;

  // Pieces with one answer, merged while the answer stays the same.
  struct Pending {
    Dwarf_Addr low = 0, high = 0;
    bool ask = false;
    const void* node = nullptr;  // the deepest scope's DIE
    const char* file = nullptr;
    int line = 0;
    FrameChain chain;
    bool open = false;
  } pending;
  auto flush = [&] {
    if (pending.open) visit(pending.low, pending.high, pending.ask ? nullptr : &pending.chain);
    pending.open = false;
  };
  auto ask = [&](Dwarf_Addr low, Dwarf_Addr high) {
    if (pending.open && pending.ask && pending.high == low) {
      pending.high = high;
      return;
    }
    flush();
    pending = Pending{low, high, true, nullptr, nullptr, 0, {}, true};
  };

  // The addresses [run_low, run_high) of one unit: all of them or none are.
  auto sweep_unit = [&](Dwarf_Addr run_low, Dwarf_Addr run_high) {
    Dwarf_Addr bias = 0, last_bias = 0;
    Dwarf_Die* cudie = source.unit_at(run_low, &bias);
    Dwarf_Die* last = cudie != nullptr ? source.unit_at(run_high - 1, &last_bias) : nullptr;
    if (cudie == nullptr || last == nullptr || bias != 0 || last_bias != 0 ||
        dwarf_dieoffset(cudie) != dwarf_dieoffset(last)) {
      ask(run_low, run_high);
      return;
    }
    Unit& unit = index_->unit_for(*cudie);
    if (!unit.indexed) {
      ask(run_low, run_high);
      return;
    }
    // A unit's frames name its own DIEs: the memo stays small and warm.
    if (memo_unit != unit.cudie.addr) {
      memo.names.clear();
      memo.call_sites.clear();
      memo_unit = unit.cudie.addr;
    }
    Dwarf_Lines* lines = nullptr;
    size_t line_count = 0;
    if (dwarf_getsrclines(&unit.cudie, &lines, &line_count) != 0) line_count = 0;
    auto row_address = [&](size_t i) {
      Dwarf_Addr addr = 0;
      dwarf_lineaddr(dwarf_onesrcline(lines, i), &addr);
      return addr;
    };

    const std::vector<FirstCover::Entry>& segments = unit.cover.segments();
    auto segment = std::upper_bound(segments.begin(), segments.end(), run_low,
                                    [](Dwarf_Addr value, const FirstCover::Entry& e) { return value < e.high; });
    for (; segment != segments.end() && segment->low < run_high; ++segment) {
      Dwarf_Addr low = std::max(segment->low, run_low), high = std::min(segment->high, run_high);
      if (low >= high) continue;
      FunctionTree* fn = index_->tree_for(unit, segment->item, scratch, false);
      if (fn == nullptr) {
        ask(low, high);
        continue;
      }
      cuts.assign({low, high});
      for (size_t n = 1; n < fn->nodes.size(); ++n) {
        for (uint32_t i = fn->nodes[n].ranges_begin; i < fn->nodes[n].ranges_end; ++i) {
          for (Dwarf_Addr cut : {fn->ranges[i].low, fn->ranges[i].high}) {
            if (cut > low && cut < high) cuts.push_back(cut);
          }
        }
      }
      size_t first = 0, count = line_count;  // first row at or after `low`
      while (count > 0) {
        size_t half = count / 2;
        if (row_address(first + half) < low) {
          first += half + 1;
          count -= half + 1;
        } else {
          count = half;
        }
      }
      for (size_t i = first; i < line_count; ++i) {
        Dwarf_Addr addr = row_address(i);
        if (addr >= high) break;
        if (addr > low) cuts.push_back(addr);
      }
      std::sort(cuts.begin(), cuts.end());
      cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());

      for (size_t c = 0; c + 1 < cuts.size(); ++c) {
        Dwarf_Addr piece_low = cuts[c], piece_high = cuts[c + 1];
        descend(*fn, piece_low, path);
        Reach reach = index_->origin_reached(unit, *fn, deepest_inlined(*fn, path));
        if (reach == Reach::kUnknown) {
          ask(piece_low, piece_high);
          continue;
        }
        if (reach == Reach::kNo) {
          flush();  // no frames here: no interval
          continue;
        }
        const char* file = nullptr;
        int line = 0;
        bool has_row = source.line_at(piece_low, &file, &line);
        if (!has_row) {
          file = nullptr;
          line = 0;
        }
        const void* node = fn->nodes[path.back()].die.addr;
        if (pending.open && !pending.ask && pending.high == piece_low && pending.node == node &&
            pending.file == file && pending.line == line) {
          pending.high = piece_high;
          continue;
        }
        flush();
        Position pos;
        if (file != nullptr) pos.file = file;
        pos.line = line > 0 ? static_cast<uint32_t>(line) : 0;
        pending = Pending{piece_low, piece_high, false, node, file, line, {}, true};
        pending.chain = frames_along(
            std::move(pos), &unit.cudie, path.size(),
            [&](size_t i) { return &fn->nodes[path[path.size() - 1 - i]].die; }, &memo);
      }
    }
    flush();
  };

  // libdwfl's search gives the addresses from a run's start up to the next
  // run's start to that run's unit, except the start itself when several
  // runs start there (empty aranges): which of them it picks is its binary
  // search's choice, so that address is swept apart.
  for (size_t r = 0; r < units.runs.size(); ++r) {
    Dwarf_Addr run_low = units.runs[r].start;
    // The last run reaches to the last arange's end, that address included.
    Dwarf_Addr run_high = r + 1 < units.runs.size() ? units.runs[r + 1].start
                          : units.last_end == std::numeric_limits<Dwarf_Addr>::max() ? units.last_end
                                                                                       : units.last_end + 1;
    if (run_low >= run_high) continue;
    sweep_unit(run_low, run_low + 1);
    if (run_low + 1 < run_high) sweep_unit(run_low + 1, run_high);
  }
  flush();
}

FrameChain dwarf_frames_by_scope_search(Dwfl_Module* module, uint64_t file_vaddr) {
  DwarfSource source(module);
  return dwarf_frames_by_scope_search(source, file_vaddr);
}

FrameChain dwarf_frames_by_scope_search(DwarfSource& source, uint64_t file_vaddr) {
  Dwarf_Addr bias = 0;
  Dwarf_Die* cudie = source.unit_at(file_vaddr, &bias);
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

  return frames_along(line_table_position(source, file_vaddr), cudie, static_cast<size_t>(count),
                      [&](size_t i) { return scopes.get() + i; });
}

}  // namespace hprof
