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
#include "common/error.h"
#include "parse/heap_profile.h"
#include "parse/line_reader.h"

namespace hprof::parse_internal {

// Reads the shape "n1: s1 [n2: s2]" (in-use count and bytes, then allocated
// count and bytes) at `cursor` into `values`, unchecked: false when the shape
// is wrong, and then `error` holds the reason when a number is out of range.
// Shared by the gperftools header, its records and jemalloc's "t*:" lines.
bool read_count_pairs(Cursor& cursor, HeapValues& values, std::optional<std::string>& error);

// read_count_pairs, then the checks of a record's values.  Returns why it
// cannot: `malformed` when the shape is wrong, or a number out of range, a
// negative allocated value, or a zero count with non-zero bytes.  Only the
// in-use pair may be negative (gperftools writes differences there in some
// modes).
std::optional<std::string> parse_counts(Cursor& cursor, HeapValues& values, std::string_view malformed);

// Appends the "0x..." addresses of `text` (blank separated) to `stack`.
std::optional<std::string> parse_stack(std::string_view text, std::vector<uint64_t>& stack);

// The record's values as the report sums them (see unsample_pair).
HeapValues unsample(const HeapValues& raw, const HeapHeader& header);

bool is_memory_map_sentinel(std::string_view line);

// The warning for a last line that is cut short and cannot be read.
void warn_incomplete_last_record(Diagnostics& diags, const std::string& source, std::size_t line);

// How for_each_record_line stopped.
enum class RecordsEnd {
  kMaps,        // at the maps sentinel (consumed)
  kCutShort,    // at a last line without a newline that could not be read (warned)
  kEndOfInput,  // at the end of the input
};

// The record loop both formats share: hands each line after the header,
// trimmed, to `record` unless it is blank or a '#' comment, up to the maps
// sentinel.  The last line of a file without its newline is never handed
// on: it is warned about as cut short.  `record` returns nullopt when it read
// the line, or why it could not; a line it could not read is the sentinel,
// or else an InputError naming the line.  The sentinel is looked
// for only in lines that are not records, so that valid records are never
// searched for it.
template <typename Record>
RecordsEnd for_each_record_line(LineReader& reader, const std::string& source, Diagnostics& diags,
                                Record&& record) {
  std::string_view line;
  while (reader.next(line)) {
    const std::string_view text = trim(line);
    if (text.empty() || text.front() == '#') continue;
    // Both writers end every record line with a newline: a last line without
    // one was cut short, even where what is left still reads as a record
    // (cut inside a count or an address, or between two addresses).
    if (!reader.last_line_had_newline() && !is_memory_map_sentinel(text)) {
      warn_incomplete_last_record(diags, source, reader.line_number());
      return RecordsEnd::kCutShort;
    }
    std::optional<std::string> error = record(text);
    if (!error) continue;
    if (is_memory_map_sentinel(text)) return RecordsEnd::kMaps;
    throw InputError(source, reader.line_number(), *error);
  }
  return RecordsEnd::kEndOfInput;
}

// Reads every /proc maps line after the sentinel into `profile.mappings`,
// with the attributes that lines before it define substituted
// (MapsAttributes); other lines are skipped, and a last one cut short is
// one warning.
void read_maps(LineReader& reader, HeapProfile& profile, Diagnostics& diags);

}  // namespace hprof::parse_internal
