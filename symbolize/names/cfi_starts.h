// Where functions start, from unwind tables, as a name source: code that no
// symbol names is known by its function's start, "<basename>+0x<start>".
#pragma once

#include <memory>

#include "symbolize/dwarf/dwarf_file.h"
#include "symbolize/elf/elf_module.h"
#include "symbolize/elf/function_starts.h"
#include "symbolize/names/name_source.h"

namespace hprof {

class CfiStarts : public NameSource {
 public:
  CfiStarts(const ElfModule& module, DwarfFile& dwarf) : module_(&module), dwarf_(&dwarf) {}

  Naming at(uint64_t file_vaddr) override;
  void save(IndexContents& contents, IndexPart& part) override;

 private:
  const FdeExtents& extents();
  const ElfModule* module_;
  DwarfFile* dwarf_;  // where the debug file's .debug_frame is
  std::unique_ptr<FdeExtents> extents_;  // read on first need
};

}  // namespace hprof
