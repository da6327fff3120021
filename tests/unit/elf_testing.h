// Helpers of the tests that read ELF files and DWARF answers.
#pragma once

#include <gelf.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "profile/frame.h"

namespace hprof::testing {

// The sized, defined STT_FUNC symbols of `elf`'s .symtab as (start, size), in table order.
inline std::vector<std::pair<uint64_t, uint64_t>> function_symbols(Elf* elf) {
  std::vector<std::pair<uint64_t, uint64_t>> out;
  if (elf == nullptr) return out;
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr || shdr.sh_type != SHT_SYMTAB || shdr.sh_entsize == 0) continue;
    Elf_Data* data = elf_getdata(scn, nullptr);
    for (size_t i = 1; i < shdr.sh_size / shdr.sh_entsize; ++i) {
      GElf_Sym sym;
      if (gelf_getsym(data, static_cast<int>(i), &sym) != nullptr && GELF_ST_TYPE(sym.st_info) == STT_FUNC &&
          sym.st_size > 0 && sym.st_shndx != SHN_UNDEF) {
        out.emplace_back(sym.st_value, sym.st_size);
      }
    }
  }
  return out;
}

// One line per frame, for failure messages.
inline std::string describe(const FrameChain& chain) {
  std::string out;
  for (const Frame& f : chain) {
    out += f.function + " " + f.file + ":" + std::to_string(f.line) + (f.inlined ? " (inline)" : "") + "\n";
  }
  return out;
}

}  // namespace hprof::testing
