// From DIEs to frames: the names, call sites and line-table positions that
// both the inline resolver and libdw's scope search turn into a FrameChain.
#pragma once

#include <dwarf.h>
#include <elfutils/libdw.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <unordered_map>
#include <utility>

#include "profile/frame.h"
#include "symbolize/simplify_name.h"

namespace hprof {

class DwarfSource;

namespace dwarf_walk {

// DWARF strings this long are taken for corruption and ignored: in a
// scrambled .debug_str, string offsets point into bytes without a NUL, and
// each "name" of megabytes was copied, simplified and indexed whole (minutes
// and gigabytes).  Real names, deep C++ templates included, are far shorter,
// and a path is at most PATH_MAX.
constexpr size_t kMaxFunctionName = 64 * 1024;
constexpr size_t kMaxFileName = 4096;

inline const char* plausible_string(const char* s, size_t limit) {
  return s != nullptr && strnlen(s, limit) < limit ? s : nullptr;
}

// The linkage name where there is one (it carries the namespaces and the
// class), else the plain name; both through abstract origins and
// specifications, as llvm-symbolizer does.
const char* die_name(Dwarf_Die* die);

struct Position {
  std::string file;
  uint32_t line = 0;
};

// Where an inlined subroutine was called from: its caller's position.
Position call_site(Dwarf_Die* inlined, Dwarf_Files* files, size_t file_count);

// The line-table position of `file_vaddr`: the innermost frame's.
Position line_table_position(DwarfSource& source, uint64_t file_vaddr);

// Names and call sites of DIEs already met, by DIE address: a sweep over
// every address of a module meets each DIE many times.
struct FrameMemo {
  std::unordered_map<const void*, std::string> names;
  std::unordered_map<const void*, Position> call_sites;
};

// The frames along a chain of scopes, innermost first: every inlined
// subroutine, up to and including the first subprogram.  The innermost frame
// is at `pos`, the line table's position, each outer one at the call site of
// the inlined subroutine inside it.
template <typename ScopeAt>
FrameChain frames_along(Position pos, Dwarf_Die* cudie, size_t count, ScopeAt scope_at, FrameMemo* memo = nullptr) {
  Dwarf_Files* files = nullptr;
  size_t file_count = 0;
  bool files_read = false;

  FrameChain chain;
  for (size_t i = 0; i < count; ++i) {
    Dwarf_Die* scope = scope_at(i);
    int tag = dwarf_tag(scope);
    if (tag != DW_TAG_subprogram && tag != DW_TAG_inlined_subroutine) continue;
    Frame frame;
    if (memo != nullptr) {
      auto [it, inserted] = memo->names.try_emplace(scope->addr);
      if (inserted) {
        const char* name = die_name(scope);
        it->second = name != nullptr ? simplify_name(name) : std::string();
      }
      frame.function = it->second;
    } else {
      const char* name = die_name(scope);
      frame.function = name != nullptr ? simplify_name(name) : std::string();
    }
    frame.file = std::move(pos.file);
    frame.line = pos.line;
    frame.inlined = tag == DW_TAG_inlined_subroutine;
    chain.push_back(std::move(frame));
    if (tag == DW_TAG_subprogram) break;
    if (memo != nullptr) {
      auto known = memo->call_sites.find(scope->addr);
      if (known != memo->call_sites.end()) {
        pos = known->second;
        continue;
      }
    }
    if (!files_read) {
      files_read = true;
      if (dwarf_getsrcfiles(cudie, &files, &file_count) != 0) files = nullptr;
    }
    pos = call_site(scope, files, file_count);
    if (memo != nullptr) memo->call_sites.emplace(scope->addr, pos);
  }
  return chain;
}

}  // namespace dwarf_walk
}  // namespace hprof
