// libFuzzer's entry point for one target: HPROF_FUZZ_TARGET names the
// function of targets.h (fuzz/CMakeLists.txt builds this file once per target).
#include <cstddef>
#include <cstdint>

#include "fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  hprof::fuzz::HPROF_FUZZ_TARGET({data, size});
  return 0;
}
