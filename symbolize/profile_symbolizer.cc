#include "symbolize/profile_symbolizer.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_set>

#include "common/activity.h"
#include "common/paths.h"
#include "symbolize/program_match.h"
#include "symbolize/pseudo_path.h"

namespace hprof {
namespace {

// Said of a file that the maps wrote with " (deleted)" and that is not here
// or not the one mapped: the reason, which the user cannot see otherwise.
constexpr const char* kDeletedNote =
    " (the profile's maps mark it deleted: it was removed or replaced after the process mapped it)";

// The main executable by the Go pprof's rule: the first executable mapping
// with a path that is not a shared object and not a pseudo file ("[...]").
// Empty when there is none.
std::string main_executable_path(const HeapProfile& profile) {
  for (const Mapping& m : profile.mappings) {
    if (!m.executable() || m.path.empty() || m.path[0] == '[') continue;
    if (is_shared_object(m.path)) continue;
    return m.path;
  }
  return {};
}

}  // namespace

ProfileSymbolizer::ProfileSymbolizer(const HeapProfile& profile, ObjectCache& objects, Diagnostics& diags,
                                     const SymbolizeOptions& options, const PerfMap* perf_map)
    : source_(profile.source), verbose_(options.verbose) {
  if (perf_map != nullptr) jit_names_.emplace(*perf_map);
  const std::optional<std::string>& program = options.program;
  if (!profile.has_maps_section) {
    diags.warn_once("nomaps:" + profile.source,
                    profile.source + ": no memory map (MAPPED_LIBRARIES:) in the profile; addresses cannot be "
                                     "named (was the dump cut short?)");
  }
  std::vector<const Mapping*> code;
  for (const Mapping& m : profile.mappings) {
    if (m.executable()) code.push_back(&m);
  }
  std::stable_sort(code.begin(), code.end(), [](const Mapping* a, const Mapping* b) { return a->start < b->start; });

  // Runs of mappings of one file that continue each other (a segment the
  // process split, e.g. by mprotect) are compared with the file as one.
  std::vector<Extent> extents(code.size());
  auto continues = [](const Mapping& a, const Mapping& b) {
    return !a.path.empty() && a.path == b.path && a.limit == b.start && a.offset + (a.limit - a.start) == b.offset;
  };
  std::unordered_set<uint64_t> anonymous_code_ends;  // a set: a JIT process can have thousands of mappings
  for (const Mapping* m : code) {
    if (m->path.empty()) anonymous_code_ends.insert({m->start, m->limit});
  }
  auto anonymous_code_at = [&](uint64_t address) { return anonymous_code_ends.count(address) > 0; };
  for (size_t first = 0, last = 0; first < code.size(); first = last) {
    for (last = first + 1; last < code.size() && continues(*code[last - 1], *code[last]);) ++last;
    Extent run{code[first]->offset, code[last - 1]->limit - code[first]->start,
               anonymous_code_at(code[first]->start) || anonymous_code_at(code[last - 1]->limit)};
    std::fill(extents.begin() + static_cast<std::ptrdiff_t>(first), extents.begin() + static_cast<std::ptrdiff_t>(last),
              run);
  }

  main_path_ = main_executable_path(profile);
  for (size_t i = 0; i < code.size(); ++i) {
    const Mapping& m = *code[i];
    std::string path = m.path;
    if (program && !main_path_.empty() && path == main_path_) {
      path = *program;
    } else if (!is_pseudo_path(path)) {
      path = objects.locate(path);
    }
    regions_.push_back(make_region(m, path, extents[i], objects));
  }
  for (size_t i = 0; i < code.size(); ++i) refuse_if_another_file(regions_[i], *code[i], extents[i], diags);
  if (program && !main_path_.empty() && !is_pseudo_path(main_path_)) {
    auto main = std::find_if(regions_.begin(), regions_.end(),
                             [&](const Region& region) { return region.mapped_path == main_path_; });
    if (main != regions_.end() && main->object != nullptr) {
      warn_if_program_is_another_build(*program, *main->object, main_path_, objects.locate(main_path_), diags);
    }
  }
}

ProfileSymbolizer::Region ProfileSymbolizer::make_region(const Mapping& mapping, const std::string& path,
                                                         const Extent& extent, ObjectCache& objects) {
  Region region;
  region.start = mapping.start;
  region.limit = mapping.limit;
  region.mapped_path = mapping.path;
  region.offset = mapping.offset;
  region.used_path = path;
  region.deleted = mapping.deleted;
  if (path.empty()) {
    region.label = "[anon:jit]";  // anonymous executable memory: JIT code, stubs
    region.unused_why = "anonymous executable memory";
    return region;
  }
  if (path[0] == '[') {
    region.label = path;  // [vdso], [vsyscall], [anon:...]
    region.unused_why = "pseudo mapping, not opened";
    return region;
  }
  region.label = "[" + basename_of(path) + "]";
  if (is_pseudo_path(path)) {
    region.unused_why = "device or pseudo file, not opened";
    return region;
  }
  region.object = objects.get(path);
  if (region.object == nullptr) {
    region.unused_why = objects.missing(path) ? "no such file" : "unreadable";
    return region;
  }
  // The bias from the segment that holds the mapping's file offset: right
  // for a part of that segment mapped again as for the loader's mapping.
  auto bias = region.object->bias_for_mapping(mapping.start, mapping.offset);
  if (!bias) {
    region.fit = Fit::kNone;
  } else if (extent.beside_anonymous_code || region.object->matches_mapping(extent.offset, extent.size)) {
    region.fit = Fit::kSegment;
  } else {
    region.fit = region.object->holds_mapping(extent.offset, extent.size) ? Fit::kPartOfSegment : Fit::kNone;
  }
  region.bias = bias.value_or(0);
  return region;
}

void ProfileSymbolizer::refuse_if_another_file(Region& region, const Mapping& mapping, const Extent& extent,
                                               Diagnostics& diags) {
  if (region.object == nullptr || region.fit == Fit::kSegment) return;
  // A part of a segment mapped again is of the file when a mapping of a
  // whole segment shows that the file is the one the process mapped.
  const bool vouched_for = std::any_of(regions_.begin(), regions_.end(), [&](const Region& other) {
    return other.object == region.object && other.fit == Fit::kSegment;
  });
  if (region.fit == Fit::kPartOfSegment && vouched_for) return;
  // Names read from another build would be wrong: show the object only.
  const std::string& path = region.used_path;
  std::string what = path == mapping.path
                         ? fmt::format("{}: the file on disk does not match the profile's mapping of it", path)
                         : fmt::format("{} does not match the profile's mapping of {}", path, mapping.path);
  if (mapping.deleted) what += kDeletedNote;
  auto expected = region.object->segment_mapping_size(extent.offset);
  std::string detail;
  if (region.fit == Fit::kPartOfSegment) {
    detail = fmt::format("the profile maps 0x{:x} bytes of code at file offset 0x{:x}, inside a segment of the "
                         "file, but none of its segments whole to show that the process mapped this file",
                         extent.size, extent.offset);
  } else if (expected) {
    detail = fmt::format("the profile maps 0x{:x} bytes of code at file offset 0x{:x}, the file's segment there maps "
                         "0x{:x}",
                         extent.size, extent.offset, *expected);
  } else {
    detail = fmt::format("no loadable segment of the file holds the mapping's file offset 0x{:x}", extent.offset);
  }
  diags.warn_once("mismatch:" + path + ":" + mapping.path,
                  fmt::format("{} ({}): it is not the binary the profile was recorded with; its frames are shown "
                              "as {} (give the exact binaries: PROGRAM, --lib_prefix)",
                              what, detail, region.label));
  region.object = nullptr;
  region.unused_why = "does not match the mapping";
}

ProfileSymbolizer::Region* ProfileSymbolizer::region_of(uint64_t lookup_pc) {
  return const_cast<Region*>(static_cast<const ProfileSymbolizer*>(this)->region_of(lookup_pc));
}

const ProfileSymbolizer::Region* ProfileSymbolizer::region_of(uint64_t lookup_pc) const {
  auto it = std::upper_bound(regions_.begin(), regions_.end(), lookup_pc,
                             [](uint64_t pc, const Region& r) { return pc < r.start; });
  if (it == regions_.begin()) return nullptr;
  const Region& region = *(it - 1);
  return lookup_pc < region.limit ? &region : nullptr;
}

void ProfileSymbolizer::prepare(std::span<const uint64_t> lookup_pcs) {
  std::map<ObjectFile*, std::vector<uint64_t>> by_object;
  for (uint64_t pc : lookup_pcs) {
    const Region* region = region_of(pc);
    if (region != nullptr && region->object != nullptr) by_object[region->object].push_back(pc - region->bias);
  }
  for (auto& [object, file_vaddrs] : by_object) {
    const Activity reading("reading the symbols and debug info of " + object->display_name());
    object->expect(file_vaddrs);
  }
}

FrameChain ProfileSymbolizer::lookup(uint64_t lookup_pc) {
  // Called once per distinct pc (Symbolizer's contract): the counts are of distinct PCs.
  Region* region = region_of(lookup_pc);
  if (region == nullptr) {
    ++outside_;
    return {placeholder_frame("<unknown>")};
  }
  if (region->object == nullptr) {
    if (jit_names_ && region->anonymous()) return lookup_jit(*region, lookup_pc);
    ++region->placeholders;
    return {placeholder_frame(region->label)};
  }
  const ObjectLookup& found = region->object->lookup(lookup_pc - region->bias);
  ++(found.named() ? region->named : region->placeholders);
  return found.frames;
}

FrameChain ProfileSymbolizer::lookup_jit(Region& region, uint64_t lookup_pc) {
  Naming naming = jit_names_->at(lookup_pc);
  if (!naming.frames.empty()) {
    ++region.named;
    return std::move(naming.frames);
  }
  ++region.placeholders;
  return {placeholder_frame(region.label)};
}

LocationOrigin ProfileSymbolizer::origin(uint64_t lookup_pc) {
  const Region* region = region_of(lookup_pc);
  if (region == nullptr) return LocationOrigin{{}, lookup_pc};
  // JIT code: named after its label, so that --files puts Java frames (no
  // source file) in the "[anon:jit]" row and --focus=anon:jit selects them.
  if (region->anonymous()) return LocationOrigin{region->label, lookup_pc};
  return LocationOrigin{region->mapped_path, lookup_pc - region->start + region->offset};
}

std::vector<MappedObject> ProfileSymbolizer::mapped_objects() const {
  std::vector<MappedObject> out;
  out.reserve(regions_.size());
  bool main_seen = false;
  for (const Region& region : regions_) {
    MappedObject m;
    m.start = region.start;
    m.limit = region.limit;
    m.offset = region.offset;
    m.symbolized = region.object != nullptr;
    m.path = m.symbolized ? region.used_path : region.mapped_path;
    if (m.symbolized) m.build_id = region.object->build_id();
    m.main = !main_seen && !main_path_.empty() && region.mapped_path == main_path_;
    main_seen = main_seen || m.main;
    out.push_back(std::move(m));
  }
  return out;
}

void ProfileSymbolizer::warn_missing_files(const ObjectCache& objects, Diagnostics& diags) const {
  std::vector<std::string> missing;  // in address order, each file once
  std::unordered_set<std::string_view> seen;
  for (const Region& region : regions_) {
    if (region.object != nullptr || region.placeholders == 0 || !objects.missing(region.used_path)) continue;
    if (seen.insert(region.used_path).second) missing.push_back(region.used_path);
  }
  if (missing.empty()) return;
  const char* hint = "point --lib_prefix at a copy of the files, or give the program's path on the command line";
  std::string key = "missing:";
  for (const std::string& path : missing) key += path + "\n";
  if (missing.size() == 1) {
    const bool deleted = std::any_of(regions_.begin(), regions_.end(), [&](const Region& region) {
      return region.deleted && region.used_path == missing[0];
    });
    diags.warn_once(key, fmt::format("{}: No such file or directory{}; its frames are shown as [{}] ({})", missing[0],
                                     deleted ? kDeletedNote : "", basename_of(missing[0]), hint));
    return;
  }
  diags.warn_once(key, fmt::format("{} files with frames of {} do not exist here ({}, ...): their frames are shown "
                                   "as [file name] rows ({}; --verbose lists them)",
                                   missing.size(), source_, missing[0], hint));
}

void ProfileSymbolizer::warn_unnamed_jit_pcs(Diagnostics& diags) const {
  if (!jit_names_) return;
  const PerfMapNames::Counts& jit = jit_names_->counts();
  if (jit.looked_up == 0) {
    // Each warning about the map once per run: a --trend would say it of
    // every dump.
    diags.warn_once("perf-map-unused",
                    source_ + ": no PC of the profile is in anonymous executable memory (JIT code), so the perf map "
                              "names nothing here (is it the dump of a JIT process, such as a JVM?)");
    return;
  }
  if (jit.uncovered == jit.looked_up) {
    diags.warn_once("perf-map-uncovered",
                    fmt::format("{}: none of the {} distinct PCs in JIT code is in an entry of the perf map; they "
                                "stay [anon:jit] (is it the map of the process that wrote this dump? HotSpot writes "
                                "/tmp/perf-<pid>.map)",
                                source_, jit.looked_up));
  } else if (jit.uncovered > 0) {
    diags.warn_once("perf-map-uncovered",
                    fmt::format("{}: {} of the {} distinct PCs in JIT code are in no entry of the perf map; they "
                                "stay [anon:jit] (code compiled after the map was written or freed before it: write "
                                "the map when the dump is written, e.g. jcmd <pid> Compiler.perfmap)",
                                source_, jit.uncovered, jit.looked_up));
  }
  if (jit.conflicts > 0) {
    const PerfMap::Hit& c = jit.first_conflict;
    diags.warn_once("perf-map-conflict",
                    fmt::format("{}: {} distinct PCs in JIT code are covered by entries of different perf maps with "
                                "different names, e.g. {} '{}' and {} '{}'; they stay [anon:jit] (maps written at "
                                "different times disagree where the JIT reused memory: give the one map of the "
                                "process, or one map of one moment)",
                                source_, jit.conflicts, jit_names_->map().where(*c.entry), c.entry->name,
                                jit_names_->map().where(*c.other), c.other->name));
  }
}

void ProfileSymbolizer::print_verbose_summary(Diagnostics& diags) const {
  if (!verbose_) return;
  uint64_t named = 0, placeholders = 0;
  for (const Region& region : regions_) {
    named += region.named;
    placeholders += region.placeholders;
  }
  diags.note(fmt::format("{}: {} executable mappings; {} distinct PCs: {} named, {} placeholders, {} outside every "
                         "mapping",
                         source_, regions_.size(), named + placeholders + outside_, named, placeholders, outside_));
  if (jit_names_) {
    const PerfMap& map = jit_names_->map();
    for (uint32_t file = 0; file < map.files().size(); ++file) {
      if (map.superseded(file) == 0) continue;
      diags.note(fmt::format("  {}: a log: {} entries are replaced at their addresses by later ones with other "
                             "names (a JIT that reuses code memory); each address is named by its latest entry",
                             map.files()[file], map.superseded(file)));
    }
  }
  for (const Region& region : regions_) {
    std::string line = fmt::format("  {:x}-{:x} {}:", region.start, region.limit,
                                   region.mapped_path.empty() ? "(anonymous)" : region.mapped_path);
    if (region.object == nullptr && region.anonymous() && jit_names_) {
      line += " names=perf-map";
    } else if (region.object == nullptr) {
      if (!region.used_path.empty() && region.used_path != region.mapped_path) line += " file=" + region.used_path;
      line += " not used (" + region.unused_why + ")";
    } else if (region.named + region.placeholders == 0) {
      // Nothing was looked up here: say which file, without searching for
      // its debug file or opening its DWARF only to describe them.
      std::string build_id = region.object->build_id();
      line += fmt::format(" file={} build-id={}", region.used_path, build_id.empty() ? "none" : build_id);
    } else {
      ObjectDescription d = region.object->describe();
      std::string names = d.own_symbols;
      if (d.debug_file_has_symtab) names += "+debug-file";
      std::string dwarf = d.dwarf_file.empty() ? "none" : d.dwarf_file == region.used_path ? "file" : "debug-file";
      line += fmt::format(" file={} build-id={} debug-file={} names={} dwarf={} index={}", region.used_path,
                          d.build_id.empty() ? "none" : d.build_id, d.debug_file.empty() ? "none" : d.debug_file,
                          names, dwarf, d.index);
      // .debug_info inflated in part: how many of its units were kept whole.
      if (d.dwarf_units > 0) {
        line += fmt::format(" units={}/{}{}", d.dwarf_units_kept, d.dwarf_units, d.dwarf_resumed ? ",resumed" : "");
      }
    }
    line += fmt::format(" pcs={} named={} placeholders={}", region.named + region.placeholders, region.named,
                        region.placeholders);
    diags.note(line);
  }
}

}  // namespace hprof
