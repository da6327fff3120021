// Linux perf maps: "START SIZE NAME" per line, START and SIZE in hex (with or
// without "0x"), NAME the rest of the line.  A JIT writes one to name its
// code, e.g. JDK 17's /tmp/perf-<pid>.map (-XX:+DumpPerfMapAtExit, or
// `jcmd <pid> Compiler.perfmap`).  PerfMap answers "which name covers this
// address" over the entries of every map given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "common/diagnostics.h"

namespace hprof {

struct PerfMapEntry {
  uint64_t start = 0;
  uint64_t size = 0;     // start + size never exceeds 2^64 - 1 (checked when parsed)
  std::string name;      // as written, trailing blanks removed
  uint32_t file = 0;     // index into PerfMap::files()
  std::size_t line = 0;  // 1-based line in that file
  uint64_t limit() const { return start + size; }
};

// The entries of one map, in file order, each with `file` set to
// `file_index`.  A malformed line (a field that is not hex or does not fit
// in 64 bits, no name, START + SIZE past the end of the address space) is
// skipped: one warning per map names the first one as SOURCE:LINE, says what
// is wrong with it, and how many more were skipped.  Blank lines are skipped
// silently.  A map without a single entry is one warning.
std::vector<PerfMapEntry> parse_perf_map(std::istream& in, const std::string& source, uint32_t file_index,
                                         Diagnostics& diags);

// The entries of several maps as one table by address.
//
// One map is read as the log a JIT appends to: where a later entry covers
// addresses an earlier one covered, the later one names them.  V8's
// --perf-basic-prof map is such a log, written for the life of the process,
// and V8 reuses the memory of freed code, so one address can have several
// entries: the latest is the code that was there last.  A map of one
// moment (HotSpot's -XX:+DumpPerfMapAtExit, jcmd Compiler.perfmap) has no
// overlapping entries, so the rule changes nothing for it.
//
// Across maps: an address that entries of different maps with different
// names cover is not named (kConflict); it could be either (maps written at
// different times, where the JIT reused memory), and a wrong name is worse
// than none.  Entries with the same name (e.g. the same map given twice)
// name their address as one.  Entries of size 0 cover nothing.
class PerfMap {
 public:
  PerfMap(std::vector<std::string> files, std::vector<PerfMapEntry> entries);

  struct Hit {
    enum Kind { kUncovered, kNamed, kConflict } kind = kUncovered;
    const PerfMapEntry* entry = nullptr;  // kNamed: one entry covering the address; kConflict: one of them
    const PerfMapEntry* other = nullptr;  // kConflict: an entry covering it with another name
  };
  Hit find(uint64_t address) const;

  const std::vector<std::string>& files() const { return files_; }
  std::size_t entry_count() const { return entries_.size(); }
  // How many entries of map `file` a later entry of it covered in part or
  // whole with another name: more than 0 makes the map a log.
  std::size_t superseded(uint32_t file) const { return file < superseded_.size() ? superseded_[file] : 0; }
  // "FILE:LINE" of `entry`.
  std::string where(const PerfMapEntry& entry) const;

 private:
  // Address ranges where the set of covering entries does not change.
  struct Segment {
    uint64_t start = 0, limit = 0;
    uint32_t entry = 0;
    uint32_t other = kNone;  // an entry with another name: a conflict
  };
  static constexpr uint32_t kNone = UINT32_MAX;

  // What an entry still names once later entries of its map are laid over it.
  struct Piece {
    uint64_t start = 0, limit = 0;
    uint32_t entry = 0;
  };
  std::vector<Piece> latest_pieces();

  std::vector<std::string> files_;
  std::vector<PerfMapEntry> entries_;
  std::vector<std::size_t> superseded_;  // per file
  std::vector<Segment> segments_;  // sorted, disjoint
};

// Reads every map in `paths` (--perf-map, in order).  Throws InputError for
// a map that cannot be read (missing, a directory, unreadable).
PerfMap read_perf_maps(const std::vector<std::string>& paths, Diagnostics& diags);

}  // namespace hprof
