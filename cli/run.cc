#include "cli/run.h"

#include <fmt/format.h>

#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/options.h"
#include "common/atomic_file.h"
#include "common/paths.h"
#include "cli/progress.h"
#include "common/diagnostics.h"
#include "common/error.h"
#include "parse/parse_heap_profile.h"
#include "parse/perf_map.h"
#include "report/filter.h"
#include "report/pprof_profile.h"
#include "report/prune.h"
#include "report/render_collapsed.h"
#include "report/render_flamegraph.h"
#include "report/render_text.h"
#include "report/render_trend.h"
#include "report/render_trend_chart.h"
#include "report/stacks.h"
#include "report/trend.h"
#include "symbolize/object_cache.h"
#include "symbolize/profile_symbolizer.h"
#include "profile/from_heap_profile.h"
#include "profile/heap_kind.h"
#include "symbolize/resolve.h"

namespace hprof {
namespace {

// jemalloc counts allocations only with prof_accum:true; without it every
// alloc pair is [0: 0] and an --alloc_* report would be silently empty.
void warn_if_alloc_values_absent(const HeapProfile& profile, const SampleType& type, Diagnostics& diags) {
  if (profile.header.format != ProfileFormat::kJemalloc) return;
  if (type != heap_sample_type(HeapValue::kAllocSpace) && type != heap_sample_type(HeapValue::kAllocObjects)) return;
  for (const Sample& sample : profile.samples) {
    if (sample.values.alloc_objects != 0 || sample.values.alloc_bytes != 0) return;
  }
  diags.warn_once("noalloc:" + profile.source,
                  profile.source + ": this jemalloc dump has no allocation counts, so --alloc_* values are 0 "
                                   "(record with MALLOC_CONF=...,prof_accum:true)");
}

// What the reports of one run share: the object cache (each file and its
// debug info is read once), the perf maps, the compiled --focus/--ignore (a
// pattern that matches in no report is one warning) and the --base, read and
// filtered once.
class Session {
 public:
  // Reads the perf maps: an InputError when one cannot be read.
  Session(const Options& options, Diagnostics& diags)
      : options_(&options), diags_(&diags), objects_(diags, options.symbolize), filter_(options.filter) {
    if (!options.symbolize.perf_maps.empty()) perf_map_.emplace(read_perf_maps(options.symbolize.perf_maps, diags));
  }

  // Reads the --base, when there is one, before any report: when it is bad,
  // its error (ending in `context`) is the one line on `err`, with no warning
  // about the profiles before it.  False then.
  bool load_base(std::ostream& err, const std::string& context) {
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

  // The report of `paths` summed, minus the --base (symbolized with its own
  // memory map, so a base from another run still cancels; added last, so rows
  // show the addresses of the profiles themselves).  `about` prefixes
  // warnings about this one report ("PROFILE: " in a batch).  Nothing is
  // returned unless every path could be read.
  // In the output mode asked for; a trend is made by trend_output().
  std::string report(const std::vector<std::string>& paths, const std::string& about) {
    switch (options_->mode) {
      case OutputMode::kText: {
        ReportBuilder rows(options_->report);
        return render_text(build(paths, about, rows), options_->report);
      }
      case OutputMode::kCollapsed:
        return render_collapsed(stacks_of(paths, about));
      case OutputMode::kFlamegraph:
        return render_flamegraph(stacks_of(paths, about), options_->report, drawn_title(paths));
      case OutputMode::kProto: {
        std::vector<ReportProfile> profiles = load_all(paths);
        PprofProfile pprof = build_pprof_profile(with_base(profiles), options_->report.sample_type);
        warn_empty_stacks(pprof.empty_stack_samples, about, "but name no function");
        return gzipped_pprof(pprof.profile);
      }
      case OutputMode::kTrend:
      case OutputMode::kTrendChart:
        break;
    }
    return {};
  }

  // The text report unrendered, its rows keyed by `rows` (a --trend shares
  // one builder between its dumps, so that their rows join).
  Report build(const std::vector<std::string>& paths, const std::string& about, ReportBuilder& rows) {
    std::vector<ReportProfile> profiles = load_all(paths);
    for (const ReportProfile& profile : profiles) rows.add(profile);
    if (base_) rows.add(*base_);
    Report report = rows.take();
    warn_empty_stacks(report.empty_stack_samples, about, "but name no function");
    return report;
  }

  // With more than one profile to read (several, or a --base): tells the
  // object files every address they will be asked about before the first
  // lookup, so that compressed debug info is inflated once, in the units all
  // the profiles need, rather than again for each profile.  The profiles
  // are read here once more, quietly: a profile that cannot be read, or is
  // not a regular file, is skipped, and reading it for its report says why.
  void announce_addresses() {
    std::vector<std::string> paths = options_->profiles;
    if (options_->base) paths.push_back(*options_->base);
    if (paths.size() < 2) return;  // the one profile announces its own
    std::ostream nowhere(nullptr);
    Diagnostics quiet(nowhere);
    for (const std::string& path : paths) {
      // A FIFO, a device or standard input can be read only once: its report reads it.
      if (path == kStandardInput || !is_regular_file(path)) continue;
      try {
        HeapProfile profile = read_heap_profile(path, quiet);
        ProfileSymbolizer symbolizer(profile, objects_, quiet, options_->symbolize, perf_map_ ? &*perf_map_ : nullptr);
        symbolizer.prepare(lookup_addresses(profile_of(profile)));
      } catch (const InputError&) {
      }
    }
  }

  // Writes the symbol indexes this session's lookups wanted: after the
  // reports, which never wait for them.
  void write_indexes() { objects_.write_indexes(); }

  // One warning per pattern that matched in no profile so far.
  void warn_unmatched_patterns() {
    for (const std::string& message : filter_.unmatched_patterns()) diags_->warn_once(message);
  }

 private:
  // `paths` read and symbolized (the --base was read by load_base()).
  std::vector<ReportProfile> load_all(const std::vector<std::string>& paths) {
    // A trend's dumps are compared with each other: their sum is bounded, not each dump's.
    if (!options_->trend()) magnitude_ = Values{};
    std::vector<ReportProfile> profiles;
    for (const std::string& path : paths) profiles.push_back(load(path, magnitude_));
    if (base_) add_magnitudes_of(*options_->base, base_magnitude_, magnitude_);
    // Without --output-suffix or --trend this is the run's only report: the
    // patterns' warning comes now, before the report's own (a batch or a
    // trend warns at its end).
    if (!options_->output_suffix && !options_->trend()) warn_unmatched_patterns();
    return profiles;
  }

  // `profiles`, then the negated --base when there is one.
  std::vector<const ReportProfile*> with_base(const std::vector<ReportProfile>& profiles) const {
    std::vector<const ReportProfile*> parts;
    for (const ReportProfile& profile : profiles) parts.push_back(&profile);
    if (base_) parts.push_back(&*base_);
    return parts;
  }

  // The stacks of `paths` summed, minus the --base.
  StackProfile stacks_of(const std::vector<std::string>& paths, const std::string& about) {
    std::vector<ReportProfile> profiles = load_all(paths);
    StackProfile stacks = build_stacks(with_base(profiles), options_->report);
    warn_empty_stacks(stacks.empty_stack_samples, about, std::string("as the frame ") + kEmptyStackName);
    return stacks;
  }

  // `how`: how the report shows them.
  void warn_empty_stacks(int64_t count, const std::string& about, const std::string& how) {
    if (count == 0) return;
    diags_->warn_once(fmt::format("{}{} record(s) have an empty stack: they count in Total {} "
                                  "(the profiler could not unwind them)",
                                  about, count, how));
  }

  // What a flame graph shows: "a.heap", "a.heap + b.heap", "... - base.heap".
  std::string drawn_title(const std::vector<std::string>& paths) const {
    std::string title;
    for (const std::string& path : paths) title += (title.empty() ? "" : " + ") + path;
    if (options_->base) title += " - " + *options_->base;
    return title;
  }

  // Adds the magnitudes of the profile `path` to `sum`: an InputError naming
  // it when what one report sums would pass 2^63-1.
  static void add_magnitudes_of(const std::string& path, const Values& magnitude, Values& sum) {
    if (!add_magnitudes(sum, magnitude)) {
      throw InputError(path, 0,
                       "with this profile the values summed in one report pass 2^63-1; "
                       "report the profiles one at a time");
    }
  }

  // Reads and symbolizes one profile, adding its magnitudes to `magnitude`;
  // allocator frames pruned, --focus and --ignore applied.
  ReportProfile load(const std::string& path, Values& magnitude) {
    HeapProfile profile = read_heap_profile(path, *diags_);
    add_magnitudes_of(path, heap_values(profile.magnitude), magnitude);
    warn_if_alloc_values_absent(profile, options_->report.sample_type, *diags_);
    ProfileSymbolizer symbolizer(profile, objects_, *diags_, options_->symbolize,
                                 perf_map_ ? &*perf_map_ : nullptr);
    ReportProfile resolved{resolve_profile(profile, symbolizer), {}, false};
    symbolizer.warn_missing_files(objects_, *diags_);
    symbolizer.warn_unnamed_jit_pcs(*diags_);
    symbolizer.print_verbose_summary(*diags_);
    prune_allocator_frames(resolved);
    filter_.apply(resolved);
    return resolved;
  }

  const Options* options_;
  Diagnostics* diags_;
  ObjectCache objects_;
  std::optional<PerfMap> perf_map_;
  SampleFilter filter_;
  std::optional<ReportProfile> base_;
  // Per value, the sum of |value| over what the report being built adds up
  // (over every dump of a trend): bounded by 2^63-1 so that no sum,
  // difference or negation in the report layer overflows int64_t.
  Values magnitude_{};
  Values base_magnitude_{};
};

// --output-suffix: one report per profile, each what `hprof-text [options]
// PROGRAM PROFILE` prints, written to PROFILE + suffix.  A profile that
// cannot be read is an error naming it, the others are still written, and
// the status is 1.  A pattern that matches nothing is one warning, at the
// end, when it matched in no profile of the batch.
int run_batch(const Options& options, std::ostream& err, bool err_is_terminal) {
  ProgressLine progress(err, err_is_terminal, options.profiles.size());
  std::ostream& messages = progress.stream();  // erases the progress line first
  Diagnostics diags(messages);
  std::optional<Session> made;
  try {
    made.emplace(options, diags);
    made->announce_addresses();
  } catch (const InputError& e) {  // a perf map
    print_error(messages, std::string(e.what()) + " (no report written)");
    return 1;
  }
  Session& session = *made;
  if (!session.load_base(messages, " (the --base: no report written)")) return 1;
  std::size_t failed = 0;
  for (std::size_t i = 0; i < options.profiles.size(); ++i) {
    const std::string& path = options.profiles[i];
    progress.show(i + 1, path);
    try {
      write_file_atomically(path + *options.output_suffix, session.report({path}, path + ": "));
    } catch (const std::runtime_error& e) {  // an InputError, or a std::system_error from the write
      print_error(messages, e.what());
      ++failed;
    }
  }
  session.warn_unmatched_patterns();
  session.write_indexes();
  if (failed == 0) return 0;
  print_error(messages, fmt::format("{} of {} reports not written (see above)", failed, options.profiles.size()));
  return 1;
}

// --trend and --trend-chart: each profile reported on its own (one dump in
// memory at a time), the reports joined into one table or chart.
std::string trend_output(Session& session, const Options& options) {
  ReportOptions each = options.report;
  each.drop_negative = false;  // a trend hides rows by their change, not by one dump's value
  ReportBuilder rows(each);
  std::vector<Report> reports;
  for (const std::string& path : options.profiles) reports.push_back(session.build({path}, path + ": ", rows));
  session.warn_unmatched_patterns();
  const Trend trend = build_trend(options.profiles, reports, options.report);
  if (options.mode == OutputMode::kTrendChart) return render_trend_chart(trend, options.report);
  return render_trend(trend, options.report);
}

// Prints the one text that `make_text(session)` builds.  It is built
// completely before anything is written, so an error leaves stdout empty.
template <typename MakeText>
int print_report(const Options& options, std::ostream& out, std::ostream& err, MakeText make_text) {
  Diagnostics diags(err);
  try {
    Session session(options, diags);
    session.announce_addresses();
    if (!session.load_base(err, " (the --base)")) return 1;
    out << make_text(session);
    out.flush();
    session.write_indexes();
    return 0;
  } catch (const InputError& e) {
    print_error(err, e.what());
    return 1;
  }
}

}  // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err, bool err_is_terminal,
        bool out_is_terminal) {
  ParsedArgs parsed = parse_args(argc, argv, out, err);
  if (!parsed.options) return parsed.exit_status;
  const Options& options = *parsed.options;
  if (options.output_suffix) return run_batch(options, err, err_is_terminal);
  // As gzip: compressed data would only garble the terminal.
  if (options.mode == OutputMode::kProto && out_is_terminal) {
    print_error(err, "--proto writes binary data and stdout is a terminal: redirect it to a file "
                     "(hprof-text --proto ... > rec.pb.gz) or use --output-suffix=.pb.gz");
    return 2;
  }
  if (options.trend()) {
    return print_report(options, out, err, [&](Session& session) { return trend_output(session, options); });
  }
  return print_report(options, out, err, [&](Session& session) { return session.report(options.profiles, ""); });
}

}  // namespace hprof
