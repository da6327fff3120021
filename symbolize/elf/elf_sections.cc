#include "symbolize/elf/elf_sections.h"

#include <cstring>

namespace hprof {

Elf_Scn* section_named(Elf* elf, const char* name, GElf_Shdr* shdr) {
  size_t shstrndx = 0;
  if (elf == nullptr || elf_getshdrstrndx(elf, &shstrndx) != 0) return nullptr;
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
    if (gelf_getshdr(scn, shdr) == nullptr || shdr->sh_type == SHT_NOBITS || shdr->sh_size == 0) continue;
    const char* scn_name = elf_strptr(elf, shstrndx, shdr->sh_name);
    if (scn_name != nullptr && std::strcmp(scn_name, name) == 0) return scn;
  }
  return nullptr;
}

Elf_Scn* section_of_type(Elf* elf, GElf_Word type, GElf_Shdr* shdr) {
  if (elf == nullptr) return nullptr;
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
    if (gelf_getshdr(scn, shdr) != nullptr && shdr->sh_type == type) return scn;
  }
  return nullptr;
}

}  // namespace hprof
