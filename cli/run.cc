#include "cli/run.h"

#include <fmt/format.h>

#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/options.h"
#include "common/atomic_file.h"
#include "cli/progress.h"
#include "common/diagnostics.h"
#include "common/error.h"
#include "parse/parse_heap_profile.h"
#include "parse/perf_map.h"
#include "report/filter.h"
#include "report/pprof_profile.h"
#include "report/prune.h"
#include "report/render_text.h"
#include "symbolize/object_cache.h"
#include "symbolize/profile_symbolizer.h"
#include "symbolize/resolve.h"

namespace hprof {
namespace {

// jemalloc counts allocations only with prof_accum:true; without it every
// alloc pair is [0: 0] and an --alloc_* report would be silently empty.
void warn_if_alloc_values_absent(const HeapProfile& profile, SampleIndex index, Diagnostics& diags) {
  if (profile.header.format != ProfileFormat::kJemalloc) return;
  if (index != SampleIndex::kAllocSpace && index != SampleIndex::kAllocObjects) return;
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

  // Reads the --base now; without this call the first report() reads it,
  // after its own profiles.
  void load_base() {
    base_ = load(*options_->base);
    negate_values(*base_);
  }

  // The report of `paths` summed, minus the --base (symbolized with its own
  // memory map, so a base from another run still cancels; added last, so rows
  // show the addresses of the profiles themselves).  `about` prefixes
  // warnings about this one report ("PROFILE: " in a batch).  Nothing is
  // returned unless every path could be read.
  std::string report(const std::vector<std::string>& paths, const std::string& about) {
    std::vector<ResolvedProfile> profiles;
    for (const std::string& path : paths) profiles.push_back(load(path));
    if (options_->base && !base_) load_base();
    std::vector<const ResolvedProfile*> parts;
    for (const ResolvedProfile& profile : profiles) parts.push_back(&profile);
    if (base_) parts.push_back(&*base_);
    // Without --output-suffix this is the run's only report: the patterns'
    // warning comes now, before the report's own (a batch warns at its end).
    if (!options_->output_suffix) warn_unmatched_patterns();
    if (options_->output == OutputMode::kProto) {
      PprofProfile pprof = build_pprof_profile(parts, options_->report.sample_index);
      warn_empty_stacks(about, pprof.empty_stack_samples);
      return gzipped_pprof(pprof.profile);
    }
    Report report = build_report(parts, options_->report);
    warn_empty_stacks(about, report.empty_stack_samples);
    return render_text(report, options_->report);
  }

  // Writes the symbol indexes this session's lookups wanted: after the
  // reports, which never wait for them.
  void write_indexes() { objects_.write_indexes(); }

  // One warning per pattern that matched in no profile so far.
  void warn_unmatched_patterns() {
    for (const std::string& message : filter_.unmatched_patterns()) diags_->warn_once(message);
  }

 private:
  void warn_empty_stacks(const std::string& about, int64_t samples) {
    if (samples == 0) return;
    diags_->warn_once(fmt::format("{}{} record(s) have an empty stack: they count in Total but name no function "
                                  "(the profiler could not unwind them)",
                                  about, samples));
  }

  // Reads and symbolizes one profile; allocator frames pruned, --focus and
  // --ignore applied.
  ResolvedProfile load(const std::string& path) {
    HeapProfile profile = read_heap_profile(path, *diags_);
    warn_if_alloc_values_absent(profile, options_->report.sample_index, *diags_);
    ProfileSymbolizer symbolizer(profile, objects_, *diags_, options_->symbolize,
                                 perf_map_ ? &*perf_map_ : nullptr);
    ResolvedProfile resolved = resolve_profile(profile, symbolizer);
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
  std::optional<ResolvedProfile> base_;
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
  } catch (const InputError& e) {  // a perf map
    print_error(messages, std::string(e.what()) + " (no report written)");
    return 1;
  }
  Session& session = *made;
  if (options.base) {
    try {
      session.load_base();
    } catch (const InputError& e) {
      print_error(messages, std::string(e.what()) + " (the --base: no report written)");
      return 1;
    }
  }
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

}  // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err, bool err_is_terminal,
        bool out_is_terminal) {
  ParsedArgs parsed = parse_args(argc, argv, out, err);
  if (!parsed.options) return parsed.exit_status;
  const Options& options = *parsed.options;
  if (options.output_suffix) return run_batch(options, err, err_is_terminal);
  // As gzip: compressed data would only garble the terminal.
  if (options.output == OutputMode::kProto && out_is_terminal) {
    print_error(err, "--proto writes binary data and stdout is a terminal: redirect it to a file "
                     "(hprof-text --proto ... > rec.pb.gz) or use --output-suffix=.pb.gz");
    return 2;
  }
  // The report is built completely before anything is written, so an error
  // leaves stdout empty.
  Diagnostics diags(err);
  try {
    Session session(options, diags);
    out << session.report(options.profiles, "");
    out.flush();
    session.write_indexes();
    return 0;
  } catch (const InputError& e) {
    print_error(err, e.what());
    return 1;
  }
}

}  // namespace hprof
