#include "symbolize/names/name_order.h"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <utility>

#include "symbolize/simplify_name.h"

namespace hprof {

ObjectLookup name_address(const NameSources& sources, uint64_t file_vaddr, std::string_view display_name) {
  ObjectLookup result;
  result.frames = std::move(sources.dwarf->at(file_vaddr).frames);
  FrameChain& chain = result.frames;
  bool dwarf_has_function = !chain.empty() && !chain.back().inlined;

  std::string name;
  if (std::optional<std::string_view> symbol = sources.file_symbols->at(file_vaddr).symbol) {
    name = simplify_name(*symbol);
    result.source = NamedBy::kFileSymbols;
  } else if (dwarf_has_function && !chain.back().function.empty()) {
    result.source = NamedBy::kDwarf;
    // DWARF names a function with internal linkage by its short name alone
    // ("make"): the debug file's symbol table has its scope too.
    std::optional<std::string_view> debug_name = sources.debug_symbols->at(file_vaddr).symbol;
    std::string& dwarf_name = chain.back().function;
    if (debug_name && dwarf_name.find("::") == std::string::npos) {
      std::string qualified = simplify_name(*debug_name);
      if (qualified.size() > dwarf_name.size() + 2 && qualified.ends_with("::" + dwarf_name)) {
        dwarf_name = std::move(qualified);
      }
    }
    return result;
  } else if (std::optional<std::string_view> debug_name = sources.debug_symbols->at(file_vaddr).symbol) {
    name = simplify_name(*debug_name);
    result.source = NamedBy::kDebugSymbols;
  } else if (std::optional<uint64_t> start = sources.function_starts->at(file_vaddr).function_start) {
    // Honest unknown: the function is known by where it starts, not by
    // the nearest exported name before it.
    name = fmt::format("{}+0x{:x}", display_name, *start);
    result.source = NamedBy::kFunctionStart;
  } else {
    name = "[" + std::string(display_name) + "]";
    result.source = NamedBy::kObjectOnly;
  }
  if (dwarf_has_function) {
    chain.back().function = std::move(name);
  } else {
    chain.push_back(placeholder_frame(std::move(name)));
  }
  return result;
}

}  // namespace hprof
