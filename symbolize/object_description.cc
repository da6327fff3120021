// ObjectFile::describe: where a file's names come from, for --verbose.
#include "symbolize/elf/elf_sections.h"
#include "symbolize/object_file.h"

namespace hprof {

ObjectDescription ObjectFile::describe() {
  ObjectDescription description;
  description.build_id = module_.build_id();
  description.own_symbols = file_symbols_.own_table();
  // Asked before the debug file's name: opening the DWARF (already done by
  // any lookup) may be what searched for it.
  InflatedDwarf* inflated = dwarf_.inflated();
  const bool has_dwarf = dwarf_.has_dwarf();
  if (dwarf_.inflated_is_separate()) {
    description.debug_file = inflated->path();
  } else if (const char* debug_file = module_.libdwfl_debug_file()) {
    description.debug_file = debug_file;
  }
  GElf_Shdr shdr;
  description.debug_file_has_symtab =
      section_of_type(dwarf_.debug_elf(), SHT_SYMTAB, &shdr) != nullptr && shdr.sh_size > 0;
  if (has_dwarf) description.dwarf_file = description.debug_file.empty() ? module_.path() : description.debug_file;
  description.dwarf_inflated = inflated != nullptr;
  if (const PartialDebugInfo* partial = inflated != nullptr ? inflated->partial() : nullptr) {
    description.dwarf_units_kept = partial->kept_unit_count();
    description.dwarf_units = partial->unit_count();
    description.dwarf_resumed = partial->resumed();
  }
  description.index = index_.description();
  // A read index that asked the DWARF of units it had not swept is written
  // again, grown.
  if (indexed_[1] && indexed_[1]->grown() && description.index.starts_with("read:")) {
    description.index = "grown:" + description.index.substr(5);
  }
  return description;
}

}  // namespace hprof
