// .debug_info inflated in part: every unit's header, and whole only the
// units that answer for the addresses a profile asks about.  A 1 MB JVM dump
// needs a few hundred of libjvm's 1,071 units, so the cold path holds tens of
// megabytes of .debug_info instead of 257 MB, and streams it (ISA-L) into a
// small buffer instead of writing every page.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <vector>

#include "symbolize/dwarf/resume_points.h"

namespace hprof {

// .debug_aranges as libdw reads it (dwarf_getaranges): every (start, length)
// tuple but the (0, 0) terminators, sorted by start.  Which unit answers for
// an address is decided by DwarfSource::Units::find: the run whose start is
// the greatest at or below it, i.e. the unit of the arange with that start.
class ArangeUnits {
 public:
  // False when the section is malformed (then nothing can be kept apart).
  bool parse(std::span<const unsigned char> aranges);
  // Adds the header offsets of the units that may answer for `address`:
  // the units of every arange that starts at the greatest start at or below
  // it (several when starts tie: libdw's binary search picks one of them).
  void units_at(uint64_t address, std::set<uint64_t>& units) const;
  bool empty() const { return entries_.empty(); }
  struct Entry {
    uint64_t start, length;
    uint64_t unit;  // the unit's header offset in .debug_info
  };
  // Sorted by start (ties by unit).
  const std::vector<Entry>& entries() const { return entries_; }
  // The bytes from `unit` to the next unit any arange names (to the end of
  // a section of `section_size` bytes after the last): the unit's size, or
  // more when units without aranges follow it.
  uint64_t span_of(uint64_t unit, uint64_t section_size) const;

 private:
  std::vector<Entry> entries_;
  std::vector<uint64_t> units_;  // every unit named, in order
};

// True when the abbreviations let a unit be read without the others: no
// reference into another unit or file (DW_FORM_ref_addr, ref_sig8, the
// supplementary and alt forms) and no partial, imported, type or skeleton
// units.  False too when the section is malformed.
bool units_stand_alone(std::span<const unsigned char> abbrev);

// The zlib stream of a compressed .debug_info, inflated into `dest` (its
// full inflated size, in memory that stays unwritten, so uncommitted, where
// nothing is copied) keeping the first kHeaderWindow bytes of every unit and
// the whole of the wanted units.  Whole pages that hold nothing kept are
// made inaccessible: a read of a unit that was not kept faults instead of
// reading zeros as DWARF.
class PartialDebugInfo {
 public:
  // Enough for a unit's header and its unit DIE, which libdw reads for every
  // unit it passes on its way to another.
  static constexpr uint64_t kHeaderWindow = 4096;

  PartialDebugInfo(const unsigned char* zlib, size_t zlib_size, unsigned char* dest, size_t size)
      : zlib_(zlib), zlib_size_(zlib_size), dest_(dest), size_(size) {}

  // Inflates the stream again, keeping `wanted` (header offsets) besides
  // what earlier calls kept.  False on a zlib error, a stream of another
  // size, or a malformed unit length: then the contents are not usable.
  bool inflate(const std::set<uint64_t>& wanted);
  // Inflates the stream again keeping every unit whole.
  bool inflate_every_unit();

  // From now on inflate() reads the units it keeps from the last of
  // `points` before each (and every unit's first bytes from there), when
  // they are of this stream, instead of streaming: null streams.
  void resume_from(const ResumePoints* points) { points_ = points; }
  // Streams from now on take resume points every `spacing` bytes of output
  // (a few MB: each a ~54 KB state, and a later run inflates half a spacing
  // on average to reach a unit), and keep them with every unit's first
  // bytes once a stream succeeds.
  static constexpr uint64_t kPointSpacing = uint64_t{2} << 20;
  void record_points(const ResumePoints::Origin& origin, uint64_t spacing = kPointSpacing) {
    record_origin_ = origin;
    point_spacing_ = spacing;
  }
  // What the last successful stream recorded; null when none did.  Its
  // units' first bytes are those in place here: valid while this lives.
  const ResumePoints* recorded() const { return recorded_.get(); }
  // Whether the last inflate() resumed rather than streamed.
  bool resumed() const { return resumed_; }

  // While inflate() runs on another thread: waits until every unit up to
  // and including the one at `unit` is in place.  False when the stream
  // failed (then nothing it wrote may be read).
  bool wait_streamed_past(uint64_t unit) const;

  // Gives back the pages of units kept whole that nobody will read again
  // (their frames are answered), but for their header window, while the
  // stream goes on: `units` must be in place (wait_streamed_past).  They
  // count as not kept once forget_released() has run, after the stream.
  void release(const std::vector<uint64_t>& units);
  // The released units are no longer kept: reading them again streams again.
  void forget_released();

  // True when `unit` was asked for (kept if a unit starts there).
  bool holds(uint64_t unit) const { return everything_ || asked_.count(unit) != 0; }
  size_t unit_count() const { return unit_count_; }
  size_t kept_unit_count() const { return kept_units_.size(); }
  // The bytes kept of the unit whose header is at `unit`; 0 when not kept.
  uint64_t unit_bytes(uint64_t unit) const {
    auto it = kept_units_.find(unit);
    return it != kept_units_.end() ? it->second : 0;
  }
  uint64_t kept_bytes() const { return kept_bytes_; }
  size_t size() const { return size_; }

 private:
  struct Span {
    uint64_t begin, end;
  };
  bool stream(const std::set<uint64_t>& keep, bool everything);
  // inflate() from points_; false when they do not fit this stream (then
  // nothing was published and stream() follows).
  bool resume(const std::set<uint64_t>& keep);
  // After a stream or a resume put `spans` and `kept` in place.
  void settle(std::vector<Span> spans, std::map<uint64_t, uint64_t> kept, size_t units);
  // Every unit that starts before `offset` is in place; `failed`: the
  // stream ended in error.
  void publish(uint64_t offset, bool failed = false);
  void guard(const std::vector<Span>& kept);
  void unguard();

  const unsigned char* zlib_;
  size_t zlib_size_;
  unsigned char* dest_;
  size_t size_;
  std::set<uint64_t> asked_;
  std::map<uint64_t, uint64_t> kept_units_;  // header offset -> size
  std::vector<Span> spans_;  // what is kept, in order
  size_t unit_count_ = 0;
  uint64_t kept_bytes_ = 0;
  bool guarded_ = false;
  bool everything_ = false;
  // What a stream has put in place, for readers on other threads.
  mutable std::mutex progress_mutex_;
  mutable std::condition_variable progress_;
  uint64_t streamed_ = 0;
  bool stream_failed_ = false;
  std::vector<uint64_t> released_;  // under progress_mutex_
  const ResumePoints* points_ = nullptr;
  bool resumed_ = false;
  std::optional<ResumePoints::Origin> record_origin_;
  uint64_t point_spacing_ = kPointSpacing;
  std::unique_ptr<ResumePoints> recorded_;
};

}  // namespace hprof
