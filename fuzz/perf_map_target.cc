// Fuzz target: perf maps (--perf-map) from their bytes to address lookups.
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "fuzz/quiet_diagnostics.h"
#include "fuzz/targets.h"
#include "parse/perf_map.h"

namespace hprof::fuzz {
namespace {

bool covers(const PerfMapEntry& entry, uint64_t address) {
  return address >= entry.start && address - entry.start < entry.size;
}

// What PerfMap::find promises, checked against the entries themselves: in
// each map the latest entry covering the address is the one that counts (a
// map is a log); across maps, different names are a conflict.
void check_hit(const PerfMap& map, const std::vector<PerfMapEntry>& entries, uint64_t address) {
  const PerfMap::Hit hit = map.find(address);
  std::map<uint32_t, const PerfMapEntry*> latest;  // by map; entries are in each map's order
  for (const PerfMapEntry& e : entries) {
    if (covers(e, address)) latest[e.file] = &e;
  }
  std::set<std::string> names;
  for (const auto& [file, e] : latest) names.insert(e->name);
  auto is_latest = [&](const PerfMapEntry* e) {
    return e != nullptr && latest.count(e->file) != 0 && latest.at(e->file)->name == e->name && covers(*e, address);
  };
  switch (hit.kind) {
    case PerfMap::Hit::kUncovered:
      if (!latest.empty()) throw std::logic_error("an address an entry covers is uncovered");
      break;
    case PerfMap::Hit::kNamed:
      if (!is_latest(hit.entry)) throw std::logic_error("named by an entry that is not its map's latest there");
      if (names.size() > 1) throw std::logic_error("named although the maps' latest entries there have different names");
      map.where(*hit.entry);
      break;
    case PerfMap::Hit::kConflict:
      if (!is_latest(hit.entry) || !is_latest(hit.other) || hit.entry->name == hit.other->name) {
        throw std::logic_error("a conflict between entries that are not their maps' latest with different names");
      }
      break;
  }
}

}  // namespace

void perf_map(std::span<const uint8_t> input) {
  QuietDiagnostics diags;
  const std::string whole(reinterpret_cast<const char*>(input.data()), input.size());
  std::istringstream first(whole), second(whole.substr(whole.size() / 2));
  std::vector<PerfMapEntry> entries = parse_perf_map(first, "a.map", 0, diags.get());
  for (PerfMapEntry& e : parse_perf_map(second, "b.map", 1, diags.get())) entries.push_back(std::move(e));

  const PerfMap map({"a.map", "b.map"}, entries);
  if (map.entry_count() != entries.size()) throw std::logic_error("entries lost");
  // At most a few hundred entries' edges: the checks are linear in the entries.
  const size_t checked = std::min<size_t>(entries.size(), 200);
  for (size_t i = 0; i < checked; ++i) {
    const PerfMapEntry& e = entries[i];
    for (uint64_t address : {e.start - 1, e.start, e.start + e.size / 2, e.limit() - 1, e.limit()}) {
      check_hit(map, entries, address);
    }
  }
  for (uint64_t address : {uint64_t{0}, UINT64_MAX}) check_hit(map, entries, address);
}

}  // namespace hprof::fuzz
