// The file's own symbol table (.symtab, else .dynsym) as a name source: it
// names the outermost function first (names/name_order.h).
#pragma once

#include <string>

#include "symbolize/elf/elf_module.h"
#include "symbolize/elf/symbol_table.h"
#include "symbolize/names/name_source.h"

namespace hprof {

class FileSymbols : public NameSource {
 public:
  explicit FileSymbols(const ElfModule& module) : module_(&module) {}

  Naming at(uint64_t file_vaddr) override;
  void save(IndexContents& contents, IndexPart& part) override;

  // ".symtab", ".dynsym" or "none".
  const std::string& own_table();

 private:
  void load();
  const ElfModule* module_;
  bool loaded_ = false;
  SymbolTable table_;
  std::string own_table_ = "none";
};

}  // namespace hprof
