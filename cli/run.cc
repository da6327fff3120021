#include "cli/run.h"

#include <fmt/format.h>

#include <ostream>

#include "cli/options.h"
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

// Reads, symbolizes and sums the profiles, minus the --base (symbolized with
// its own memory map, so a base from another run still cancels); the report
// is built completely before anything is written, so an error leaves stdout
// empty.
std::string report_text(const Options& options, Diagnostics& diags) {
  ObjectCache objects(diags, options.symbolize);
  std::vector<ResolvedProfile> resolved;
  auto add_profile = [&](const std::string& path) {
    HeapProfile profile = read_heap_profile(path, diags);
    warn_if_alloc_values_absent(profile, options.report.sample_index, diags);
    ProfileSymbolizer symbolizer(profile, objects, diags, options.symbolize);
    resolved.push_back(resolve_profile(profile, symbolizer));
    symbolizer.warn_missing_files(objects, diags);
    symbolizer.print_verbose_summary(diags);
    prune_allocator_frames(resolved.back());
  };
  for (const std::string& path : options.profiles) add_profile(path);
  if (options.base) {
    add_profile(*options.base);  // last: rows show the addresses of the profiles themselves
    negate_values(resolved.back());
  }

  // --focus/--ignore choose the samples that make rows; Total counts them all.
  std::vector<SampleMask> kept;
  SampleFilter filter(options.filter);
  if (filter.active()) {
    for (const ResolvedProfile& profile : resolved) kept.push_back(filter.kept_samples(profile));
    for (const std::string& message : filter.unmatched_patterns()) diags.warn_once(message);
  }
  Report report = build_report(resolved, options.report, kept);
  if (report.empty_stack_samples > 0) {
    diags.warn_once(fmt::format("{} record(s) have an empty stack: they count in Total but name no function "
                                "(the profiler could not unwind them)",
                                report.empty_stack_samples));
  }
  return render_text(report, options.report);
}

}  // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  ParsedArgs parsed = parse_args(argc, argv, out, err);
  if (!parsed.options) return parsed.exit_status;
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
