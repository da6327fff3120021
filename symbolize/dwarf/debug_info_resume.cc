// PartialDebugInfo::resume: the kept units of .debug_info inflated each from
// the resume point before it, the other units' first bytes copied from the
// points file, with no pass over the rest of the stream.
#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cstring>

#include "symbolize/dwarf/debug_info_units.h"
#include "symbolize/dwarf/memory_pages.h"

namespace hprof {
namespace {

// Inflates the stream `state` reads from its position `pos` to `to`: into
// `dest + pos` when `dest`, else into `scratch` and dropped.  False on an
// inflater error or an early end.
bool inflate_to(inflate_state& state, uint64_t& pos, uint64_t to, unsigned char* dest,
                std::vector<unsigned char>& scratch, const unsigned char* stream, uint64_t stream_size,
                uint64_t& fed) {
  while (pos < to) {
    if (state.avail_in == 0 && fed < stream_size) {
      state.next_in = const_cast<uint8_t*>(stream + fed);
      state.avail_in = static_cast<uint32_t>(std::min<uint64_t>(stream_size - fed, uint64_t{1} << 28));
      fed += state.avail_in;
    }
    const uint64_t room = std::min<uint64_t>(to - pos, dest != nullptr ? uint64_t{1} << 30 : scratch.size());
    state.next_out = dest != nullptr ? dest + pos : scratch.data();
    state.avail_out = static_cast<uint32_t>(room);
    if (isal_inflate(&state) != ISAL_DECOMP_OK) return false;
    const uint64_t produced = room - state.avail_out;
    if (produced == 0) return false;  // ends before `to`, or needs input there is none of
    pos += produced;
  }
  return true;
}

}  // namespace

bool PartialDebugInfo::resume(const std::set<uint64_t>& keep) {
  const ResumePoints& points = *points_;
  if (points.origin.inflated_size != size_ || points.origin.compressed_size != zlib_size_ || points.units.empty()) {
    return false;
  }
  std::vector<Span> spans;
  std::map<uint64_t, uint64_t> kept;
  spans.reserve(points.units.size());
  for (const ResumePoints::Unit& unit : points.units) {
    // ResumePoints::read checked that the units tile the section.
    const bool whole = keep.count(unit.offset) != 0;
    const uint64_t end = unit.offset + (whole ? unit.size : unit.window.size());
    if (whole) {
      kept.emplace(unit.offset, unit.size);
      populate_pages(dest_ + unit.offset, unit.size);
    }
    std::memcpy(dest_ + unit.offset, unit.window.data(), unit.window.size());
    spans.push_back({unit.offset, end});
  }

  inflate_state state;
  std::vector<unsigned char> scratch(1 << 20);
  uint64_t pos = 0, fed = 0;
  bool positioned = false;
  for (const auto& [start, size] : kept) {
    // From where the last unit ended when no point lies between, else from
    // the point before this unit (or the stream's start).
    const ResumePoints::Point* point = points.point_before(start);
    const uint64_t point_out = point != nullptr ? point->out_offset : 0;
    if (!positioned || pos > start || point_out > pos) {
      if (point != nullptr) {
        constexpr uint64_t kFeed = uint64_t{1} << 28;
        if (!ResumePoints::restore(*point, zlib_, zlib_size_, kFeed, state)) return false;
        fed = point->in_offset + state.avail_in;
      } else {
        isal_inflate_init(&state);
        state.crc_flag = ISAL_ZLIB;
        state.next_in = nullptr;
        state.avail_in = 0;
        fed = 0;
      }
      pos = point_out;
      positioned = true;
    }
    if (!inflate_to(state, pos, start, nullptr, scratch, zlib_, zlib_size_, fed) ||
        !inflate_to(state, pos, start + size, dest_, scratch, zlib_, zlib_size_, fed)) {
      return false;
    }
  }
  settle(std::move(spans), std::move(kept), points.units.size());
  publish(UINT64_MAX);
  return true;
}

}  // namespace hprof
