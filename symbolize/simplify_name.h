// Printable function names: demangle, then drop what the Go pprof drops by
// default (parameter lists, template arguments, return types, clone suffixes).
#pragma once

#include <string>
#include <string_view>

namespace hprof {

// `symbol` is a raw symbol or DWARF linkage name, mangled or not.
std::string simplify_name(std::string_view symbol);

// Simplifies an already demangled C++ name (the part after demangling).
std::string simplify_demangled(std::string_view demangled);

}  // namespace hprof
