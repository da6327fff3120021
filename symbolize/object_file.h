// One ELF file on disk (executable or shared object) with its symbols and
// debug information, answering lookups by file_vaddr (link-time address).
// Separate debug files are found by build-id and .gnu_debuglink under the
// debug directories, as gdb does (libdwfl's standard search).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "symbolize/frame.h"
#include "symbolize/function_starts.h"
#include "symbolize/symbol_table.h"

struct Dwfl;
struct Dwfl_Module;

namespace hprof {

class InlineResolver;

class ObjectFile {
 public:
  // Opens `path`; throws std::runtime_error with the reason (missing, not a
  // regular file, not ELF, ...).  Never opens device files or FIFOs.
  explicit ObjectFile(const std::string& path);
  ~ObjectFile();
  ObjectFile(const ObjectFile&) = delete;
  ObjectFile& operator=(const ObjectFile&) = delete;

  const std::string& path() const { return path_; }
  const std::string& display_name() const { return display_name_; }  // basename

  // The load bias of a mapping of this file: start - offset + p_offset - p_vaddr
  // of the PT_LOAD segment that holds the mapping's file offset.  nullopt
  // when no segment holds it (the file does not match the mapping).
  std::optional<uint64_t> bias_for_mapping(uint64_t start, uint64_t offset) const;

  // Frames at `file_vaddr`, innermost first.  Never empty: code that no
  // symbol covers is named "<basename>+0x<function start>" (start from CFI)
  // or "[<basename>]".
  const FrameChain& lookup(uint64_t file_vaddr);

  bool has_debug_info();

 private:
  FrameChain resolve(uint64_t file_vaddr);
  void load_file_symbols();
  void load_debug_symbols();
  std::string outer_name_from_symbols(uint64_t file_vaddr, SymbolTable& table);
  std::optional<uint64_t> cfi_function_start(uint64_t file_vaddr);

  struct Segment {
    uint64_t offset, vaddr, filesz;
  };

  std::string path_;
  std::string display_name_;
  Dwfl* dwfl_ = nullptr;
  Dwfl_Module* module_ = nullptr;
  std::vector<Segment> loads_;
  // The file's own table (.symtab, else .dynsym): it names the outermost
  // function, as llvm-symbolizer does, so names agree with the Go pprof.
  bool file_symbols_loaded_ = false;
  SymbolTable file_symbols_;
  // The best table libdwfl finds, a separate debug file's .symtab included:
  // used when neither the file's table nor DWARF names an address.
  bool debug_symbols_loaded_ = false;
  SymbolTable debug_symbols_;
  std::unique_ptr<FunctionStarts> function_starts_;  // read on first need
  std::unique_ptr<InlineResolver> inlines_;           // made on first need
  std::unordered_map<uint64_t, FrameChain> cache_;
};

}  // namespace hprof
