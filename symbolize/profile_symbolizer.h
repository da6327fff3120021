// The Symbolizer for one profile's address space: finds the executable
// mapping of each address, the ELF file behind it and the file's load bias,
// and asks the file.  Pseudo and device files named by the maps are never
// opened.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/diagnostics.h"
#include "parse/heap_profile.h"
#include "symbolize/object_cache.h"
#include "symbolize/symbolize_options.h"
#include "symbolize/symbolizer.h"

namespace hprof {

class ProfileSymbolizer : public Symbolizer {
 public:
  // `options.program`, when given, replaces the path of the profile's main executable.
  ProfileSymbolizer(const HeapProfile& profile, ObjectCache& objects, Diagnostics& diags,
                    const SymbolizeOptions& options);

  FrameChain lookup(uint64_t lookup_pc) override;
  LocationOrigin origin(uint64_t lookup_pc) override;

 private:
  struct Region {
    uint64_t start = 0, limit = 0;
    ObjectFile* object = nullptr;  // null: not symbolizable, use `label`
    uint64_t bias = 0;
    std::string label;
    std::string mapped_path;  // the path the profile names (before PROGRAM replaces it); empty if anonymous
    uint64_t offset = 0;      // the mapping's file offset
  };
  const Region* region_of(uint64_t lookup_pc) const;
  Region make_region(const Mapping& mapping, const std::string& path, ObjectCache& objects, Diagnostics& diags);

  std::vector<Region> regions_;  // executable mappings, sorted by start
};

// The main executable by the Go pprof's rule: the first executable mapping
// with a path that is not a shared object and not a pseudo file ("[...]").
// Empty when there is none.
std::string main_executable_path(const HeapProfile& profile);

// True for paths that must never be opened: devices, memfd, SysV shm, [pseudo].
bool is_pseudo_path(const std::string& path);

}  // namespace hprof
