#include "symbolize/dwarf/scope_search.h"

#include <elfutils/libdw.h>

#include <cstdlib>
#include <memory>

#include "symbolize/dwarf/die_frames.h"

namespace hprof {
namespace {

struct FreeDeleter {
  void operator()(Dwarf_Die* p) const { std::free(p); }
};
using ScopeArray = std::unique_ptr<Dwarf_Die, FreeDeleter>;

}  // namespace

using dwarf_walk::frames_along;
using dwarf_walk::line_table_position;

FrameChain dwarf_frames_by_scope_search(Dwfl_Module* module, uint64_t file_vaddr) {
  DwarfSource source(module);
  return dwarf_frames_by_scope_search(source, file_vaddr);
}

FrameChain dwarf_frames_by_scope_search(DwarfSource& source, uint64_t file_vaddr) {
  Dwarf_Addr bias = 0;
  Dwarf_Die* cudie = source.unit_at(file_vaddr, &bias);
  if (cudie == nullptr) return {};

  // dwarf_getscopes finds the innermost scope; its chain of parents in the
  // DIE tree (dwarf_getscopes_die) runs through every inlined copy up to the
  // concrete function, which is what eu-addr2line -i walks too.
  Dwarf_Die* raw = nullptr;
  int found = dwarf_getscopes(cudie, file_vaddr - bias, &raw);
  ScopeArray innermost(raw);
  if (found <= 0) return {};
  raw = nullptr;
  int count = dwarf_getscopes_die(innermost.get(), &raw);
  ScopeArray scopes(raw);
  if (count <= 0) return {};

  return frames_along(line_table_position(source, file_vaddr), cudie, static_cast<size_t>(count),
                      [&](size_t i) { return scopes.get() + i; });
}

}  // namespace hprof
