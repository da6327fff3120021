#include "symbolize/dwarf/debug_info_units.h"

#include <dwarf.h>
#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cstring>

#include "symbolize/dwarf/memory_pages.h"

namespace hprof {
namespace {

// A bounds-checked reader of native-endian DWARF data.
class Reader {
 public:
  explicit Reader(std::span<const unsigned char> data) : data_(data) {}
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ >= data_.size(); }
  size_t pos() const { return pos_; }
  void seek(size_t pos) {
    if (pos > data_.size()) ok_ = false;
    pos_ = std::min(pos, data_.size());
  }
  template <typename T>
  T fixed() {
    T value{};
    if (data_.size() - pos_ < sizeof(T)) {
      ok_ = false;
      pos_ = data_.size();
      return value;
    }
    std::memcpy(&value, data_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return value;
  }
  uint64_t uleb() {
    uint64_t value = 0;
    for (unsigned shift = 0;; shift += 7) {
      if (pos_ >= data_.size() || shift > 63) {
        ok_ = false;
        return value;
      }
      const unsigned char byte = data_[pos_++];
      value |= uint64_t{byte & 0x7fu} << shift;
      if ((byte & 0x80) == 0) return value;
    }
  }

 private:
  std::span<const unsigned char> data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

constexpr uint32_t kLength64 = 0xffffffff;
constexpr uint32_t kFirstReservedLength = 0xfffffff0;

}  // namespace

bool ArangeUnits::parse(std::span<const unsigned char> aranges) {
  entries_.clear();
  Reader in(aranges);
  while (!in.at_end()) {
    const size_t set_start = in.pos();
    uint64_t length = in.fixed<uint32_t>();
    const bool offset64 = length == kLength64;
    if (offset64) length = in.fixed<uint64_t>();
    if (!in.ok() || (!offset64 && length >= kFirstReservedLength) || length > aranges.size() - in.pos()) return false;
    const size_t set_end = in.pos() + length;
    in.fixed<uint16_t>();  // version
    const uint64_t unit = offset64 ? in.fixed<uint64_t>() : in.fixed<uint32_t>();
    const unsigned address_size = in.fixed<uint8_t>();
    const unsigned segment_size = in.fixed<uint8_t>();
    if (!in.ok() || (address_size != 4 && address_size != 8) || segment_size != 0) return false;
    // Tuples start at a multiple of their size from the set's start.
    const size_t tuple = 2 * address_size;
    in.seek(set_start + (in.pos() - set_start + tuple - 1) / tuple * tuple);
    while (in.ok() && in.pos() + tuple <= set_end) {
      const uint64_t start = address_size == 8 ? in.fixed<uint64_t>() : in.fixed<uint32_t>();
      const uint64_t size = address_size == 8 ? in.fixed<uint64_t>() : in.fixed<uint32_t>();
      if (start != 0 || size != 0) entries_.push_back({start, size, unit});
    }
    if (!in.ok()) return false;
    in.seek(set_end);
  }
  std::sort(entries_.begin(), entries_.end(),
            [](const Entry& a, const Entry& b) { return a.start < b.start || (a.start == b.start && a.unit < b.unit); });
  units_.clear();
  for (const Entry& entry : entries_) units_.push_back(entry.unit);
  std::sort(units_.begin(), units_.end());
  units_.erase(std::unique(units_.begin(), units_.end()), units_.end());
  return true;
}

uint64_t ArangeUnits::span_of(uint64_t unit, uint64_t section_size) const {
  auto next = std::upper_bound(units_.begin(), units_.end(), unit);
  const uint64_t end = next != units_.end() ? *next : section_size;
  return end > unit ? end - unit : 0;
}

void ArangeUnits::units_at(uint64_t address, std::set<uint64_t>& units) const {
  auto after = std::upper_bound(entries_.begin(), entries_.end(), address,
                                [](uint64_t a, const Entry& e) { return a < e.start; });
  if (after == entries_.begin()) return;
  const uint64_t start = std::prev(after)->start;
  for (auto it = std::prev(after);; --it) {
    if (it->start != start) break;
    units.insert(it->unit);
    if (it == entries_.begin()) break;
  }
}

bool units_stand_alone(std::span<const unsigned char> abbrev) {
  Reader in(abbrev);
  while (!in.at_end()) {
    if (in.uleb() == 0) continue;  // the end of one unit's table
    const uint64_t tag = in.uleb();
    if (tag == DW_TAG_partial_unit || tag == DW_TAG_imported_unit || tag == DW_TAG_type_unit ||
        tag == DW_TAG_skeleton_unit) {
      return false;
    }
    in.fixed<uint8_t>();  // DW_CHILDREN_*
    for (;;) {
      const uint64_t name = in.uleb();
      const uint64_t form = in.uleb();
      if (!in.ok()) return false;
      if (name == 0 && form == 0) break;
      if (form == DW_FORM_ref_addr || form == DW_FORM_ref_sig8 || form == DW_FORM_ref_sup4 ||
          form == DW_FORM_ref_sup8 || form == DW_FORM_strp_sup || form == DW_FORM_GNU_ref_alt ||
          form == DW_FORM_GNU_strp_alt) {
        return false;
      }
      if (form == DW_FORM_implicit_const) in.uleb();  // its value (an SLEB: the same bytes to skip)
    }
  }
  return in.ok();
}

bool PartialDebugInfo::inflate(const std::set<uint64_t>& wanted) {
  std::set<uint64_t> keep = asked_;
  keep.insert(wanted.begin(), wanted.end());
  unguard();
  resumed_ = points_ != nullptr && resume(keep);
  if (resumed_ || stream(keep, false)) {
    asked_ = std::move(keep);
    return true;
  }
  guard(spans_);  // what an earlier call kept is still there, and only that
  return false;
}

void PartialDebugInfo::release(const std::vector<uint64_t>& units) {
  for (uint64_t unit : units) {
    // The unit's length is in place with it (a unit kept whole).
    if (unit + 12 > size_) continue;
    uint32_t length32 = 0;
    std::memcpy(&length32, dest_ + unit, 4);
    uint64_t end = unit + 4 + length32;
    if (length32 == kLength64) {
      uint64_t length = 0;
      std::memcpy(&length, dest_ + unit + 4, 8);
      end = length <= size_ - unit - 12 ? unit + 12 + length : size_;
    } else if (length32 >= kFirstReservedLength || end > size_) {
      continue;
    }
    if (end <= unit + kHeaderWindow) continue;
    release_written_pages(dest_ + unit + kHeaderWindow, end - unit - kHeaderWindow);
    const std::lock_guard lock(progress_mutex_);
    released_.push_back(unit);
  }
}

void PartialDebugInfo::forget_released() {
  std::vector<uint64_t> released;
  {
    const std::lock_guard lock(progress_mutex_);
    released.swap(released_);
  }
  if (released.empty()) return;
  for (uint64_t unit : released) {
    asked_.erase(unit);
    auto it = kept_units_.find(unit);
    if (it == kept_units_.end()) continue;
    kept_bytes_ -= it->second - std::min<uint64_t>(it->second, kHeaderWindow);
    kept_units_.erase(it);
    auto span = std::lower_bound(spans_.begin(), spans_.end(), unit,
                                 [](const Span& s, uint64_t u) { return s.begin < u; });
    if (span != spans_.end() && span->begin == unit) span->end = std::min(span->end, unit + kHeaderWindow);
  }
  unguard();
  guard(spans_);
}

bool PartialDebugInfo::inflate_every_unit() {
  unguard();
  resumed_ = false;
  if (stream({}, true)) {
    everything_ = true;
    return true;
  }
  guard(spans_);  // what an earlier call kept is still there, and only that
  return false;
}

void PartialDebugInfo::publish(uint64_t offset, bool failed) {
  {
    const std::lock_guard lock(progress_mutex_);
    streamed_ = offset;
    stream_failed_ = failed;
  }
  progress_.notify_all();
}

bool PartialDebugInfo::wait_streamed_past(uint64_t unit) const {
  std::unique_lock lock(progress_mutex_);
  progress_.wait(lock, [&] { return stream_failed_ || streamed_ > unit; });
  return !stream_failed_;
}

bool PartialDebugInfo::stream(const std::set<uint64_t>& keep, bool everything) {
  publish(0);
  // Readers waiting on another thread learn the outcome, whatever it is.
  bool done = false;
  struct Outcome {
    PartialDebugInfo* self;
    bool* done;
    ~Outcome() { self->publish(*done ? UINT64_MAX : self->streamed_, !*done); }
  } outcome{this, &done};
  inflate_state state;
  isal_inflate_init(&state);
  state.crc_flag = ISAL_ZLIB;
  size_t fed = 0;
  std::vector<unsigned char> buffer(1 << 20);
  std::vector<Span> spans;  // what is copied, in order

  // The unit being read: its length is copied first, then as much of it as
  // is kept.
  uint64_t next_unit = 0;
  uint64_t unit_start = 0;
  uint64_t unit_end = 0;  // 0 until the unit's length is read
  uint64_t copy_end = 0;
  size_t units = 0;
  std::map<uint64_t, uint64_t> kept;
  uint64_t produced = 0;
  size_t released = 0;
  // Resume points, when recording, and every unit's extent for them.
  std::unique_ptr<ResumePoints> recording;
  if (record_origin_) {
    recording = std::make_unique<ResumePoints>();
    recording->origin = *record_origin_;
  }
  uint64_t next_point = point_spacing_;

  while (state.block_state != ISAL_BLOCK_FINISH) {
    if (state.avail_in == 0 && fed < zlib_size_) {
      state.next_in = const_cast<uint8_t*>(zlib_ + fed);
      state.avail_in = static_cast<uint32_t>(std::min<size_t>(zlib_size_ - fed, size_t{1} << 28));
      fed += state.avail_in;
    }
    // Inside a unit kept whole, up to its end, the stream is inflated in
    // place; elsewhere into the buffer, and what is kept copied from there.
    const bool in_place = unit_end != 0 && copy_end == unit_end && produced >= unit_start + 12 && produced < copy_end;
    const size_t room = in_place ? std::min<uint64_t>(copy_end - produced, uint32_t{1} << 30) : buffer.size();
    state.next_out = in_place ? dest_ + produced : buffer.data();
    state.avail_out = static_cast<uint32_t>(room);
    if (isal_inflate(&state) != ISAL_DECOMP_OK) return false;
    const uint64_t chunk_end = produced + (room - state.avail_out);
    if (chunk_end > size_) return false;
    if (chunk_end == produced && state.block_state != ISAL_BLOCK_FINISH && state.avail_in == 0 && fed == zlib_size_) {
      return false;  // the stream ends early
    }
    if (recording && chunk_end >= next_point && state.block_state != ISAL_BLOCK_FINISH) {
      recording->take(state, zlib_, fed - state.avail_in, chunk_end);
      next_point = chunk_end + point_spacing_;
    }
    for (uint64_t pos = produced; pos < chunk_end;) {
      if (pos == next_unit) {
        unit_start = pos;
        unit_end = 0;
        copy_end = pos + 4;
        next_unit = UINT64_MAX;
        ++units;
      }
      const uint64_t stop = std::min(chunk_end, copy_end);
      if (pos < stop) {
        if (!in_place) std::memcpy(dest_ + pos, buffer.data() + (pos - produced), stop - pos);
        pos = stop;
      }
      if (unit_end == 0) {
        if (pos < copy_end) break;  // the length field goes on in the next chunk
        uint32_t length32 = 0;
        std::memcpy(&length32, dest_ + unit_start, 4);
        if (length32 == kLength64 && copy_end == unit_start + 4) {
          copy_end = unit_start + 12;
          continue;
        }
        if (length32 >= kFirstReservedLength && length32 != kLength64) return false;
        uint64_t length = length32;
        if (length32 == kLength64) std::memcpy(&length, dest_ + unit_start + 4, 8);
        const uint64_t header = copy_end - unit_start;
        if (length > size_ - unit_start - header) return false;
        unit_end = next_unit = unit_start + header + length;
        if (recording) recording->units.push_back({unit_start, unit_end - unit_start, {}});
        if (everything || keep.count(unit_start) != 0) {
          copy_end = unit_end;
          kept.emplace(unit_start, unit_end - unit_start);
          populate_pages(dest_ + pos, copy_end - pos);
        } else {
          copy_end = std::min(unit_end, unit_start + kHeaderWindow);
        }
        spans.push_back({unit_start, copy_end});
        continue;
      }
      if (pos >= copy_end) pos = std::min(chunk_end, next_unit);
    }
    produced = chunk_end;
    // Every unit before the one being read is in place (all of them when
    // the next one starts here).
    publish(next_unit == produced ? produced : unit_start);
    // The compressed pages read so far are not needed again.
    const size_t consumed = fed - state.avail_in;
    if (consumed - released >= (size_t{8} << 20)) {
      release_pages(zlib_ + released, consumed - released);
      released = consumed;
    }
  }
  release_pages(zlib_ + released, zlib_size_ - released);
  if (produced != size_ || next_unit != size_) return false;
  if (recording) {
    // Every unit's first bytes are in place, kept or not, and stay there:
    // release() keeps them, and a later stream writes the same bytes.
    for (ResumePoints::Unit& unit : recording->units) unit.window = {dest_ + unit.offset, std::min(unit.size, kHeaderWindow)};
    recorded_ = std::move(recording);
    record_origin_.reset();  // once is enough: later streams are the same
  }
  settle(std::move(spans), std::move(kept), units);
  done = true;
  return true;
}

void PartialDebugInfo::settle(std::vector<Span> spans, std::map<uint64_t, uint64_t> kept, size_t units) {
  kept_units_ = std::move(kept);
  unit_count_ = units;
  kept_bytes_ = 0;
  for (const Span& span : spans) kept_bytes_ += span.end - span.begin;
  spans_ = std::move(spans);
  guard(spans_);
}

// Spans are in order and do not overlap: the gaps between them are dropped.
void PartialDebugInfo::guard(const std::vector<Span>& kept) {
  // Past the kernel's limit on mappings (a file of very many units)
  // mprotect fails and the rest stays readable, as zeros.
  uint64_t from = 0;
  for (const Span& span : kept) {
    if (span.begin > from) protect_pages(dest_ + from, span.begin - from, PROT_NONE);
    from = std::max(from, span.end);
  }
  if (size_ > from) protect_pages(dest_ + from, size_ - from, PROT_NONE);
  guarded_ = true;
}

void PartialDebugInfo::unguard() {
  if (guarded_) protect_pages(dest_, size_, PROT_READ | PROT_WRITE);
  guarded_ = false;
}

}  // namespace hprof
