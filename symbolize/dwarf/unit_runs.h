// DwarfSource::Units: which unit holds an address, by libdwfl's rule, for
// a Dwarf opened apart (DwarfSource) and for the resolver's sweep.
#pragma once

#include <elfutils/libdw.h>

#include <optional>
#include <vector>

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

}  // namespace hprof
