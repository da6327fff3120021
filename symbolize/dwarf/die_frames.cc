#include "symbolize/dwarf/die_frames.h"

#include "symbolize/dwarf/dwarf_source.h"

namespace hprof::dwarf_walk {

// The linkage name where there is one (it carries the namespaces and the
// class), else the plain name; both through abstract origins and
// specifications, as llvm-symbolizer does.
const char* die_name(Dwarf_Die* die) {
  Dwarf_Attribute attr;
  const char* name =
      plausible_string(dwarf_formstring(dwarf_attr_integrate(die, DW_AT_linkage_name, &attr)), kMaxFunctionName);
  if (name == nullptr) {
    name = plausible_string(dwarf_formstring(dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr)),
                            kMaxFunctionName);
  }
  if (name == nullptr) name = plausible_string(dwarf_diename(die), kMaxFunctionName);
  return name;
}

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
    const char* name = plausible_string(dwarf_filesrc(files, value, nullptr, nullptr), kMaxFileName);
    if (name != nullptr) pos.file = name;
  }
  return pos;
}

Position line_table_position(DwarfSource& source, uint64_t file_vaddr) {
  Position pos;
  const char* file = nullptr;
  int lineno = 0;
  if (source.line_at(file_vaddr, &file, &lineno)) {
    if (file != nullptr) pos.file = file;
    pos.line = lineno > 0 ? static_cast<uint32_t>(lineno) : 0;
  }
  return pos;
}

}  // namespace hprof::dwarf_walk
