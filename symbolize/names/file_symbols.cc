#include "symbolize/names/file_symbols.h"

#include "symbolize/elf/elf_sections.h"
#include "symbolize/index/symbol_index.h"
#include "symbolize/names/code_symbol.h"

namespace hprof {

void FileSymbols::load() {
  if (loaded_) return;
  loaded_ = true;
  Elf* elf = module_->elf();
  if (elf == nullptr) return;
  GElf_Shdr table_header{};
  Elf_Scn* table = section_of_type(elf, SHT_SYMTAB, &table_header);
  if (table == nullptr) table = section_of_type(elf, SHT_DYNSYM, &table_header);
  if (table == nullptr || table_header.sh_entsize == 0) return;
  own_table_ = table_header.sh_type == SHT_SYMTAB ? ".symtab" : ".dynsym";
  Elf_Data* data = elf_getdata(table, nullptr);
  if (data == nullptr) return;
  size_t count = table_header.sh_size / table_header.sh_entsize;
  for (size_t i = 1; i < count; ++i) {
    GElf_Sym sym;
    if (gelf_getsym(data, static_cast<int>(i), &sym) == nullptr || !names_code(sym)) continue;
    const char* name = elf_strptr(elf, table_header.sh_link, sym.st_name);
    if (name == nullptr || *name == '\0') continue;
    table_.add({sym.st_value, sym.st_size, name});
  }
  table_.finish();
}

const std::string& FileSymbols::own_table() {
  load();
  return own_table_;
}

Naming FileSymbols::at(uint64_t file_vaddr) {
  load();
  return Naming::of_symbol(table_.name_at(file_vaddr));
}

void FileSymbols::save(IndexContents& contents, IndexPart& part) {
  load();
  contents.own_table = own_table_;
  part.symbols = table_.symbols();
}

}  // namespace hprof
