// One ELF file opened through libdwfl, at base 0: module addresses are the
// file's own link-time addresses (file_vaddr), so one module serves every
// process that mapped the file.  Also where its separate debug file is.
#pragma once

#include <gelf.h>

#include <memory>
#include <optional>
#include <string>

#include "symbolize/elf/debug_search.h"

struct Dwfl;
struct Dwfl_Module;

namespace hprof {

class ElfModule {
 public:
  // Opens `path`; throws std::runtime_error with the reason (missing, not a
  // regular file, not ELF, cut short, ...).  Never opens device files or
  // FIFOs.  `search` says where separate debug files are looked for first.
  ElfModule(const std::string& path, DebugSearch search);
  ~ElfModule();
  ElfModule(const ElfModule&) = delete;
  ElfModule& operator=(const ElfModule&) = delete;

  const std::string& path() const { return path_; }
  const std::string& display_name() const { return display_name_; }  // the file's basename
  const DebugSearch& search() const { return *search_; }
  Dwfl_Module* module() const { return module_; }
  // The file itself as libelf reads it; null when libdwfl cannot.
  Elf* elf() const;

  // The file's build-id, lower-case hex; empty when it has none.
  std::string build_id() const;
  // The separate debug file libdwfl has opened for the module (for its
  // symbol table or DWARF); null when none, or when it is the file itself.
  const char* libdwfl_debug_file() const;
  // The separate debug file the search finds for this file (nothing opened
  // but its header), searched once; empty when the file has its own
  // .debug_info or none is found.
  const std::string& debug_file_path();

 private:
  std::string path_;
  std::string display_name_;
  std::unique_ptr<DebugSearch> search_;  // the module's userdata: stays put
  Dwfl* dwfl_ = nullptr;
  Dwfl_Module* module_ = nullptr;
  std::optional<std::string> debug_path_;  // debug_file_path(), once searched
};

}  // namespace hprof
