// Reading a heap profile from a stream or a file, one line at a time.
#pragma once

#include <istream>
#include <string>

#include "common/diagnostics.h"
#include "common/paths.h"
#include "parse/heap_profile.h"

namespace hprof {

// Parses a whole profile from `in`: a gperftools one ("heap profile: ..."),
// or a jemalloc one ("heap_v2/N", see parse/jemalloc_profile.h), told apart
// by the first line.  `source` names the file in messages.
// Throws InputError("source", line, "...") for anything that is not a heap
// profile or a malformed record.  Warnings (e.g. "%warn" header lines) go to
// `diags`.
HeapProfile parse_heap_profile(std::istream& in, const std::string& source, Diagnostics& diags);

// Opens `path` (refusing directories and non-regular files that are not FIFOs,
// e.g. character devices) and parses it.  Throws InputError on a missing or
// unreadable file, naming the path and the system's reason.  The path "-"
// reads standard input, named "<stdin>" in messages.
HeapProfile read_heap_profile(const std::string& path, Diagnostics& diags);

}  // namespace hprof
