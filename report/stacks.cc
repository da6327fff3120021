#include "report/stacks.h"

#include <algorithm>
#include <unordered_map>

#include "report/row_keys.h"

namespace hprof {
namespace {

struct FramesHash {
  std::size_t operator()(const std::vector<uint32_t>& frames) const {
    uint64_t h = 1469598103934665603ull;  // FNV-1a over the ids
    for (uint32_t id : frames) h = (h ^ id) * 1099511628211ull;
    return static_cast<std::size_t>(h);
  }
};

// Root-first path of `sample` into `frames`: locations are leaf first and
// their chains innermost first, so both are walked backwards.
void root_first(const ProfileSample& sample, const LocationRows& rows, std::vector<uint32_t>& frames) {
  frames.clear();
  for (auto l = sample.locations.rbegin(); l != sample.locations.rend(); ++l) {
    const auto ids = rows.of(*l);
    frames.insert(frames.end(), ids.rbegin(), ids.rend());
  }
}

}  // namespace

StackProfile build_stacks(const std::vector<const ReportProfile*>& profiles, const ReportOptions& options) {
  StackProfile result;
  KeyTable keys(options.granularity);
  LocationRows location_rows;  // of the current profile
  std::unordered_map<std::vector<uint32_t>, int64_t, FramesHash> values;
  std::vector<uint32_t> frames;
  int64_t empty_value = 0;  // of the kept samples without frames

  for (const ReportProfile* profile : profiles) {
    location_rows.assign(*profile, keys);
    const std::size_t index = profile->kind->index_of(options.sample_type.type);
    for (std::size_t s = 0; s < profile->samples.size(); ++s) {
      const ProfileSample& sample = profile->samples[s];
      const int64_t v = profile->value(sample, index);
      const bool kept = profile->is_kept(s);
      result.total += v;
      if (!location_rows.has_frame(sample)) {
        result.empty_stack_records += static_cast<int64_t>(sample.records);
        if (kept) empty_value += v;
        continue;
      }
      if (v == 0 || !kept) continue;
      root_first(sample, location_rows, frames);
      values[frames] += v;
    }
  }

  for (uint32_t id = 0; id < keys.size(); ++id) {
    result.names.push_back(keys.name(id));
    result.objects.push_back(keys.object(id));
  }
  if (empty_value != 0) {
    const auto id = static_cast<uint32_t>(result.names.size());
    result.names.emplace_back(kEmptyStackName);
    result.objects.emplace_back();
    values[{id}] += empty_value;
  }

  for (auto& [stack_frames, value] : values) {
    if (value == 0 || (options.drop_negative && value < 0)) continue;
    result.stacks.push_back(Stack{stack_frames, value});
  }
  const std::vector<std::string>& names = result.names;
  auto by_name = [&names](uint32_t x, uint32_t y) { return names[x] < names[y]; };
  std::sort(result.stacks.begin(), result.stacks.end(), [&](const Stack& a, const Stack& b) {
    if (std::lexicographical_compare(a.frames.begin(), a.frames.end(), b.frames.begin(), b.frames.end(), by_name)) {
      return true;
    }
    if (std::lexicographical_compare(b.frames.begin(), b.frames.end(), a.frames.begin(), a.frames.end(), by_name)) {
      return false;
    }
    return a.frames < b.frames;  // two rows print alike (--addresses across runs): still one order
  });
  return result;
}

}  // namespace hprof
