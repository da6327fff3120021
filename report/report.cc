#include "report/report.h"

#include <algorithm>
#include <vector>

#include "report/row_keys.h"

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

// The Go pprof's isNegative (internal/graph): the row --drop_negative hides.
bool is_negative(const ReportRow& row) { return row.flat < 0 || (row.flat == 0 && row.cum < 0); }

}  // namespace

void negate_values(ResolvedProfile& profile) {
  for (ResolvedSample& sample : profile.samples) {
    SampleValues& v = sample.values;
    v.inuse_objects = -v.inuse_objects;
    v.inuse_bytes = -v.inuse_bytes;
    v.alloc_objects = -v.alloc_objects;
    v.alloc_bytes = -v.alloc_bytes;
  }
}

Report build_report(const std::vector<const ResolvedProfile*>& profiles, const ReportOptions& options) {
  Report report;
  KeyTable keys(options.granularity);
  std::vector<int64_t> flat;
  std::vector<int64_t> cum;
  std::vector<uint64_t> seen;  // seen[id] == stamp: id already got cum for this sample
  uint64_t stamp = 0;

  LocationRows location_rows;  // of the current profile

  for (const ResolvedProfile* profile : profiles) {
    location_rows.assign(*profile, keys);
    flat.resize(keys.size(), 0);
    cum.resize(keys.size(), 0);
    seen.resize(keys.size(), 0);

    for (const ResolvedSample& sample : profile->samples) {
      const int64_t v = sample_value(sample.values, options.sample_index);
      report.total += v;
      // Counted whatever its value and whether it is kept.
      if (!location_rows.has_frame(sample)) {
        ++report.empty_stack_samples;
        continue;
      }
      if (v == 0 || !sample.kept) continue;
      bool first = true;
      ++stamp;
      for (uint32_t l : sample.locations) {
        for (const uint32_t id : location_rows.of(l)) {
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
    }
  }

  for (uint32_t id = 0; id < keys.size(); ++id) {
    ReportRow row{keys.name(id), flat[id], cum[id]};
    if (row.flat == 0 && row.cum == 0) continue;
    if (options.drop_negative && is_negative(row)) continue;
    report.rows.push_back(std::move(row));
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

Report build_report(const std::vector<ResolvedProfile>& profiles, const ReportOptions& options) {
  std::vector<const ResolvedProfile*> parts;
  parts.reserve(profiles.size());
  for (const ResolvedProfile& profile : profiles) parts.push_back(&profile);
  return build_report(parts, options);
}

}  // namespace hprof
