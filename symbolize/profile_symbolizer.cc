#include "common/paths.h"
#include "symbolize/profile_symbolizer.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>

namespace hprof {
namespace {

bool is_shared_object(const std::string& path) {
  static const std::regex so(R"(\.so$|\.so[._][0-9]+)");
  return std::regex_search(basename_of(path), so);
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

bool is_pseudo_path(const std::string& path) {
  return path.empty() || path[0] != '/' || starts_with(path, "/dev/") || starts_with(path, "/memfd:") ||
         starts_with(path, "/SYSV") || starts_with(path, "//anon") || starts_with(path, "/proc/") ||
         starts_with(path, "/sys/");
}

std::string main_executable_path(const HeapProfile& profile) {
  for (const Mapping& m : profile.mappings) {
    if (!m.executable() || m.path.empty() || m.path[0] == '[') continue;
    if (is_shared_object(m.path)) continue;
    return m.path;
  }
  return {};
}

ProfileSymbolizer::ProfileSymbolizer(const HeapProfile& profile, ObjectCache& objects, Diagnostics& diags,
                                     const SymbolizeOptions& options) {
  const std::optional<std::string>& program = options.program;
  if (!profile.has_maps_section) {
    diags.warn_once("nomaps:" + profile.source,
                    profile.source + ": no memory map (MAPPED_LIBRARIES:) in the profile; addresses cannot be "
                                     "named (was the dump cut short?)");
  }
  std::string main_path = main_executable_path(profile);
  for (const Mapping& m : profile.mappings) {
    if (!m.executable()) continue;
    std::string path = m.path;
    if (program && !main_path.empty() && path == main_path) path = *program;
    regions_.push_back(make_region(m, path, objects, diags));
  }
  std::stable_sort(regions_.begin(), regions_.end(),
                   [](const Region& a, const Region& b) { return a.start < b.start; });
}

ProfileSymbolizer::Region ProfileSymbolizer::make_region(const Mapping& mapping, const std::string& path,
                                                         ObjectCache& objects, Diagnostics& diags) {
  Region region;
  region.start = mapping.start;
  region.limit = mapping.limit;
  region.mapped_path = mapping.path;
  region.offset = mapping.offset;
  if (path.empty()) {
    region.label = "[anon:jit]";  // anonymous executable memory: JIT code, stubs
    return region;
  }
  if (path[0] == '[') {
    region.label = path;  // [vdso], [vsyscall], [anon:...]
    return region;
  }
  region.label = "[" + basename_of(path) + "]";
  if (is_pseudo_path(path)) return region;
  region.object = objects.get(path);
  if (region.object == nullptr) return region;
  auto bias = region.object->bias_for_mapping(mapping.start, mapping.offset);
  if (!bias) {
    diags.warn_once("nosegment:" + path,
                    fmt::format("{}: no loadable segment of the file holds offset 0x{:x} of the mapping at "
                                "0x{:x}; the file on disk does not match the profile, its frames are shown as {}",
                                path, mapping.offset, mapping.start, region.label));
    region.object = nullptr;
    return region;
  }
  region.bias = *bias;
  return region;
}

const ProfileSymbolizer::Region* ProfileSymbolizer::region_of(uint64_t lookup_pc) const {
  auto it = std::upper_bound(regions_.begin(), regions_.end(), lookup_pc,
                             [](uint64_t pc, const Region& r) { return pc < r.start; });
  if (it == regions_.begin()) return nullptr;
  const Region& region = *(it - 1);
  return lookup_pc < region.limit ? &region : nullptr;
}

FrameChain ProfileSymbolizer::lookup(uint64_t lookup_pc) {
  const Region* region = region_of(lookup_pc);
  if (region == nullptr) return {placeholder_frame("<unknown>")};
  if (region->object == nullptr) return {placeholder_frame(region->label)};
  return region->object->lookup(lookup_pc - region->bias);
}

LocationOrigin ProfileSymbolizer::origin(uint64_t lookup_pc) {
  const Region* region = region_of(lookup_pc);
  if (region == nullptr || region->mapped_path.empty()) return LocationOrigin{{}, lookup_pc};
  return LocationOrigin{region->mapped_path, lookup_pc - region->start + region->offset};
}

}  // namespace hprof
