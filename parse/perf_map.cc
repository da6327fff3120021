#include "parse/perf_map.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "common/error.h"
#include "parse/line_reader.h"

namespace hprof {
namespace {

using parse_internal::Cursor;
using parse_internal::excerpt;
using parse_internal::LineReader;
using parse_internal::trim;

// A hex field, "0x" optional; the reason when it is not one.
std::optional<std::string> parse_hex(std::string_view field, std::string_view what, uint64_t& out) {
  if (field.empty()) return fmt::format("no {}", what);
  std::string_view digits = field;
  if (digits.starts_with("0x") || digits.starts_with("0X")) digits.remove_prefix(2);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out, 16);
  if (ec == std::errc::result_out_of_range) return fmt::format("{} '{}' does not fit in 64 bits", what, excerpt(field));
  if (ec != std::errc() || end != digits.data() + digits.size()) {
    return fmt::format("{} '{}' is not a hex number", what, excerpt(field));
  }
  return std::nullopt;
}

// Fills `entry` from `line` (trimmed, not blank); the reason when the line
// is not an entry.
std::optional<std::string> parse_entry(std::string_view line, PerfMapEntry& entry) {
  Cursor cursor(line);
  if (auto why = parse_hex(cursor.word(), "START", entry.start)) return why;
  if (auto why = parse_hex(cursor.word(), "SIZE", entry.size)) return why;
  if (!cursor.skip_blanks() || cursor.at_end()) return std::string("no NAME");
  entry.name = std::string(cursor.rest());
  if (entry.size > UINT64_MAX - entry.start) return std::string("START + SIZE is past the end of the address space");
  return std::nullopt;
}

}  // namespace

std::vector<PerfMapEntry> parse_perf_map(std::istream& in, const std::string& source, uint32_t file_index,
                                         Diagnostics& diags) {
  std::vector<PerfMapEntry> entries;
  LineReader reader(in, source);
  std::string first_bad;  // the warning about the first malformed line
  std::size_t more_bad = 0;
  std::string_view line;
  while (reader.next(line)) {
    line = trim(line);
    if (line.empty()) continue;
    PerfMapEntry entry;
    entry.file = file_index;
    entry.line = reader.line_number();
    if (auto why = parse_entry(line, entry)) {
      if (first_bad.empty()) {
        first_bad = fmt::format("{}:{}: {} in '{}': line skipped (a perf map line is 'START SIZE NAME', START and "
                                "SIZE in hex)",
                                source, entry.line, *why, excerpt(line));
      } else {
        ++more_bad;
      }
      continue;
    }
    entries.push_back(std::move(entry));
  }
  if (!first_bad.empty()) {
    if (more_bad > 0) first_bad += fmt::format("; {} more malformed line(s) skipped", more_bad);
    diags.warn_once(first_bad);
  } else if (entries.empty()) {
    diags.warn_once(source + ": the perf map has no entries; it names nothing");
  }
  return entries;
}

// Each map's entries in its order, each laid over what the earlier entries
// of its map cover: the pieces of every map, each map's disjoint.
std::vector<PerfMap::Piece> PerfMap::latest_pieces() {
  superseded_.assign(files_.size(), 0);
  std::vector<Piece> pieces;
  std::map<uint64_t, Piece> live;  // one map's, by start
  auto flush = [&] {
    for (const auto& [start, piece] : live) pieces.push_back(piece);
    live.clear();
  };
  std::vector<bool> counted(entries_.size(), false);
  for (uint32_t i = 0; i < entries_.size(); ++i) {
    const PerfMapEntry& entry = entries_[i];
    if (i > 0 && entry.file != entries_[i - 1].file) flush();
    if (entry.size == 0) continue;
    const uint64_t start = entry.start, limit = entry.limit();
    auto it = live.lower_bound(start);
    if (it != live.begin() && std::prev(it)->second.limit > start) --it;
    while (it != live.end() && it->first < limit) {
      const Piece old = it->second;
      it = live.erase(it);
      if (entries_[old.entry].name != entry.name && !counted[old.entry]) {
        counted[old.entry] = true;
        if (entry.file < superseded_.size()) ++superseded_[entry.file];
      }
      // What the new entry leaves of the old one: a piece before it, after it.
      if (old.start < start) live.emplace(old.start, Piece{old.start, start, old.entry});
      if (old.limit > limit) live.emplace(limit, Piece{limit, old.limit, old.entry});
    }
    live.emplace(start, Piece{start, limit, i});
  }
  flush();
  return pieces;
}

PerfMap::PerfMap(std::vector<std::string> files, std::vector<PerfMapEntry> entries)
    : files_(std::move(files)), entries_(std::move(entries)) {
  // A sweep over the pieces' boundaries: between two consecutive
  // boundaries the set of covering pieces is fixed, and so is the answer.
  std::vector<Piece> pieces = latest_pieces();
  std::sort(pieces.begin(), pieces.end(), [](const Piece& a, const Piece& b) { return a.start < b.start; });
  std::multimap<uint64_t, uint32_t> active;                // limit -> entry
  std::map<std::string_view, std::set<uint32_t>> by_name;  // the names of the active entries
  std::size_t next = 0;
  uint64_t at = 0;
  while (next < pieces.size() || !active.empty()) {
    if (active.empty()) at = pieces[next].start;
    for (; next < pieces.size() && pieces[next].start == at; ++next) {
      active.emplace(pieces[next].limit, pieces[next].entry);
      by_name[entries_[pieces[next].entry].name].insert(pieces[next].entry);
    }
    uint64_t end = active.begin()->first;
    if (next < pieces.size()) end = std::min(end, pieces[next].start);
    Segment segment{at, end, *by_name.begin()->second.begin(), kNone};
    if (by_name.size() > 1) segment.other = *std::next(by_name.begin())->second.begin();
    segments_.push_back(segment);
    at = end;
    while (!active.empty() && active.begin()->first == at) {
      const uint32_t closed = active.begin()->second;
      active.erase(active.begin());
      auto names = by_name.find(entries_[closed].name);
      names->second.erase(closed);
      if (names->second.empty()) by_name.erase(names);
    }
  }
}

PerfMap::Hit PerfMap::find(uint64_t address) const {
  auto it = std::upper_bound(segments_.begin(), segments_.end(), address,
                             [](uint64_t a, const Segment& s) { return a < s.start; });
  if (it == segments_.begin()) return {};
  const Segment& segment = *(it - 1);
  if (address >= segment.limit) return {};
  if (segment.other != kNone) return Hit{Hit::kConflict, &entries_[segment.entry], &entries_[segment.other]};
  return Hit{Hit::kNamed, &entries_[segment.entry], nullptr};
}

std::string PerfMap::where(const PerfMapEntry& entry) const {
  return fmt::format("{}:{}", files_[entry.file], entry.line);
}

PerfMap read_perf_maps(const std::vector<std::string>& paths, Diagnostics& diags) {
  std::vector<PerfMapEntry> entries;
  for (uint32_t i = 0; i < paths.size(); ++i) {
    std::ifstream in;
    try {
      in = parse_internal::open_input_file(paths[i]);
    } catch (const InputError& e) {
      throw InputError(paths[i], 0, "cannot read the perf map (--perf-map): " + e.reason());
    }
    std::vector<PerfMapEntry> more = parse_perf_map(in, paths[i], i, diags);
    entries.insert(entries.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  return PerfMap(paths, std::move(entries));
}

}  // namespace hprof
