// JIT code's names from perf maps (--perf-map), as a name source.  Anonymous
// executable memory has no file, so it is asked by runtime address; HotSpot's
// method names are shortened as C++ names are (symbolize/names/jit_name.h).  It
// counts what the warnings about a perf map need: the addresses asked, those
// no entry covers, and those that entries with different names cover.
#pragma once

#include <cstdint>

#include "parse/perf_map.h"
#include "symbolize/names/name_source.h"

namespace hprof {

class PerfMapNames : public NameSource {
 public:
  // `map` must outlive this.
  explicit PerfMapNames(const PerfMap& map) : map_(&map) {}

  // One frame, the entry's name, when exactly one name covers `address`;
  // no frame otherwise.  Counts each call: ask once per distinct address.
  Naming at(uint64_t address) override;
  // A perf map is read whole on every run and changes with every process:
  // nothing of it belongs in an ELF file's index.
  void save(IndexContents&, IndexPart&) override {}

  struct Counts {
    uint64_t looked_up = 0, uncovered = 0, conflicts = 0;
    PerfMap::Hit first_conflict;  // when conflicts > 0
  };
  const Counts& counts() const { return counts_; }
  const PerfMap& map() const { return *map_; }

 private:
  const PerfMap* map_;
  Counts counts_;
};

}  // namespace hprof
