#include "driver/heap_loader.h"

#include <algorithm>
#include <ostream>

#include "common/activity.h"
#include "common/error.h"
#include "common/paths.h"
#include "parse/parse_heap_profile.h"
#include "profile/from_heap_profile.h"
#include "symbolize/profile_symbolizer.h"
#include "symbolize/resolve.h"

namespace hprof {

ReadHeap HeapLoader::read_from(const std::string& path, Diagnostics& diags) {
  const Activity reading("reading " + basename_of(path));
  ReadHeap out;
  out.heap = read_heap_profile(path, diags);
  out.has_alloc_values = std::any_of(out.heap.samples.begin(), out.heap.samples.end(), [](const Sample& s) {
    return s.values.alloc_objects != 0 || s.values.alloc_bytes != 0;
  });
  out.profile = profile_of(out.heap);
  out.heap.samples = {};  // in `profile` now: a dump read ahead holds one copy
  return out;
}

void HeapLoader::read_ahead(const std::vector<std::string>& paths, bool hold) {
  std::ostream nowhere(nullptr);
  Diagnostics quiet(nowhere);
  for (const std::string& path : paths) {
    if (path == kStandardInput || !is_regular_file(path)) continue;
    Ahead ahead;
    try {
      ahead.read = read_from(path, hold ? ahead.said : quiet);
    } catch (const InputError&) {
      ahead.error = std::current_exception();
    }
    if (!ahead.error) {
      try {
        ProfileSymbolizer symbolizer(ahead.read.heap, *objects_, quiet, *options_, perf_map_);
        symbolizer.prepare(lookup_addresses(ahead.read.profile));
      } catch (const InputError&) {  // said again at the profile's turn
      }
    }
    if (hold) ahead_[path].push_back(std::move(ahead));
  }
}

ReadHeap HeapLoader::read(const std::string& path) {
  auto it = ahead_.find(path);
  if (it == ahead_.end() || it->second.empty()) return read_from(path, *diags_);
  Ahead ahead = std::move(it->second.front());
  it->second.pop_front();
  ahead.said.replay(*diags_);
  if (ahead.error) std::rethrow_exception(ahead.error);
  return std::move(ahead.read);
}

void HeapLoader::warn_if_alloc_values_absent(const ReadHeap& read, const SampleType& reported) const {
  if (read.heap.header.format != ProfileFormat::kJemalloc || read.has_alloc_values) return;
  if (reported.type != "alloc_space" && reported.type != "alloc_objects") return;
  const std::string& source = read.heap.source;
  diags_->warn_once("noalloc:" + source, source + ": this jemalloc dump has no allocation counts, so --alloc_* "
                                                  "values are 0 (record with MALLOC_CONF=...,prof_accum:true)");
}

Profile HeapLoader::symbolize(ReadHeap read) {
  ProfileSymbolizer symbolizer(read.heap, *objects_, *diags_, *options_, perf_map_);
  symbolize_profile(read.profile, symbolizer);
  symbolizer.warn_missing_files(*objects_, *diags_);
  symbolizer.warn_unnamed_jit_pcs(*diags_);
  symbolizer.print_verbose_summary(*diags_);
  return std::move(read.profile);
}

}  // namespace hprof
