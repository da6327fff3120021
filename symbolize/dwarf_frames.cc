#include "symbolize/dwarf_frames.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include <cstdlib>
#include <memory>

#include "symbolize/simplify_name.h"

namespace hprof {
namespace {

struct FreeDeleter {
  void operator()(Dwarf_Die* p) const { std::free(p); }
};
using ScopeArray = std::unique_ptr<Dwarf_Die, FreeDeleter>;

// The linkage name where there is one (it carries the namespaces and the
// class), else the plain name; both through abstract origins and
// specifications, as llvm-symbolizer does.
const char* die_name(Dwarf_Die* die) {
  Dwarf_Attribute attr;
  const char* name = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_linkage_name, &attr));
  if (name == nullptr) name = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr));
  if (name == nullptr) name = dwarf_diename(die);
  return name;
}

struct Position {
  std::string file;
  uint32_t line = 0;
};

// Where an inlined subroutine was called from: its caller's position.
Position call_site(Dwarf_Die* inlined, Dwarf_Files* files, size_t file_count) {
  Position pos;
  Dwarf_Attribute attr;
  Dwarf_Word value = 0;
  if (dwarf_formudata(dwarf_attr(inlined, DW_AT_call_line, &attr), &value) == 0) {
    pos.line = static_cast<uint32_t>(value);
  }
  if (files != nullptr && dwarf_formudata(dwarf_attr(inlined, DW_AT_call_file, &attr), &value) == 0 &&
      value < file_count) {
    if (const char* name = dwarf_filesrc(files, value, nullptr, nullptr)) pos.file = name;
  }
  return pos;
}

Position line_table_position(Dwfl_Module* module, uint64_t file_vaddr) {
  Position pos;
  if (Dwfl_Line* line = dwfl_module_getsrc(module, file_vaddr)) {
    int lineno = 0;
    if (const char* file = dwfl_lineinfo(line, nullptr, &lineno, nullptr, nullptr, nullptr)) pos.file = file;
    pos.line = lineno > 0 ? static_cast<uint32_t>(lineno) : 0;
  }
  return pos;
}

}  // namespace

FrameChain dwarf_frames(Dwfl_Module* module, uint64_t file_vaddr) {
  Dwarf_Addr bias = 0;
  Dwarf_Die* cudie = dwfl_module_addrdie(module, file_vaddr, &bias);
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

  Dwarf_Files* files = nullptr;
  size_t file_count = 0;
  if (dwarf_getsrcfiles(cudie, &files, &file_count) != 0) files = nullptr;

  FrameChain chain;
  Position pos = line_table_position(module, file_vaddr);
  for (int i = 0; i < count; ++i) {
    Dwarf_Die* scope = scopes.get() + i;
    int tag = dwarf_tag(scope);
    if (tag != DW_TAG_subprogram && tag != DW_TAG_inlined_subroutine) continue;
    const char* name = die_name(scope);
    Frame frame;
    frame.function = name != nullptr ? simplify_name(name) : std::string();
    frame.file = pos.file;
    frame.line = pos.line;
    frame.inlined = tag == DW_TAG_inlined_subroutine;
    chain.push_back(std::move(frame));
    if (tag == DW_TAG_subprogram) break;
    pos = call_site(scope, files, file_count);
  }
  return chain;
}

}  // namespace hprof
