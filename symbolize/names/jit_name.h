// Printable names for JIT code named by a perf map (parse/perf_map.h).
#pragma once

#include <string>
#include <string_view>

namespace hprof {

// HotSpot names a compiled Java method "RETURN_TYPE CLASS.METHOD(PARAMETERS)"
// (Method::external_name): the return type and the parameter list are
// dropped, as simplify_name drops them from C++ names:
//   "long java.util.zip.Deflater.init(int, int, boolean)" -> "java.util.zip.Deflater.init"
//   "void java.util.zip.Deflater.<init>(int, boolean)"    -> "java.util.zip.Deflater.<init>"
// Every other name is kept verbatim: HotSpot's stubs and blobs
// ("Interpreter", "StubRoutines (1)", "I2C/C2I adapters",
// "new_instance Runtime1 stub") and other JITs' names.
std::string jit_function_name(std::string_view perf_map_name);

}  // namespace hprof
