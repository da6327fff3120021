#include "driver/driver.h"

#include <fmt/format.h>

#include "common/error.h"
#include "common/paths.h"
#include "report/prune.h"
#include "report/trend.h"

namespace hprof {
namespace {

std::optional<PerfMap> read_perf_maps_of(const Options& options, Diagnostics& diags) {
  if (options.symbolize.perf_maps.empty()) return std::nullopt;
  return read_perf_maps(options.symbolize.perf_maps, diags);
}

// The options with the sample type named (else the kind's default) resolved.
ReportOptions resolved(const Options& options, const ProfileKind& kind) {
  ReportOptions out = options.report;
  const std::size_t index = options.sample_type.empty() ? kind.default_sample_type : kind.index_of(options.sample_type);
  out.sample_type = kind.sample_types.at(index);
  return out;
}

// Adds the magnitudes of the profile `path` to `sum`: an InputError naming
// it when what one report sums would pass 2^63-1.
void add_magnitudes_of(const std::string& path, const Values& magnitude, Values& sum) {
  if (!add_magnitudes(sum, magnitude)) {
    throw InputError(path, 0,
                     "with this profile the values summed in one report pass 2^63-1; "
                     "report the profiles one at a time");
  }
}

// What a graph's legend names the program by, as the Go pprof's "File:": the
// file name of the first profile's main executable.
std::string program_name(const std::vector<ReportProfile>& profiles) {
  for (const ReportProfile& profile : profiles) {
    for (const MappedObject& mapping : profile.mappings) {
      if (mapping.main) return std::string(basename_of(mapping.path));
    }
  }
  return "";
}

}  // namespace

Driver::Driver(const Options& options, Diagnostics& diags)
    : options_(&options),
      report_options_(resolved(options, HeapLoader::kind())),
      diags_(&diags),
      objects_(diags, options.symbolize),
      perf_map_(read_perf_maps_of(options, diags)),
      loader_(objects_, diags, options.symbolize, perf_map_ ? &*perf_map_ : nullptr),
      filter_(options.filter) {
  std::vector<std::string> paths = options.profiles;
  if (options.base) paths.push_back(*options.base);
  // The one profile announces its own.  A trend or a batch reports one dump
  // at a time: their dumps are read again at their turn rather than all held.
  if (paths.size() >= 2) loader_.read_ahead(paths, !options.trend() && !options.output_suffix);
}

bool Driver::load_base(std::ostream& err, const std::string& context) {
  if (!options_->base) return true;
  try {
    base_ = load(*options_->base, base_magnitude_);
  } catch (const InputError& e) {
    print_error(err, e.what() + context);
    return false;
  }
  negate_values(*base_);
  return true;
}

std::string Driver::report(const std::vector<std::string>& paths, const std::string& about) {
  Rendering rendering{report_options_, drawn_title(paths)};
  Report rows;
  StackProfile stacks;
  PprofProfile pprof;
  Trend trend;
  CallGraph graph;
  switch (options_->format->model) {
    case ReportModel::kRows: {
      ReportBuilder builder(report_options_);
      rows = rows_of(paths, about, builder);
      rendering.rows = &rows;
      break;
    }
    case ReportModel::kStacks:
      stacks = stacks_of(paths, about);
      rendering.stacks = &stacks;
      break;
    case ReportModel::kPprof:
      pprof = pprof_of(paths, about);
      rendering.pprof = &pprof;
      break;
    case ReportModel::kTrend:
      trend = trend_of(paths);
      rendering.trend = &trend;
      break;
    case ReportModel::kGraph:
      graph = graph_of(paths, about);
      rendering.graph = &graph;
      break;
  }
  return options_->format->render(rendering);
}

void Driver::warn_unmatched_patterns() {
  for (const std::string& message : filter_.unmatched_patterns()) diags_->warn_once(message);
}

// The text report unrendered, its rows keyed by `rows` (a trend shares one
// builder between its dumps, so that their rows join).
Report Driver::rows_of(const std::vector<std::string>& paths, const std::string& about, ReportBuilder& rows) {
  std::vector<ReportProfile> profiles = load_all(paths);
  for (const ReportProfile& profile : profiles) rows.add(profile);
  if (base_) rows.add(*base_);
  Report report = rows.take();
  warn_empty_stacks(report.empty_stack_records, about, "but name no function");
  return report;
}

StackProfile Driver::stacks_of(const std::vector<std::string>& paths, const std::string& about) {
  std::vector<ReportProfile> profiles = load_all(paths);
  StackProfile stacks = build_stacks(with_base(profiles), report_options_);
  warn_empty_stacks(stacks.empty_stack_records, about, std::string("as the frame ") + kEmptyStackName);
  return stacks;
}

PprofProfile Driver::pprof_of(const std::vector<std::string>& paths, const std::string& about) {
  std::vector<ReportProfile> profiles = load_all(paths);
  PprofProfile pprof = build_pprof_profile(with_base(profiles), report_options_.sample_type);
  warn_empty_stacks(pprof.empty_stack_records, about, "but name no function");
  return pprof;
}

CallGraph Driver::graph_of(const std::vector<std::string>& paths, const std::string& about) {
  std::vector<ReportProfile> profiles = load_all(paths);
  CallGraph graph = build_call_graph(with_base(profiles), report_options_, options_->graph);
  graph.program = program_name(profiles);
  warn_empty_stacks(graph.empty_stack_records, about, "but name no function");
  return graph;
}

// Each profile reported on its own (one dump in memory at a time), the
// reports joined.
Trend Driver::trend_of(const std::vector<std::string>& paths) {
  ReportOptions each = report_options_;
  each.drop_negative = false;  // a trend hides rows by their change, not by one dump's value
  ReportBuilder rows(each);
  std::vector<Report> reports;
  for (const std::string& path : paths) reports.push_back(rows_of({path}, path + ": ", rows));
  warn_unmatched_patterns();
  return build_trend(paths, reports, report_options_);
}

// `paths` loaded (the --base was loaded by load_base()).
std::vector<ReportProfile> Driver::load_all(const std::vector<std::string>& paths) {
  // A trend's dumps are compared with each other: their sum is bounded, not each dump's.
  if (!options_->trend()) magnitude_ = Values{};
  std::vector<ReportProfile> profiles;
  for (const std::string& path : paths) profiles.push_back(load(path, magnitude_));
  if (base_) add_magnitudes_of(*options_->base, base_magnitude_, magnitude_);
  // Without --output-suffix or a trend this is the run's only report: the
  // patterns' warning comes now, before the report's own (a batch or a
  // trend warns at its end).
  if (!options_->output_suffix && !options_->trend()) warn_unmatched_patterns();
  return profiles;
}

// `profiles`, then the negated --base when there is one.
std::vector<const ReportProfile*> Driver::with_base(const std::vector<ReportProfile>& profiles) const {
  std::vector<const ReportProfile*> parts;
  for (const ReportProfile& profile : profiles) parts.push_back(&profile);
  if (base_) parts.push_back(&*base_);
  return parts;
}

// One profile through the stages, its magnitudes added to `magnitude`:
// read, symbolized, allocator frames pruned, --focus and --ignore applied.
ReportProfile Driver::load(const std::string& path, Values& magnitude) {
  ReadHeap read = loader_.read(path);
  add_magnitudes_of(path, read.profile.magnitude, magnitude);
  loader_.warn_if_alloc_values_absent(read, report_options_.sample_type);
  ReportProfile profile{loader_.symbolize(std::move(read)), {}, false};
  prune_allocator_frames(profile);
  filter_.apply(profile);
  return profile;
}

// `how`: how the report shows them.
void Driver::warn_empty_stacks(int64_t count, const std::string& about, const std::string& how) {
  if (count == 0) return;
  diags_->warn_once(fmt::format("{}{} record(s) have an empty stack: they count in Total {} "
                                "(the profiler could not unwind them)",
                                about, count, how));
}

// What a flame graph shows: "a.heap", "a.heap + b.heap", "... - base.heap".
std::string Driver::drawn_title(const std::vector<std::string>& paths) const {
  std::string title;
  for (const std::string& path : paths) title += (title.empty() ? "" : " + ") + path;
  if (options_->base) title += " - " + *options_->base;
  return title;
}

}  // namespace hprof
