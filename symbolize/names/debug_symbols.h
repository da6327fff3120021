// The best symbol table libdwfl finds for the file, a separate debug file's
// .symtab included, as a name source: it names what neither the file's own
// table nor DWARF names, and gives DWARF's short names their scope.
#pragma once

#include "symbolize/elf/elf_module.h"
#include "symbolize/elf/symbol_table.h"
#include "symbolize/names/file_symbols.h"
#include "symbolize/names/name_source.h"

namespace hprof {

class DebugSymbols : public NameSource {
 public:
  DebugSymbols(const ElfModule& module, FileSymbols& file_symbols) : module_(&module), file_symbols_(&file_symbols) {}

  Naming at(uint64_t file_vaddr) override;
  void save(IndexContents& contents, IndexPart& part) override;

 private:
  void load();
  const ElfModule* module_;
  FileSymbols* file_symbols_;
  bool loaded_ = false;
  SymbolTable table_;
};

}  // namespace hprof
