// Finding an ELF file's sections with libelf, shared by the symbolizer's readers.
#pragma once

#include <gelf.h>

namespace hprof {

// The first section called `name` whose contents are in the file (not
// emptied into SHT_NOBITS by strip, not empty), with its header in *shdr;
// null when there is none or `elf` is null.
Elf_Scn* section_named(Elf* elf, const char* name, GElf_Shdr* shdr);

// The first section of type `type` (SHT_SYMTAB, ...), with its header in
// *shdr; null when there is none or `elf` is null.
Elf_Scn* section_of_type(Elf* elf, GElf_Word type, GElf_Shdr* shdr);

}  // namespace hprof
