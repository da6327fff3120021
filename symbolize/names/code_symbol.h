// Which ELF symbols name code: defined, sized, and a function (or of no
// type, as hand-written assembly leaves them).
#pragma once

#include <gelf.h>

namespace hprof {

inline bool names_code(const GElf_Sym& sym) {
  int type = GELF_ST_TYPE(sym.st_info);
  return sym.st_shndx != SHN_UNDEF && sym.st_size > 0 &&
         (type == STT_FUNC || type == STT_GNU_IFUNC || type == STT_NOTYPE);
}

}  // namespace hprof
