// What a frame is called in a report, and the table that gives each distinct
// row (function, line, address or file, by the granularity) a dense id.
// Shared by the text report and the stack outputs, so that a frame has the
// same name in --text, --collapsed and --flamegraph.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "report/report.h"
#include "profile/profile.h"
#include "report/report_profile.h"

namespace hprof {

// Whether a row of an inlined frame is its own, named " (inline)" (the text
// report's rows), or one with the function's other frames (a call graph's
// nodes, whose edges say which calls were inlined).
enum class InlineRows { kApart, kMerged };

// Appends the printed name of frame `f` of `location` under `granularity`,
// " (inline)" included unless `inline_rows` merges them (ReportRow::name).
void append_row_name(std::string& out, const ProfileLocation& location, std::size_t f, Granularity granularity,
                     InlineRows inline_rows = InlineRows::kApart);

// Rows interned to dense ids.  Interning happens once per location frame,
// never per sample.
class KeyTable {
 public:
  explicit KeyTable(Granularity granularity, InlineRows inline_rows = InlineRows::kApart)
      : granularity_(granularity), inline_rows_(inline_rows) {}

  // Appends to `ids` the row of each frame of `location`, innermost first.
  void intern(const ProfileLocation& location, std::vector<uint32_t>& ids);
  std::size_t size() const { return names_.size(); }
  const std::string& name(uint32_t id) const { return names_[id]; }
  // The object (LocationOrigin::object) of the first location that made row
  // `id`: where its code lives, for colouring.
  const std::string& object(uint32_t id) const { return object_names_[row_objects_[id]]; }

 private:
  // A frame of code wherever the object was loaded: (object, file offset,
  // frame index in the chain).
  struct Site {
    uint32_t object;
    uint32_t frame;
    uint64_t offset;
    bool operator==(const Site&) const = default;
  };
  struct SiteHash {
    std::size_t operator()(const Site& s) const {
      return std::hash<uint64_t>{}(s.offset ^ (uint64_t{s.object} << 40) ^ (uint64_t{s.frame} << 56));
    }
  };
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  uint32_t intern_name(const ProfileLocation& location, std::size_t f);
  uint32_t intern_object(const std::string& object);
  uint32_t intern_site(const ProfileLocation& location, std::size_t f, uint32_t object);
  uint32_t add_row(const ProfileLocation& location);

  Granularity granularity_;
  InlineRows inline_rows_;
  std::deque<std::string> names_;  // by id
  std::vector<uint32_t> row_objects_;     // by id: an index into object_names_
  std::vector<std::string> object_names_;  // by object index
  std::unordered_map<std::string_view, uint32_t, StringHash, std::equal_to<>> by_name_;
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> objects_;
  std::unordered_map<Site, uint32_t, SiteHash> sites_;
  std::string scratch_;
};

// The rows of every location of one profile, interned in a KeyTable.
class LocationRows {
 public:
  // Interns the frames of every location of `profile` in `keys`.
  void assign(const Profile& profile, KeyTable& keys);
  // The rows of location `l`, innermost frame first; empty for a location
  // whose frames were all pruned.
  std::span<const uint32_t> of(uint32_t l) const {
    return std::span<const uint32_t>(ids_).subspan(begin_[l], begin_[l + 1] - begin_[l]);
  }
  // False for a sample with no frame at all: it counts in Total and makes no row.
  bool has_frame(const ProfileSample& sample) const;

 private:
  std::vector<uint32_t> begin_;  // location l's rows are ids_[begin_[l] .. begin_[l+1])
  std::vector<uint32_t> ids_;
};

}  // namespace hprof
