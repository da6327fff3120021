#include "cli/run.h"

#include <fmt/format.h>

#include <ostream>
#include <system_error>

#include "cli/options.h"
#include "cli/output_file.h"
#include "cli/progress.h"
#include "common/diagnostics.h"
#include "common/error.h"
#include "parse/parse_heap_profile.h"
#include "report/filter.h"
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

// Reads and symbolizes one profile (files and debug info come from the
// shared `objects`); allocator frames pruned.
ResolvedProfile load_profile(const std::string& path, const Options& options, ObjectCache& objects,
                             Diagnostics& diags) {
  HeapProfile profile = read_heap_profile(path, diags);
  warn_if_alloc_values_absent(profile, options.report.sample_index, diags);
  ProfileSymbolizer symbolizer(profile, objects, diags, options.symbolize);
  ResolvedProfile resolved = resolve_profile(profile, symbolizer);
  symbolizer.warn_missing_files(objects, diags);
  symbolizer.print_verbose_summary(diags);
  prune_allocator_frames(resolved);
  return resolved;
}

// The --base, values negated: added last, so rows show the addresses of the
// profiles themselves.
ResolvedProfile load_base(const Options& options, ObjectCache& objects, Diagnostics& diags) {
  ResolvedProfile base = load_profile(*options.base, options, objects, diags);
  negate_values(base);
  return base;
}

// --focus/--ignore choose the samples that make rows; Total counts them all.
std::vector<SampleMask> kept_samples(const std::vector<ResolvedProfile>& resolved, SampleFilter& filter) {
  std::vector<SampleMask> kept;
  if (filter.active()) {
    for (const ResolvedProfile& profile : resolved) kept.push_back(filter.kept_samples(profile));
  }
  return kept;
}

void warn_unmatched_patterns(const SampleFilter& filter, Diagnostics& diags) {
  for (const std::string& message : filter.unmatched_patterns()) diags.warn_once(message);
}

// `about` prefixes warnings about this one report ("PROFILE: " in a batch).
std::string render(const std::vector<ResolvedProfile>& resolved, const std::vector<SampleMask>& kept,
                   const Options& options, Diagnostics& diags, const std::string& about) {
  Report report = build_report(resolved, options.report, kept);
  if (report.empty_stack_samples > 0) {
    diags.warn_once(fmt::format("{}{} record(s) have an empty stack: they count in Total but name no function "
                                "(the profiler could not unwind them)",
                                about, report.empty_stack_samples));
  }
  return render_text(report, options.report);
}

// Reads, symbolizes and sums the profiles, minus the --base (symbolized with
// its own memory map, so a base from another run still cancels); the report
// is built completely before anything is written, so an error leaves stdout
// empty.
std::string report_text(const Options& options, Diagnostics& diags) {
  ObjectCache objects(diags, options.symbolize);
  std::vector<ResolvedProfile> resolved;
  for (const std::string& path : options.profiles) resolved.push_back(load_profile(path, options, objects, diags));
  if (options.base) resolved.push_back(load_base(options, objects, diags));
  SampleFilter filter(options.filter);
  std::vector<SampleMask> kept = kept_samples(resolved, filter);
  warn_unmatched_patterns(filter, diags);
  return render(resolved, kept, options, diags, "");
}

// --output-suffix: one report per profile, each what `hprof-text [options]
// PROGRAM PROFILE` prints, written to PROFILE + suffix.  One ObjectCache for
// the batch, so each file and its debug info is read once; the base is read
// once.  A profile that cannot be read is an error naming it, the others are
// still written, and the status is 1.  A pattern that matches nothing is
// one warning, at the end, when it matched in no profile of the batch.
int run_batch(const Options& options, std::ostream& err, bool err_is_terminal) {
  ProgressLine progress(err, err_is_terminal, options.profiles.size());
  std::ostream& messages = progress.stream();
  Diagnostics diags(messages);
  ObjectCache objects(diags, options.symbolize);
  std::vector<ResolvedProfile> resolved(1);  // [0]: the profile; [1]: the base, read once
  try {
    if (options.base) resolved.push_back(load_base(options, objects, diags));
  } catch (const InputError& e) {
    messages << "hprof-text: error: " << e.what() << " (the --base: no report written)\n";
    return 1;
  }
  SampleFilter filter(options.filter);
  std::size_t failed = 0;
  for (std::size_t i = 0; i < options.profiles.size(); ++i) {
    const std::string& path = options.profiles[i];
    progress.show(i + 1, path);
    try {
      resolved[0] = load_profile(path, options, objects, diags);
      std::vector<SampleMask> kept = kept_samples(resolved, filter);
      write_file_atomically(path + *options.output_suffix, render(resolved, kept, options, diags, path + ": "));
    } catch (const InputError& e) {
      messages << "hprof-text: error: " << e.what() << '\n';
      ++failed;
    } catch (const std::system_error& e) {
      messages << "hprof-text: error: " << e.what() << '\n';
      ++failed;
    }
  }
  progress.clear();
  warn_unmatched_patterns(filter, diags);
  if (failed == 0) return 0;
  messages << fmt::format("hprof-text: error: {} of {} reports not written (see above)\n", failed,
                          options.profiles.size());
  return 1;
}

}  // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err, bool err_is_terminal) {
  ParsedArgs parsed = parse_args(argc, argv, out, err);
  if (!parsed.options) return parsed.exit_status;
  if (parsed.options->output_suffix) return run_batch(*parsed.options, err, err_is_terminal);
  Diagnostics diags(err);
  try {
    std::string text = report_text(*parsed.options, diags);
    out << text;
    out.flush();
    return 0;
  } catch (const InputError& e) {
    err << "hprof-text: error: " << e.what() << '\n';
    return 1;
  }
}

}  // namespace hprof
