// The parts of a heap profile's text that the gperftools and the jemalloc
// formats share: the "n1: s1 [n2: s2]" counts, the address list, the
// unsampling of a record, and the MAPPED_LIBRARIES section.  Not a public
// interface of the parse stage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostics.h"
#include "parse/heap_profile.h"
#include "parse/line_reader.h"

namespace hprof::parse_internal {

// Reads "n1: s1 [n2: s2]" (in-use count and bytes, then allocated count and
// bytes) at `cursor` into `values`.  Returns why it cannot: `malformed` when
// the shape is wrong, or a number out of range, a negative allocated value,
// or a zero count with non-zero bytes.  Only the in-use pair may be negative
// (gperftools writes differences there in some modes).
std::optional<std::string> parse_counts(Cursor& cursor, SampleValues& values, std::string_view malformed);

// Appends the "0x..." addresses of `text` (blank separated) to `stack`.
std::optional<std::string> parse_stack(std::string_view text, std::vector<uint64_t>& stack);

// The record's values as the report sums them (see unsample_pair).
SampleValues unsample(const SampleValues& raw, const HeapHeader& header);

bool is_memory_map_sentinel(std::string_view line);

// The warning for a last line that is cut short and cannot be read.
void warn_incomplete_last_record(Diagnostics& diags, const std::string& source, std::size_t line);

// Reads every /proc maps line after the sentinel into `profile.mappings`.
void read_maps(LineReader& reader, HeapProfile& profile);

}  // namespace hprof::parse_internal
