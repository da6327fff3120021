// DwarfSource::Units: which unit holds an address, by libdwfl's rule, for
// a Dwarf opened apart (DwarfSource) and for the resolver's sweep.
#pragma once

#include <elfutils/libdw.h>

#include <optional>
#include <vector>

#include "symbolize/dwarf/debug_info_units.h"
#include "symbolize/dwarf/dwarf_source.h"

namespace hprof {

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
    Dwarf_Off cu_die;  // the unit DIE's offset; with `by_header`, the unit header's
    std::optional<Dwarf_Die> die;  // read on first need
  };
  std::vector<Run> runs;
  Dwarf_Addr last_end = 0;
  // Runs made from .debug_aranges as parsed apart (ArangeUnits), naming
  // units by their headers: finding one reads its header alone, where
  // dwarf_getaranges reads every unit's, so units can be looked up while
  // later ones are still being inflated.  Runs that start together are
  // ordered otherwise than libdw orders them: their start is ambiguous().
  bool by_header = false;

  Units(Dwarf* d, const ArangeUnits& table) : dwarf(d), by_header(true) {
    const std::vector<ArangeUnits::Entry>& entries = table.entries();
    for (size_t i = 0; i < entries.size(); ++i) {
      if (i == 0 || entries[i].unit != runs.back().cu_die) runs.push_back({entries[i].start, entries[i].unit, std::nullopt});
      if (i + 1 == entries.size()) last_end = entries[i].start + entries[i].length;
    }
  }

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

  // The run holding `addr` by libdwfl's rule; nullopt when none does.
  std::optional<size_t> run_at(Dwarf_Addr addr) const {
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
      return idx;
    }
    return std::nullopt;
  }

  // Whether another run starts where the one holding `addr` does, so that
  // which of them holds it is the binary search's choice.
  bool ambiguous(Dwarf_Addr addr) const {
    std::optional<size_t> r = run_at(addr);
    if (!r || runs[*r].start != addr) return false;
    return (*r > 0 && runs[*r - 1].start == addr) || (*r + 1 < runs.size() && runs[*r + 1].start == addr);
  }

  Dwarf_Die* find(Dwarf_Addr addr) {
    std::optional<size_t> r = run_at(addr);
    if (!r) return nullptr;
    Run& run = runs[*r];
    if (!run.die) {
      Dwarf_Off die_offset = run.cu_die;
      if (by_header) {
        Dwarf_Off next = 0;
        size_t header_size = 0;
        if (dwarf_next_unit(dwarf, run.cu_die, &next, &header_size, nullptr, nullptr, nullptr, nullptr, nullptr,
                            nullptr) != 0) {
          return nullptr;
        }
        die_offset = run.cu_die + header_size;
      }
      Dwarf_Die die;
      if (dwarf_offdie(dwarf, die_offset, &die) == nullptr) return nullptr;
      run.die = die;
    }
    return &*run.die;
  }
};

}  // namespace hprof
