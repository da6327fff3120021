// Heap dumps into the profile model: read, checked, symbolized.  When a run
// reads several, each is read once, ahead of its report, so that its
// addresses are announced to the object files together with the others'
// (compressed debug info is then inflated once for all of them); what the
// reading says, and its error, still come at the profile's turn.
#pragma once

#include <deque>
#include <exception>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/diagnostics.h"
#include "parse/heap_profile.h"
#include "parse/perf_map.h"
#include "profile/profile.h"
#include "symbolize/object_cache.h"
#include "symbolize/symbolize_options.h"

namespace hprof {

// One dump, read and not yet symbolized.
struct ReadHeap {
  HeapProfile heap;  // its header and memory map; its records are in `profile`
  Profile profile;   // the model, no location symbolized yet
  bool has_alloc_values = false;
};

class HeapLoader {
 public:
  // The kind of what it loads, before anything is read: its sample types
  // and default are those of every heap dump.
  static const ProfileKind& kind() { return gperftools_heap_kind(); }

  // `perf_map`, when given, must outlive this.
  HeapLoader(ObjectCache& objects, Diagnostics& diags, const SymbolizeOptions& options, const PerfMap* perf_map)
      : objects_(&objects), diags_(&diags), options_(&options), perf_map_(perf_map) {}

  // Reads `paths` (two or more) ahead and announces their addresses.  A
  // FIFO, a device or standard input can be read only once: it is read at
  // its turn, and so is a path that is not a regular file.  With `hold`,
  // each dump is kept for its turn (a report that sums them holds them all
  // anyway); without, as for a trend or a batch, which report one dump at a
  // time, it is dropped once announced and read again at its turn, so that
  // memory stays that of one dump however many there are.
  void read_ahead(const std::vector<std::string>& paths, bool hold);

  // `path` at its turn: what reading it said, then the dump, or its InputError.
  ReadHeap read(const std::string& path);

  // jemalloc counts allocations only with prof_accum:true; without it every
  // alloc pair is [0: 0] and an --alloc_* report would be silently empty.
  void warn_if_alloc_values_absent(const ReadHeap& read, const SampleType& reported) const;

  // The profile symbolized, followed by what the lookups found worth saying:
  // the files missing here, the JIT code no perf map names, and --verbose's
  // summary.
  Profile symbolize(ReadHeap read);

 private:
  struct Ahead {
    Diagnostics said;  // kept, replayed at the profile's turn
    std::exception_ptr error;
    ReadHeap read;
  };
  static ReadHeap read_from(const std::string& path, Diagnostics& diags);

  ObjectCache* objects_;
  Diagnostics* diags_;
  const SymbolizeOptions* options_;
  const PerfMap* perf_map_;
  std::unordered_map<std::string, std::deque<Ahead>> ahead_;  // by path; a path given twice is read twice
};

}  // namespace hprof
