// The order in which the sources of one file name an address: the frames are
// DWARF's inline chain; the outermost frame is named by the first of
//   1. the file's own symbol table (.symtab, else .dynsym), as
//      llvm-symbolizer does, so that names agree with the Go pprof;
//   2. DWARF, its short name completed with its scope from the debug
//      file's symbol table;
//   3. the separate debug file's symbol table;
//   4. the function's start from CFI: "<basename>+0x<start>";
//   5. the object alone: "[<basename>]".
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "profile/frame.h"
#include "symbolize/names/name_source.h"

namespace hprof {

// What named the outermost frame of an address, best first.
enum class NamedBy {
  kFileSymbols,
  kDwarf,
  kDebugSymbols,
  kFunctionStart,  // a placeholder
  kObjectOnly,     // a placeholder
};

struct ObjectLookup {
  FrameChain frames;  // never empty
  NamedBy source = NamedBy::kObjectOnly;
  bool named() const { return source < NamedBy::kFunctionStart; }
};

// One file's sources, one per step of the order above.
struct NameSources {
  NameSource* file_symbols;
  NameSource* dwarf;
  NameSource* debug_symbols;
  NameSource* function_starts;
  // In the order above: the order they are saved into an index, too.
  std::array<NameSource*, 4> all() const { return {file_symbols, dwarf, debug_symbols, function_starts}; }
};

// The frames at `file_vaddr` of the file called `display_name`, innermost
// first, and what named them.  Never empty.
ObjectLookup name_address(const NameSources& sources, uint64_t file_vaddr, std::string_view display_name);

}  // namespace hprof
