#include "parse/profile_lines.h"

#include <fmt/format.h>

#include <charconv>

#include "parse/maps_attributes.h"
#include "parse/proc_maps.h"

namespace hprof::parse_internal {
namespace {

std::optional<std::string> parse_address(std::string_view token, uint64_t& pc) {
  if (token.size() > 2 && token[0] == '0' && (token[1] == 'x' || token[1] == 'X')) {
    const char* first = token.data() + 2;
    const char* last = token.data() + token.size();
    const auto [ptr, ec] = std::from_chars(first, last, pc, 16);
    if (ec == std::errc() && ptr == last) return std::nullopt;
    if (ec == std::errc::result_out_of_range) return number_out_of_range(token);
  }
  return fmt::format("malformed address '{}'", excerpt(token));
}

std::optional<std::string> check_pair(int64_t count, int64_t bytes, const char* what) {
  if (count == 0 && bytes != 0) return fmt::format("{0} count is 0 but {0} bytes is {1}", what, bytes);
  return std::nullopt;
}

}  // namespace

bool read_count_pairs(Cursor& cursor, HeapValues& v, std::optional<std::string>& error) {
  return cursor.integer(v.inuse_objects, error) && cursor.punct(':') && cursor.integer(v.inuse_bytes, error) &&
         cursor.punct('[') && cursor.integer(v.alloc_objects, error) && cursor.punct(':') &&
         cursor.integer(v.alloc_bytes, error) && cursor.punct(']');
}

std::optional<std::string> parse_counts(Cursor& cursor, HeapValues& values, std::string_view malformed) {
  HeapValues v;
  std::optional<std::string> error;
  const bool shaped = read_count_pairs(cursor, v, error);
  if (error) return error;
  if (!shaped) return std::string(malformed);
  if (v.alloc_objects < 0) return fmt::format("negative allocated count {}", v.alloc_objects);
  if (v.alloc_bytes < 0) return fmt::format("negative allocated bytes {}", v.alloc_bytes);
  if (auto e = check_pair(v.inuse_objects, v.inuse_bytes, "in-use")) return e;
  if (auto e = check_pair(v.alloc_objects, v.alloc_bytes, "allocated")) return e;
  values = v;
  return std::nullopt;
}

std::optional<std::string> parse_stack(std::string_view text, std::vector<uint64_t>& stack) {
  Cursor cursor(text);
  for (std::string_view token = cursor.word(); !token.empty(); token = cursor.word()) {
    uint64_t pc = 0;
    if (auto error = parse_address(token, pc)) return error;
    stack.push_back(pc);
  }
  return std::nullopt;
}

HeapValues unsample(const HeapValues& raw, const HeapHeader& header) {
  if (header.sampling != Sampling::kPoisson) return raw;
  const CountBytes inuse = unsample_pair(raw.inuse_objects, raw.inuse_bytes, header.period);
  const CountBytes alloc = unsample_pair(raw.alloc_objects, raw.alloc_bytes, header.period);
  return {inuse.count, inuse.bytes, alloc.count, alloc.bytes};
}

bool is_memory_map_sentinel(std::string_view line) {
  return line.find("MAPPED_LIBRARIES:") != std::string_view::npos ||
         line.find("--- Memory map: ---") != std::string_view::npos;
}

void warn_incomplete_last_record(Diagnostics& diags, const std::string& source, std::size_t line) {
  diags.warn_once(fmt::format("{}:{}: last record is incomplete (file cut short?); it was skipped", source, line));
}

void read_maps(LineReader& reader, HeapProfile& profile, Diagnostics& diags) {
  MapsAttributes attributes;
  std::string substituted;
  std::string_view line;
  while (reader.next(line)) {
    line = attributes.substitute(line, substituted);
    if (auto mapping = parse_maps_line(line)) {
      mapping->line = reader.line_number();
      profile.mappings.push_back(std::move(*mapping));
    } else if (!reader.last_line_had_newline() && !trim(line).empty()) {
      // The dump was cut short inside the maps: the PCs of that mapping will
      // be <unknown>, and the user should know why.
      diags.warn_once(fmt::format("{}:{}: last memory map line is incomplete (file cut short?); it was skipped",
                                  profile.source, reader.line_number()));
    } else {
      attributes.define(line);
    }
  }
}

}  // namespace hprof::parse_internal
