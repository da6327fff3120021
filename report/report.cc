#include "report/report.h"

#include <algorithm>
#include <functional>
#include <string_view>
#include <unordered_map>

namespace hprof {

int64_t sample_value(const SampleValues& values, SampleIndex index) {
  switch (index) {
    case SampleIndex::kInuseSpace:
      return values.inuse_bytes;
    case SampleIndex::kInuseObjects:
      return values.inuse_objects;
    case SampleIndex::kAllocSpace:
      return values.alloc_bytes;
    case SampleIndex::kAllocObjects:
      return values.alloc_objects;
  }
  return values.inuse_bytes;
}

bool is_space(SampleIndex index) {
  return index == SampleIndex::kInuseSpace || index == SampleIndex::kAllocSpace;
}

namespace {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Row names interned to dense ids; flat/cum/seen are indexed by id.
class KeyTable {
 public:
  // The key of a frame: its function, plus " (inline)" for an inlined copy.
  uint32_t intern(const Frame& frame) {
    std::string_view key = frame.function;
    if (frame.inlined) {
      scratch_.assign(frame.function);
      scratch_ += " (inline)";
      key = scratch_;
    }
    if (auto it = ids_.find(key); it != ids_.end()) return it->second;
    auto it = ids_.emplace(std::string(key), static_cast<uint32_t>(names_.size())).first;
    names_.push_back(&it->first);  // node-based map: the pointer stays valid
    return it->second;
  }
  std::size_t size() const { return names_.size(); }
  const std::string& name(uint32_t id) const { return *names_[id]; }

 private:
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> ids_;
  std::vector<const std::string*> names_;
  std::string scratch_;
};

}  // namespace

Report build_report(const std::vector<ResolvedProfile>& profiles, const ReportOptions& options) {
  Report report;
  KeyTable keys;
  std::vector<int64_t> flat;
  std::vector<int64_t> cum;
  std::vector<uint64_t> seen;  // seen[id] == stamp: id already got cum for this sample
  uint64_t stamp = 0;

  // Per profile: the key ids of location l are loc_keys[loc_begin[l] .. loc_begin[l+1]),
  // innermost frame first.
  std::vector<uint32_t> loc_begin;
  std::vector<uint32_t> loc_keys;

  for (const ResolvedProfile& profile : profiles) {
    loc_begin.assign(profile.locations.size() + 1, 0);
    loc_keys.clear();
    for (std::size_t l = 0; l < profile.locations.size(); ++l) {
      loc_begin[l] = static_cast<uint32_t>(loc_keys.size());
      for (const Frame& frame : profile.locations[l].frames) loc_keys.push_back(keys.intern(frame));
    }
    loc_begin[profile.locations.size()] = static_cast<uint32_t>(loc_keys.size());
    flat.resize(keys.size(), 0);
    cum.resize(keys.size(), 0);
    seen.resize(keys.size(), 0);

    for (const ResolvedSample& sample : profile.samples) {
      const int64_t v = sample_value(sample.values, options.sample_index);
      report.total += v;
      if (v == 0) {  // contributes to no row; still counted when it has no frame
        bool any_frame = false;
        for (uint32_t l : sample.locations) {
          if (loc_begin[l] != loc_begin[l + 1]) {
            any_frame = true;
            break;
          }
        }
        if (!any_frame) ++report.empty_stack_samples;
        continue;
      }
      bool first = true;
      ++stamp;
      for (uint32_t l : sample.locations) {
        for (uint32_t k = loc_begin[l]; k < loc_begin[l + 1]; ++k) {
          const uint32_t id = loc_keys[k];
          if (first) {
            flat[id] += v;
            first = false;
          }
          if (seen[id] != stamp) {
            seen[id] = stamp;
            cum[id] += v;
          }
        }
      }
      if (first) {  // no frame at all
        ++report.empty_stack_samples;
        report.empty_stack_value += v;
      }
    }
  }

  for (uint32_t id = 0; id < keys.size(); ++id) {
    if (flat[id] != 0 || cum[id] != 0) report.rows.push_back(ReportRow{keys.name(id), flat[id], cum[id]});
  }
  const bool by_cum = options.sort_by_cum;
  std::sort(report.rows.begin(), report.rows.end(), [by_cum](const ReportRow& a, const ReportRow& b) {
    const int64_t va = by_cum ? a.cum : a.flat;
    const int64_t vb = by_cum ? b.cum : b.flat;
    if (va != vb) return va > vb;
    return a.name < b.name;
  });
  return report;
}

}  // namespace hprof
