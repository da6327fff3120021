#include "report/pprof_profile.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "report/gzip.h"

namespace hprof {
namespace {

namespace pb = perftools::profiles;

// Keys of the dedup tables: fixed-width integers and strings joined into
// one byte string, hashed as such.
void append_u64(std::string& key, uint64_t v) { key.append(reinterpret_cast<const char*>(&v), sizeof v); }
void append_str(std::string& key, std::string_view s) {
  append_u64(key, s.size());
  key += s;
}

class PprofBuilder {
 public:
  PprofBuilder(const ProfileKind& kind, const SampleType& default_type) : kind_(&kind) {
    intern("");  // string_table[0] must be ""
    for (const SampleType& type : kind.sample_types) {
      pb::ValueType* vt = out_.profile.add_sample_type();
      vt->set_type(intern(type.type));
      vt->set_unit(intern(type.unit));
      if (type.type == default_type.type) out_.profile.set_default_sample_type(vt->type());
    }
    out_.profile.mutable_period_type()->set_type(intern(kind.period_type.type));
    out_.profile.mutable_period_type()->set_unit(intern(kind.period_type.unit));
    if (kind.object_size != nullptr) bytes_key_ = intern("bytes");
  }

  void add(const ReportProfile& profile) {
    out_.profile.set_period(std::max(out_.profile.period(), static_cast<int64_t>(profile.period)));
    add_mappings(profile.mappings);
    std::vector<uint64_t> location_ids(profile.locations.size());
    for (std::size_t l = 0; l < profile.locations.size(); ++l) {
      location_ids[l] = location_id(profile.locations[l], profile.mappings);
    }
    std::vector<uint64_t> stack;
    for (std::size_t s = 0; s < profile.samples.size(); ++s) {
      const ProfileSample& sample = profile.samples[s];
      stack.clear();
      for (uint32_t l : sample.locations) {
        if (location_ids[l] != 0) stack.push_back(location_ids[l]);  // a location pruned to no frame is no frame
      }
      if (stack.empty()) out_.empty_stack_records += static_cast<int64_t>(sample.records);
      if (!profile.is_kept(s)) continue;
      Values values{};
      for (std::size_t i = 0; i < kind_->sample_types.size(); ++i) values[i] = profile.value(sample, i);
      add_sample(stack, values);
    }
  }

  PprofProfile finish() && {
    const std::size_t types = kind_->sample_types.size();
    for (const Accumulated& s : samples_) {
      const Values& v = s.values;
      if (std::all_of(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(types), [](int64_t x) { return x == 0; })) {
        continue;
      }
      pb::Sample* sample = out_.profile.add_sample();
      sample->mutable_location_id()->Assign(s.stack.begin(), s.stack.end());
      for (std::size_t i = 0; i < types; ++i) sample->add_value(v[i]);
      if (kind_->object_size == nullptr) continue;
      pb::Label* label = sample->add_label();
      label->set_key(bytes_key_);
      label->set_num(s.object_size);
      label->set_num_unit(bytes_key_);
    }
    // mapping[0] is the main binary (pprof's "File:" line).
    auto* mappings = out_.profile.mutable_mapping();
    for (int i = main_mapping_; i > 0; --i) mappings->SwapElements(i, i - 1);
    return std::move(out_);
  }

 private:
  struct Accumulated {
    std::vector<uint64_t> stack;
    int64_t object_size = 0;
    Values values{};
  };

  int64_t intern(std::string_view s) {
    auto [it, inserted] = strings_.try_emplace(std::string(s), out_.profile.string_table_size());
    if (inserted) out_.profile.add_string_table(std::string(s));
    return it->second;
  }

  // Gives each executable mapping of one profile its proto mapping.  A file
  // mapped at the same offset and size as in an earlier profile (another
  // run's layout) is the same mapping, its addresses moved by `delta`;
  // anonymous memory (JIT code) is the same only at the same addresses.
  void add_mappings(const std::vector<MappedObject>& mappings) {
    mapping_of_.assign(mappings.size(), {});
    for (std::size_t i = 0; i < mappings.size(); ++i) {
      const MappedObject& m = mappings[i];
      std::string key;
      append_str(key, m.path);
      append_str(key, m.build_id);
      append_u64(key, m.offset);
      append_u64(key, m.limit - m.start);
      if (m.path.empty()) append_u64(key, m.start);
      auto [it, inserted] = mapping_ids_.try_emplace(key, out_.profile.mapping_size());
      if (inserted) {
        pb::Mapping* pm = out_.profile.add_mapping();
        pm->set_id(static_cast<uint64_t>(out_.profile.mapping_size()));
        pm->set_memory_start(m.start);
        pm->set_memory_limit(m.limit);
        pm->set_file_offset(m.offset);
        pm->set_filename(intern(m.path));
        pm->set_build_id(intern(m.build_id));
        pm->set_has_functions(true);  // every address has a name, a placeholder at worst
        if (m.main && main_mapping_ < 0) main_mapping_ = it->second;
      }
      pb::Mapping& pm = *out_.profile.mutable_mapping(it->second);
      // Names, files, lines and inline chains came from the file.
      pm.set_has_filenames(pm.has_filenames() || m.symbolized);
      pm.set_has_line_numbers(pm.has_line_numbers() || m.symbolized);
      pm.set_has_inline_frames(pm.has_inline_frames() || m.symbolized);
      mapping_of_[i] = {pm.id(), pm.memory_start() - m.start};
    }
  }

  uint64_t function_id(const Frame& frame) {
    std::string key;
    append_str(key, frame.function);
    append_str(key, frame.file);
    auto [it, inserted] = function_ids_.try_emplace(std::move(key), out_.profile.function_size() + 1);
    if (inserted) {
      pb::Function* f = out_.profile.add_function();
      f->set_id(it->second);
      f->set_name(intern(frame.function));
      f->set_filename(intern(frame.file));
    }
    return it->second;
  }

  // The proto location of `location`: 0 when it has no frame.
  uint64_t location_id(const ProfileLocation& location, const std::vector<MappedObject>& mappings) {
    if (location.frames.empty()) return 0;
    auto after = std::upper_bound(mappings.begin(), mappings.end(), location.address,
                                  [](uint64_t a, const MappedObject& m) { return a < m.start; });
    uint64_t mapping = 0;  // none: outside every executable mapping
    uint64_t address = location.address;
    if (after != mappings.begin() && location.address < (after - 1)->limit) {
      const MappedPlace& place = mapping_of_[static_cast<std::size_t>(after - 1 - mappings.begin())];
      mapping = place.id;
      address += place.delta;
    }
    std::string key;
    append_u64(key, mapping);
    append_u64(key, address);
    line_scratch_.clear();
    for (const Frame& frame : location.frames) {
      const uint64_t function = function_id(frame);
      append_u64(key, function);
      append_u64(key, frame.line);
      line_scratch_.emplace_back(function, frame.line);
    }
    auto [it, inserted] = location_ids_.try_emplace(std::move(key), out_.profile.location_size() + 1);
    if (inserted) {
      pb::Location* pl = out_.profile.add_location();
      pl->set_id(it->second);
      pl->set_mapping_id(mapping);
      pl->set_address(address);
      for (const auto& [function, line] : line_scratch_) {
        pb::Line* pline = pl->add_line();
        pline->set_function_id(function);
        pline->set_line(line);
      }
    }
    return it->second;
  }

  void add_sample(const std::vector<uint64_t>& stack, const Values& values) {
    const int64_t object_size = kind_->object_size != nullptr ? kind_->object_size(values) : 0;
    std::string key;
    for (uint64_t id : stack) append_u64(key, id);
    append_u64(key, static_cast<uint64_t>(object_size));
    auto [it, inserted] = sample_index_.try_emplace(std::move(key), samples_.size());
    if (inserted) samples_.push_back(Accumulated{stack, object_size, {}});
    Values& sum = samples_[it->second].values;
    for (std::size_t i = 0; i < kMaxSampleTypes; ++i) sum[i] += values[i];
  }

  struct MappedPlace {
    uint64_t id = 0;     // the proto mapping
    uint64_t delta = 0;  // added to an address of the profile's mapping (mod 2^64)
  };

  const ProfileKind* kind_;
  PprofProfile out_;
  int64_t bytes_key_ = 0;
  std::unordered_map<std::string, int64_t> strings_;
  std::unordered_map<std::string, int> mapping_ids_;  // key -> index in out_.profile.mapping
  std::vector<MappedPlace> mapping_of_;              // per mapping of the profile being added
  int main_mapping_ = -1;
  std::unordered_map<std::string, uint64_t> function_ids_;
  std::unordered_map<std::string, uint64_t> location_ids_;
  std::vector<std::pair<uint64_t, uint32_t>> line_scratch_;
  std::unordered_map<std::string, std::size_t> sample_index_;
  std::vector<Accumulated> samples_;
};

}  // namespace

PprofProfile build_pprof_profile(const std::vector<const ReportProfile*>& profiles, const SampleType& default_type) {
  PprofBuilder builder(*profiles.front()->kind, default_type);
  for (const ReportProfile* profile : profiles) builder.add(*profile);
  return std::move(builder).finish();
}

std::string gzipped_pprof(const perftools::profiles::Profile& profile) {
  std::string bytes;
  if (!profile.SerializeToString(&bytes)) throw std::runtime_error("cannot serialize the profile.proto");
  return gzip_compress(bytes);
}

}  // namespace hprof
