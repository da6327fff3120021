#include "report/report.h"

#include <algorithm>
#include <vector>

#include "report/row_keys.h"

namespace hprof {

namespace {

// The Go pprof's isNegative (internal/graph): the row --drop_negative hides.
bool is_negative(const ReportRow& row) { return row.flat < 0 || (row.flat == 0 && row.cum < 0); }

}  // namespace

class ReportBuilder::Impl {
 public:
  explicit Impl(const ReportOptions& options) : options_(options), keys_(options.granularity) {}

  void add(const ReportProfile& profile) {
    location_rows_.assign(profile, keys_);
    const std::size_t index = profile.kind->index_of(options_.sample_type.type);
    flat_.resize(keys_.size(), 0);
    cum_.resize(keys_.size(), 0);
    seen_.resize(keys_.size(), 0);

    for (std::size_t s = 0; s < profile.samples.size(); ++s) {
      const ProfileSample& sample = profile.samples[s];
      const int64_t v = profile.value(sample, index);
      report_.total += v;
      // Counted whatever its value and whether it is kept.
      if (!location_rows_.has_frame(sample)) {
        report_.empty_stack_records += static_cast<int64_t>(sample.records);
        continue;
      }
      if (v == 0 || !profile.is_kept(s)) continue;
      bool first = true;
      ++stamp_;
      for (uint32_t l : sample.locations) {
        for (const uint32_t id : location_rows_.of(l)) {
          if (first) {
            flat_[id] += v;
            first = false;
          }
          if (seen_[id] != stamp_) {
            seen_[id] = stamp_;
            cum_[id] += v;
          }
        }
      }
    }
  }

  Report take() {
    Report report = std::move(report_);
    report_ = Report{};
    for (uint32_t id = 0; id < flat_.size(); ++id) {
      ReportRow row{keys_.name(id), flat_[id], cum_[id]};
      if (row.flat == 0 && row.cum == 0) continue;
      if (options_.drop_negative && is_negative(row)) continue;
      report.rows.push_back(std::move(row));
    }
    std::fill(flat_.begin(), flat_.end(), 0);
    std::fill(cum_.begin(), cum_.end(), 0);
    const bool by_cum = options_.sort_by_cum;
    std::sort(report.rows.begin(), report.rows.end(), [by_cum](const ReportRow& a, const ReportRow& b) {
      const int64_t va = by_cum ? a.cum : a.flat;
      const int64_t vb = by_cum ? b.cum : b.flat;
      if (va != vb) return va > vb;
      return a.name < b.name;
    });
    return report;
  }

 private:
  ReportOptions options_;
  KeyTable keys_;
  Report report_;             // total and empty stacks of the report being built
  std::vector<int64_t> flat_;  // by key id
  std::vector<int64_t> cum_;
  std::vector<uint64_t> seen_;  // seen_[id] == stamp_: id already got cum for this sample
  uint64_t stamp_ = 0;
  LocationRows location_rows_;  // of the profile being added
};

ReportBuilder::ReportBuilder(const ReportOptions& options) : impl_(std::make_unique<Impl>(options)) {}
ReportBuilder::~ReportBuilder() = default;
void ReportBuilder::add(const ReportProfile& profile) { impl_->add(profile); }
Report ReportBuilder::take() { return impl_->take(); }

Report build_report(const std::vector<const ReportProfile*>& profiles, const ReportOptions& options) {
  ReportBuilder builder(options);
  for (const ReportProfile* profile : profiles) builder.add(*profile);
  return builder.take();
}

Report build_report(const std::vector<ReportProfile>& profiles, const ReportOptions& options) {
  std::vector<const ReportProfile*> parts;
  parts.reserve(profiles.size());
  for (const ReportProfile& profile : profiles) parts.push_back(&profile);
  return build_report(parts, options);
}

}  // namespace hprof
