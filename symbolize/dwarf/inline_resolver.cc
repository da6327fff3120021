#include "symbolize/dwarf/inline_resolver.h"

#include <dwarf.h>
#include <elfutils/libdw.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "symbolize/dwarf/die_frames.h"
#include "symbolize/dwarf/die_walk.h"
#include "symbolize/dwarf/dwarf_source.h"
#include "symbolize/dwarf/scope_search.h"
#include "symbolize/dwarf/unit_runs.h"

namespace hprof {

using namespace dwarf_walk;

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

  // Whether `unit`'s chains through `origin` are answered: when libdw's walk
  // of the unit visits it, which may belong to another unit that an import
  // puts in place; and when it lies in a unit the walk never takes in.
  // There libdw gives up, but gcc -flto's units put every abstract origin
  // in the early units (DW_FORM_ref_addr), and llvm-symbolizer and GNU
  // addr2line answer with the chain.
  Reach reaches(Unit& unit, Dwarf_Die* origin) {
    Dwarf_Die root;
    if (dwarf_diecu(origin, &root, nullptr, nullptr) == nullptr) return Reach::kUnknown;
    if (root.addr != unit.cudie.addr) {
      if (!list_imported(unit)) return Reach::kUnknown;
      if (!unit.imported.contains(root.addr)) return Reach::kYes;
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

InlineResolver::InlineResolver(Dwarf* dwarf, const ArangeUnits& aranges) : index_(std::make_unique<Index>()) {
  index_->source = std::make_unique<DwarfSource>(dwarf, aranges);
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
void InlineResolver::sweep_units_at(const std::vector<uint64_t>* addresses, const IntervalVisitor& visit,
                                    const RangeVisitor& skipped) {
  DwarfSource& source = *index_->source;
  Dwarf* dwarf = source.dwarf_at_bias_zero();
  if (dwarf == nullptr) {
    // DWARF that frames() reads with a bias (never for a file reported at
    // 0 with its own or a matching debug file): let it answer.
    if (source.has_dwarf()) visit(0, std::numeric_limits<uint64_t>::max(), nullptr);
    return;
  }
  DwarfSource::Units& units = *source.units();
  // The functions to sweep (each unit's FirstCover items), by the unit's
  // run key, as frames() finds them; found without reading any other unit.
  std::unordered_map<Dwarf_Off, std::unordered_set<uint32_t>> wanted;
  if (addresses != nullptr) {
    for (uint64_t address : *addresses) {
      std::optional<size_t> run = units.run_at(address);
      if (!run || (units.by_header && units.ambiguous(address))) continue;
      std::unordered_set<uint32_t>& items = wanted[units.runs[*run].cu_die];
      Dwarf_Addr bias = 0;
      Dwarf_Die* cudie = source.unit_at(address, &bias);
      if (cudie == nullptr) continue;
      Unit& unit = index_->unit_for(*cudie);
      if (unit.indexed) items.insert(unit.cover.find(address - bias));
    }
  }
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
  auto sweep_unit = [&](Dwarf_Addr run_low, Dwarf_Addr run_high, Dwarf_Off key) {
    const std::unordered_set<uint32_t>* items = nullptr;
    if (addresses != nullptr) {
      auto found = wanted.find(key);
      if (found == wanted.end()) {
        flush();
        skipped(run_low, run_high);
        return;
      }
      items = &found->second;
    }
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
      if (items != nullptr && !items->contains(segment->item)) {
        flush();
        skipped(low, high);
        continue;
      }
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
    // The run the search picks at its start: by header, a choice of ours
    // that libdw may not make, so not answered here.
    if (units.by_header && units.ambiguous(run_low)) {
      flush();
      skipped(run_low, run_low + 1);
    } else {
      sweep_unit(run_low, run_low + 1, units.runs[*units.run_at(run_low)].cu_die);
    }
    if (run_low + 1 < run_high) sweep_unit(run_low + 1, run_high, units.runs[r].cu_die);
  }
  flush();
}

}  // namespace hprof
