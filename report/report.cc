#include "report/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <iterator>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/paths.h"

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

// Go's filepath.Clean, which the Go pprof applies to every file name:
// "./libio/genops.c" -> "libio/genops.c", "/a//b/../c" -> "/a/c".
void append_clean_path(std::string& out, std::string_view path) {
  const bool rooted = !path.empty() && path.front() == '/';
  std::vector<std::string_view> elements;
  std::size_t leading_dotdots = 0;  // ".." elements that cannot be cancelled
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    const std::string_view element = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    if (element.empty() || element == ".") continue;
    if (element != "..") {
      elements.push_back(element);
    } else if (elements.size() > leading_dotdots) {
      elements.pop_back();
    } else if (!rooted) {  // "/.." is "/"
      elements.push_back(element);
      ++leading_dotdots;
    }
  }
  if (rooted) out += '/';
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out += '/';
    out += elements[i];
  }
  if (!rooted && elements.empty()) out += '.';
}

// Go's NameComponents after the function name: " file:line" when the line is
// known, " file" when only the file is, nothing otherwise.
void append_source(std::string& out, const Frame& frame) {
  if (frame.file.empty()) return;
  out += ' ';
  append_clean_path(out, frame.file);
  if (frame.line != 0) fmt::format_to(std::back_inserter(out), ":{}", frame.line);
}

// --files: the source file; without one, "[object]" for code of a mapped file
// (as the Go pprof), the pseudo object itself ("[anon:jit]" for JIT code,
// Java frames included; "[vdso]"), else the placeholder the symbolizer gave
// ("<unknown>").
void append_file(std::string& out, const Frame& frame, const LocationOrigin& origin) {
  if (!frame.file.empty()) {
    append_clean_path(out, frame.file);
  } else if (!origin.object.empty() && origin.object.front() != '[') {
    out += '[';
    out += basename_of(origin.object);
    out += ']';
  } else if (!origin.object.empty()) {
    out += origin.object;
  } else {
    out += frame.function.empty() ? std::string_view("<unknown>") : std::string_view(frame.function);
  }
}

// The printed name of frame `f` of `location`, " (inline)" included.
void append_row_name(std::string& out, const ResolvedLocation& location, std::size_t f, Granularity granularity) {
  const Frame& frame = location.frames[f];
  switch (granularity) {
    case Granularity::kFunctions:
      out += frame.function;
      break;
    case Granularity::kAddresses:
      fmt::format_to(std::back_inserter(out), "0x{:016x} ", location.address);
      [[fallthrough]];
    case Granularity::kLines:
      out += frame.function;
      append_source(out, frame);
      break;
    case Granularity::kFiles:
      append_file(out, frame, location.origin);
      break;
  }
  if (frame.inlined) out += " (inline)";
}

// Rows interned to dense ids; flat/cum/seen are indexed by id.  Interning
// happens once per location frame, never per sample.
class KeyTable {
 public:
  explicit KeyTable(Granularity granularity) : granularity_(granularity) {}

  // Appends to `ids` the row of each frame of `location`, innermost first.
  void intern(const ResolvedLocation& location, std::vector<uint32_t>& ids) {
    if (location.frames.empty()) return;
    if (granularity_ == Granularity::kAddresses) {
      const uint32_t object = intern_object(location.origin.object);
      for (std::size_t f = 0; f < location.frames.size(); ++f) ids.push_back(intern_site(location, f, object));
      return;
    }
    for (std::size_t f = 0; f < location.frames.size(); ++f) ids.push_back(intern_name(location, f));
  }
  std::size_t size() const { return names_.size(); }
  const std::string& name(uint32_t id) const { return names_[id]; }

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

  uint32_t intern_name(const ResolvedLocation& location, std::size_t f) {
    scratch_.clear();
    append_row_name(scratch_, location, f, granularity_);
    if (auto it = by_name_.find(std::string_view(scratch_)); it != by_name_.end()) return it->second;
    const auto id = static_cast<uint32_t>(names_.size());
    names_.push_back(scratch_);
    by_name_.emplace(names_.back(), id);  // a deque never moves its elements
    return id;
  }

  uint32_t intern_object(const std::string& object) {
    auto it = objects_.find(std::string_view(object));
    if (it == objects_.end()) it = objects_.emplace(object, static_cast<uint32_t>(objects_.size())).first;
    return it->second;
  }

  uint32_t intern_site(const ResolvedLocation& location, std::size_t f, uint32_t object) {
    const Site site{object, static_cast<uint32_t>(f), location.origin.object_offset};
    auto [it, inserted] = sites_.try_emplace(site, static_cast<uint32_t>(names_.size()));
    if (inserted) {
      names_.emplace_back();
      append_row_name(names_.back(), location, f, granularity_);
    }
    return it->second;
  }

  Granularity granularity_;
  std::deque<std::string> names_;  // by id
  std::unordered_map<std::string_view, uint32_t, StringHash, std::equal_to<>> by_name_;
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> objects_;
  std::unordered_map<Site, uint32_t, SiteHash> sites_;
  std::string scratch_;
};

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

class ReportBuilder::Impl {
 public:
  explicit Impl(const ReportOptions& options) : options_(options), keys_(options.granularity) {}

  void add(const ResolvedProfile& profile) {
    // The key ids of location l are loc_keys_[loc_begin_[l] .. loc_begin_[l+1]),
    // innermost frame first.
    loc_begin_.assign(profile.locations.size() + 1, 0);
    loc_keys_.clear();
    for (std::size_t l = 0; l < profile.locations.size(); ++l) {
      loc_begin_[l] = static_cast<uint32_t>(loc_keys_.size());
      keys_.intern(profile.locations[l], loc_keys_);
    }
    loc_begin_[profile.locations.size()] = static_cast<uint32_t>(loc_keys_.size());
    flat_.resize(keys_.size(), 0);
    cum_.resize(keys_.size(), 0);
    seen_.resize(keys_.size(), 0);

    auto has_frame = [&](const ResolvedSample& sample) {
      return std::any_of(sample.locations.begin(), sample.locations.end(),
                         [&](uint32_t l) { return loc_begin_[l] != loc_begin_[l + 1]; });
    };

    for (const ResolvedSample& sample : profile.samples) {
      const int64_t v = sample_value(sample.values, options_.sample_index);
      report_.total += v;
      // Counted whatever its value and whether it is kept.
      if (!has_frame(sample)) {
        ++report_.empty_stack_samples;
        continue;
      }
      if (v == 0 || !sample.kept) continue;
      bool first = true;
      ++stamp_;
      for (uint32_t l : sample.locations) {
        for (uint32_t k = loc_begin_[l]; k < loc_begin_[l + 1]; ++k) {
          const uint32_t id = loc_keys_[k];
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
  std::vector<uint32_t> loc_begin_;
  std::vector<uint32_t> loc_keys_;
};

ReportBuilder::ReportBuilder(const ReportOptions& options) : impl_(std::make_unique<Impl>(options)) {}
ReportBuilder::~ReportBuilder() = default;
void ReportBuilder::add(const ResolvedProfile& profile) { impl_->add(profile); }
Report ReportBuilder::take() { return impl_->take(); }

Report build_report(const std::vector<const ResolvedProfile*>& profiles, const ReportOptions& options) {
  ReportBuilder builder(options);
  for (const ResolvedProfile* profile : profiles) builder.add(*profile);
  return builder.take();
}

Report build_report(const std::vector<ResolvedProfile>& profiles, const ReportOptions& options) {
  std::vector<const ResolvedProfile*> parts;
  parts.reserve(profiles.size());
  for (const ResolvedProfile& profile : profiles) parts.push_back(&profile);
  return build_report(parts, options);
}

}  // namespace hprof
