// The fuzz targets: plain functions over one input, called by libFuzzer
// (libfuzzer_entry.cc, `scripts/fuzz.sh`) and by the unit tests that replay
// the seed corpora and every input a fuzzer found (tests/unit/fuzz_regressions_test.cc).
//
// Each returns normally when the input is handled as the program would
// handle it (parsed, or rejected with an InputError, or an ELF file refused
// by ObjectFile's constructor).  Anything else is a finding: an exception
// escaping, a broken invariant (std::logic_error), a crash, a sanitizer report.
#pragma once

#include <cstdint>
#include <span>

namespace hprof::fuzz {

// parse_heap_profile (gperftools and jemalloc dumps), then the report of
// every sample index, its allocator frames pruned, rendered as text, over a
// symbolizer that names each address without reading any file.
void heap_profile(std::span<const uint8_t> input);

// parse_perf_map of the input as two maps (the whole input, and its second
// half as another file, so that entries overlap), then PerfMap lookups at
// the edges of every entry, each answer checked against the entries.
void perf_map(std::span<const uint8_t> input);

// The input as an ELF file in a private temporary directory, opened as
// ObjectFile (libdwfl, the symbol tables, CFI, zlib-compressed DWARF), and
// the addresses of its own symbols, its entry point and a few taken from the
// input looked up; then described as --verbose does.
void elf_symbolize(std::span<const uint8_t> input);

}  // namespace hprof::fuzz
