// The Symbolizer for one profile's address space: finds the executable
// mapping of each address, the ELF file behind it and the file's load bias,
// and asks the file.  Pseudo and device files named by the maps are never
// opened.  Addresses in anonymous executable memory (JIT code) are
// "[anon:jit]", or named from the perf maps (--perf-map) when given.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/diagnostics.h"
#include "parse/heap_profile.h"
#include "parse/perf_map.h"
#include "symbolize/names/perf_map_names.h"
#include "symbolize/object_cache.h"
#include "symbolize/symbolize_options.h"
#include "symbolize/symbolizer.h"

namespace hprof {

class ProfileSymbolizer : public Symbolizer {
 public:
  // `options.program`, when given, replaces the path of the profile's main
  // executable.  `perf_map`, when given, names JIT code; it must outlive this.
  ProfileSymbolizer(const HeapProfile& profile, ObjectCache& objects, Diagnostics& diags,
                    const SymbolizeOptions& options, const PerfMap* perf_map = nullptr);

  // Counts each call for --verbose: call it once per distinct pc, as
  // resolve_profile does.
  FrameChain lookup(uint64_t lookup_pc) override;
  // Tells each object which of its addresses will be looked up.
  void prepare(std::span<const uint64_t> lookup_pcs) override;
  LocationOrigin origin(uint64_t lookup_pc) override;
  // Each executable mapping: the file read for it (else the profile's path),
  // its build-id, whether names came from it.
  std::vector<MappedObject> mapped_objects() const override;

  // With --verbose: for each executable mapping, on stderr, the file used,
  // its build-id, where names and DWARF came from (for a mapping with PCs
  // only: nothing is opened to describe the others), and how many of the
  // distinct PCs looked up in it got a function name or a placeholder.
  // Nothing without --verbose.
  void print_verbose_summary(Diagnostics& diags) const;

  // One warning for the files that do not exist here although PCs of the
  // profile fall in them (a dump from another machine: one cause, one line).
  // Call after the lookups.
  void warn_missing_files(const ObjectCache& objects, Diagnostics& diags) const;

  // With a perf map: one warning for the distinct JIT PCs that no entry
  // covers, one for those that entries with different names cover (both
  // stay "[anon:jit]"), or one when the profile has no JIT PC at all.  Call
  // after the lookups.
  void warn_unnamed_jit_pcs(Diagnostics& diags) const;

 private:
  // How a mapping lies in the PT_LOAD segments of the file read for it.
  enum class Fit {
    kSegment,        // a segment as the loader maps it (or remapped beside anonymous code, e.g. to huge pages)
    kPartOfSegment,  // inside one segment: of the file only if another mapping of it is a kSegment
    kNone,           // the file is not the one the process mapped
  };
  struct Region {
    uint64_t start = 0, limit = 0;
    ObjectFile* object = nullptr;  // null: not symbolizable, use `label`
    uint64_t bias = 0;
    std::string label;
    std::string mapped_path;  // the path the profile names (before PROGRAM replaces it); empty if anonymous
    uint64_t offset = 0;      // the mapping's file offset
    std::string used_path;    // the file read (after PROGRAM / --lib_prefix)
    std::string unused_why;   // why no file is read for it (--verbose); empty when one is
    bool deleted = false;     // the maps wrote the path with " (deleted)"
    Fit fit = Fit::kNone;     // with an object
    uint64_t named = 0, placeholders = 0;  // distinct PCs looked up
    bool anonymous() const { return mapped_path.empty(); }  // JIT code, stubs
  };
  // A run of executable mappings of one file that continue each other.
  struct Extent {
    uint64_t offset = 0, size = 0;
    bool beside_anonymous_code = false;  // remapped (e.g. to huge pages): only containment is checked
  };
  Region* region_of(uint64_t lookup_pc);
  const Region* region_of(uint64_t lookup_pc) const;
  FrameChain lookup_jit(Region& region, uint64_t lookup_pc);
  Region make_region(const Mapping& mapping, const std::string& path, const Extent& extent, ObjectCache& objects);
  // Drops the object of a region whose file is not the one mapped there,
  // with one warning: names read from another build would be wrong.
  void refuse_if_another_file(Region& region, const Mapping& mapping, const Extent& extent, Diagnostics& diags);

  std::vector<Region> regions_;  // executable mappings, sorted by start
  std::string source_;           // the profile's path
  std::string main_path_;        // the main executable as the profile names it; empty when none
  bool verbose_ = false;
  uint64_t outside_ = 0;  // distinct PCs outside every executable mapping
  // JIT code's names, when perf maps are given.
  std::optional<PerfMapNames> jit_names_;
};

}  // namespace hprof
