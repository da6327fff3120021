// Real dumps written by jemalloc's own heap profiler (Debian's libjemalloc2
// is built with --enable-prof), recorded once per build and cached in the
// scratch directory like the libtcmalloc recordings of harness.h.
#pragma once

#include <string>

namespace e2e {

// The C++ workload with every allocation sampled (lg_prof_sample:0) and freed
// memory counted (prof_accum:true): the values are exact usable sizes.
std::string jemalloc_workload_dump();

// The JVM Deflater-leak scenario with jemalloc's default sampling (2^19
// bytes), as users run it.
std::string jemalloc_jvm_dump();

// The number of stacks ("@" lines) in a jemalloc dump.
int jemalloc_stack_count(const std::string& dump);

}  // namespace e2e
