#include "symbolize/names/debug_symbols.h"

#include <elfutils/libdwfl.h>

#include "symbolize/index/symbol_index.h"
#include "symbolize/names/code_symbol.h"

namespace hprof {

void DebugSymbols::load() {
  if (loaded_) return;
  loaded_ = true;
  // With a .symtab of its own, libdwfl's table is that one (it looks in a
  // debug file only for a file without): the file's source has it all.
  if (file_symbols_->own_table() == ".symtab") return;
  Dwfl_Module* module = module_->module();
  int count = dwfl_module_getsymtab(module);
  // Locals first, so that where a local alias and a global symbol share an
  // address (glibc's __GI___clone3 and __clone3) the global one is kept.
  for (bool globals : {false, true}) {
    for (int i = 1; i < count; ++i) {
      GElf_Sym sym;
      GElf_Addr addr = 0;
      GElf_Word shndx = 0;
      const char* name = dwfl_module_getsym_info(module, i, &sym, &addr, &shndx, nullptr, nullptr);
      sym.st_shndx = shndx == SHN_UNDEF ? SHN_UNDEF : 1;
      if (name == nullptr || *name == '\0' || !names_code(sym)) continue;
      if ((GELF_ST_BIND(sym.st_info) != STB_LOCAL) != globals) continue;
      table_.add({addr, sym.st_size, name});
    }
  }
  table_.finish();
}

Naming DebugSymbols::at(uint64_t file_vaddr) {
  load();
  return Naming::of_symbol(table_.name_at(file_vaddr));
}

void DebugSymbols::save(IndexContents&, IndexPart& part) {
  load();
  part.symbols = table_.symbols();
}

}  // namespace hprof
