// Builds ReportProfiles for the report-side unit tests (report, filter):
// stacks written as frame chains or as full locations, input beside
// expectation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fake_symbolizer.h"
#include "report/report.h"
#include "report/report_profile.h"

namespace hprof::testing {

// A frame with its source position.
inline Frame src(std::string name, std::string file, uint32_t line = 0, bool inlined = false) {
  Frame f = fn(std::move(name), inlined);
  f.file = std::move(file);
  f.line = line;
  return f;
}

// A location written out in full: the looked-up address, where the code lives
// (object and file offset) and its frames, innermost first.
inline ProfileLocation at(uint64_t address, LocationOrigin origin, FrameChain frames) {
  return ProfileLocation{std::move(frames), address, std::move(origin)};
}

inline HeapValues bytes(int64_t inuse_bytes) {
  HeapValues v;
  v.inuse_bytes = inuse_bytes;
  return v;
}

// Each stack is leaf first.  Equal locations are shared, as resolve_profile
// makes them shared.
class ProfileBuilder {
 public:
  // Locations given as frame chains (innermost first): address 0x1000 + n, no object.
  ProfileBuilder& sample(int64_t inuse_bytes, std::vector<FrameChain> stack) {
    return sample(bytes(inuse_bytes), std::move(stack));
  }
  ProfileBuilder& sample(HeapValues values, std::vector<FrameChain> stack) {
    ProfileSample s;
    s.values = heap_values(values);
    for (FrameChain& chain : stack) {
      uint32_t i = 0;
      while (i < p_.locations.size() && p_.locations[i].frames != chain) ++i;
      if (i == p_.locations.size()) {
        const uint64_t address = 0x1000 + i;
        p_.locations.push_back(at(address, LocationOrigin{{}, address}, std::move(chain)));
      }
      s.locations.push_back(i);
    }
    p_.samples.push_back(std::move(s));
    return *this;
  }
  // Locations given in full.
  ProfileBuilder& sample_at(int64_t inuse_bytes, std::vector<ProfileLocation> stack) {
    return sample_at(bytes(inuse_bytes), std::move(stack));
  }
  ProfileBuilder& sample_at(HeapValues values, std::vector<ProfileLocation> stack) {
    ProfileSample s;
    s.values = heap_values(values);
    for (ProfileLocation& location : stack) s.locations.push_back(intern(std::move(location)));
    p_.samples.push_back(std::move(s));
    return *this;
  }
  ReportProfile build() const { return p_; }

 private:
  uint32_t intern(ProfileLocation location) {
    for (uint32_t i = 0; i < p_.locations.size(); ++i) {
      const ProfileLocation& l = p_.locations[i];
      if (l.frames == location.frames && l.address == location.address && l.origin == location.origin) return i;
    }
    p_.locations.push_back(std::move(location));
    return static_cast<uint32_t>(p_.locations.size() - 1);
  }
  ReportProfile p_;
};

inline std::optional<ReportRow> row(const Report& r, const std::string& name) {
  for (const ReportRow& x : r.rows) {
    if (x.name == name) return x;
  }
  return std::nullopt;
}

inline std::vector<std::string> names(const Report& r) {
  std::vector<std::string> out;
  for (const ReportRow& x : r.rows) out.push_back(x.name);
  return out;
}

}  // namespace hprof::testing
