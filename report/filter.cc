#include "report/filter.h"

#include <re2/re2.h>

#include <cstdint>

namespace hprof {
namespace {

std::unique_ptr<RE2> compile(const std::string& pattern) {
  if (pattern.empty()) return nullptr;
  RE2::Options options;
  options.set_log_errors(false);
  return std::make_unique<RE2>(pattern, options);
}

bool location_matches(const ProfileLocation& location, const RE2& re) {
  for (const Frame& frame : location.frames) {
    if (RE2::PartialMatch(frame.function, re) || RE2::PartialMatch(frame.file, re)) return true;
  }
  return !location.origin.object.empty() && RE2::PartialMatch(location.origin.object, re);
}

// One bit per location: kFocus / kIgnore when it matches that pattern.
enum : uint8_t { kFocus = 1, kIgnore = 2 };

}  // namespace

std::optional<std::string> regex_error(const std::string& pattern) {
  std::unique_ptr<RE2> re = compile(pattern);
  if (re == nullptr || re->ok()) return std::nullopt;
  return re->error();
}

SampleFilter::SampleFilter(const FilterOptions& options)
    : options_(options), focus_(compile(options.focus)), ignore_(compile(options.ignore)) {}

SampleFilter::~SampleFilter() = default;

void SampleFilter::apply(ReportProfile& profile) {
  if (!active()) return;
  std::vector<uint8_t> match(profile.locations.size(), 0);
  for (std::size_t l = 0; l < profile.locations.size(); ++l) {
    const ProfileLocation& location = profile.locations[l];
    if (focus_ && location_matches(location, *focus_)) match[l] |= kFocus;
    if (ignore_ && location_matches(location, *ignore_)) match[l] |= kIgnore;
  }

  profile.kept.assign(profile.samples.size(), 0);
  for (std::size_t s = 0; s < profile.samples.size(); ++s) {
    uint8_t any = 0;
    for (uint32_t l : profile.samples[s].locations) any |= match[l];
    if (any & kFocus) focus_matched_ = true;
    if (any & kIgnore) ignore_matched_ = true;
    profile.kept[s] = (!focus_ || (any & kFocus)) && !(any & kIgnore);
  }
}

std::vector<std::string> SampleFilter::unmatched_patterns() const {
  std::vector<std::string> out;
  if (focus_ && !focus_matched_) out.push_back("--focus=" + options_.focus + " matched no samples");
  if (ignore_ && !ignore_matched_) out.push_back("--ignore=" + options_.ignore + " matched no samples");
  return out;
}

}  // namespace hprof
