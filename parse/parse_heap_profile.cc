#include "parse/parse_heap_profile.h"

#include <fmt/format.h>

#include <fstream>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "parse/jemalloc_profile.h"
#include "parse/line_reader.h"
#include "parse/profile_lines.h"
#include "parse/record_folding.h"
#include "parse/record_losses.h"

namespace hprof {
namespace {

using parse_internal::Cursor;
using parse_internal::excerpt;
using parse_internal::is_digit;
using parse_internal::LineReader;
using parse_internal::trim;

// How much of the first line we look at before deciding whether the input is
// a heap profile at all.  Bounded so that /dev/zero or a binary file gets an
// answer at once instead of being read whole in search of a newline.
constexpr std::size_t kProbeBytes = 4096;

constexpr std::string_view kHeaderPrefix = "heap profile:";
constexpr std::string_view kMalformedRecord =
    "malformed record: expected 'count: bytes [count: bytes] @ addresses'";
constexpr std::string_view kMalformedHeader =
    "malformed header: expected 'heap profile: N: N [N: N] @ TYPE'";

// ---- before the header: "%" commands and blank lines ----

void handle_command(std::string_view line, const std::string& source, std::size_t line_no, Diagnostics& diags) {
  Cursor cursor(line);
  const std::string_view command = cursor.word();
  if (command == "%warn") {
    diags.warn_once(fmt::format("{}:{}: {}", source, line_no, trim(cursor.rest())));
  } else {
    diags.warn_once(fmt::format("{}:{}: ignoring unknown profile command '{}'", source, line_no, excerpt(command)));
  }
}

bool has_control_bytes(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t' && c != '\r') || byte == 0x7f) return true;
  }
  return false;
}

// gperftools' binary CPU profile (CPUPROFILE=...) opens with the header
// words 0, 3, 0 (header count, header words, version), then the period and
// 0, in the writer's native word size (8 or 4 bytes) and byte order.
bool is_cpu_profile(std::string_view bytes) {
  for (const std::size_t word : {std::size_t{8}, std::size_t{4}}) {
    if (bytes.size() < 3 * word) continue;
    auto is_zero = [&](std::size_t i) { return bytes.substr(i * word, word).find_first_not_of('\0') == bytes.npos; };
    std::string three_little(word, '\0'), three_big(word, '\0');
    three_little.front() = three_big.back() = '\3';
    const std::string_view second = bytes.substr(word, word);
    if (is_zero(0) && (second == three_little || second == three_big) && is_zero(2)) return true;
  }
  return false;
}

// Says, as precisely as we can, what the first line is instead of a header.
[[noreturn]] void reject_first_line(std::string_view line, const std::string& source, std::size_t line_no) {
  if (line.starts_with("\x7f" "ELF")) {
    // A program is opened by path (libdw reads it anywhere), never read from a pipe.
    if (source == kStandardInputName) {
      throw InputError(source, line_no,
                       "this is an ELF file, not a heap profile; a program is never read from standard input: "
                       "give its path: hprof-text PROGRAM PROFILE");
    }
    throw InputError(source, line_no,
                     "this is an ELF file, not a heap profile; the program goes first: hprof-text PROGRAM PROFILE");
  }
  if (is_cpu_profile(line)) {
    throw InputError(source, line_no,
                     "this is a gperftools CPU profile, not a heap profile (heap profiles are the .heap files "
                     "written under HEAPPROFILE=PREFIX)");
  }
  if (line.starts_with("\x1f\x8b")) {
    throw InputError(source, line_no,
                     "this is gzip-compressed data, such as a pprof protobuf profile, not a heap profile: "
                     "hprof-text reads the text heap profiles that gperftools and jemalloc write (gunzip a "
                     "compressed one first)");
  }
  if (has_control_bytes(line)) throw InputError(source, line_no, "binary data, not a text heap profile");
  throw InputError(source, line_no,
                   "not a heap profile (the first line is neither gperftools' 'heap profile: ...' "
                   "nor jemalloc's 'heap_v2/N')");
}

// Sets tag, sampling and period from "TYPE[/PERIOD]" (see HeapHeader).
void classify_type(HeapHeader& header, std::string_view type, int64_t period, const std::string& source,
                   std::size_t line_no) {
  header.tag = std::string(type);
  if (type == "heap_v2" || type == "heapz_v2") {
    header.sampling = Sampling::kPoisson;
    header.period = static_cast<uint64_t>(period);
  } else if (type == "heap") {
    // The old "heap/N" writer recorded twice the mean sampling interval.
    header.sampling = Sampling::kPoisson;
    header.period = static_cast<uint64_t>(period / 2);
  } else if (type == "heapprofile" || type == "growth" || type == "growthz") {
    // Every allocation was recorded: as the Go pprof, a period of 1 byte.
    header.sampling = Sampling::kNone;
    header.period = 1;
  } else {
    throw InputError(source, line_no, fmt::format("unsupported heap profile type '{}'", excerpt(type)));
  }
}

// "heap profile: N: N [N: N] @ TYPE[/PERIOD]", found anywhere in the line as
// the Go pprof's unanchored regexp does.  nullopt when the line has no
// "heap profile:" at all; throws when it has one but is malformed.
std::optional<HeapHeader> parse_header(std::string_view line, const std::string& source, std::size_t line_no) {
  const std::size_t at = line.find(kHeaderPrefix);
  if (at == std::string_view::npos) return std::nullopt;
  Cursor cursor(line.substr(at + kHeaderPrefix.size()));
  HeapHeader header;
  HeapValues& t = header.totals;
  std::optional<std::string> error;
  const bool shaped = parse_internal::read_count_pairs(cursor, t, error) && cursor.punct('@');
  if (error) throw InputError(source, line_no, *error);
  const bool negative = t.inuse_objects < 0 || t.inuse_bytes < 0 || t.alloc_objects < 0 || t.alloc_bytes < 0;
  const std::string_view type = cursor.word('/');
  if (!shaped || negative || type.empty()) throw InputError(source, line_no, std::string(kMalformedHeader));
  header.has_totals = true;
  int64_t period = 0;
  // As Go's "/?(\d*)": digits right after the slash, else no period.
  if (cursor.immediate('/') && !cursor.rest().empty() && is_digit(cursor.rest().front())) {
    cursor.integer(period, error);
    if (error) throw InputError(source, line_no, *error);
  }
  classify_type(header, type, period, source, line_no);
  return header;
}

// Skips commands and blank lines, then insists on a header.
HeapHeader read_header(LineReader& reader, const std::string& source, Diagnostics& diags) {
  std::string_view line;
  for (;;) {
    const std::size_t line_no = reader.line_number() + 1;
    // Binary data is refused from the bytes at hand, without waiting for a
    // newline that a FIFO's writer may never send.
    const std::string_view first_bytes = reader.ready();
    const std::string_view first_line = first_bytes.substr(0, first_bytes.find('\n'));
    if (has_control_bytes(first_line)) reject_first_line(first_line, source, line_no);
    const auto probe = reader.peek(kProbeBytes);
    if (!probe) throw InputError(source, 0, "empty file, not a heap profile");
    const bool whole = probe->size() < kProbeBytes;
    if (probe->starts_with('%') || (whole && trim(*probe).empty())) {
      reader.next(line);
      if (line.starts_with('%')) handle_command(line, source, line_no, diags);
      continue;
    }
    // Decide from the probe alone; only then read (and drop) the whole line.
    auto header = parse_header(*probe, source, line_no);
    if (!header) header = parse_internal::parse_jemalloc_first_line(*probe, source, line_no);
    if (!header) reject_first_line(*probe, source, line_no);
    reader.next(line);
    return std::move(*header);
  }
}

// ---- records ----

// Parses a trimmed "n1: s1 [n2: s2] @ 0x... 0x..." into `values` and `stack`;
// returns why it is not a record otherwise.
std::optional<std::string> parse_record(std::string_view text, HeapValues& values, std::vector<uint64_t>& stack) {
  Cursor cursor(text);
  HeapValues v;
  if (auto error = parse_internal::parse_counts(cursor, v, kMalformedRecord)) return error;
  if (!cursor.punct('@')) return std::string(kMalformedRecord);
  stack.clear();
  if (auto e = parse_internal::parse_stack(cursor.rest(), stack)) return e;
  values = v;
  return std::nullopt;
}

// Rejects a profile whose values (in-use or allocated, objects or bytes),
// taken as magnitudes, add up past 2^63 - 1: every report sums them in
// int64_t, where overflow is undefined behaviour, and no process ever held
// 8 EiB.  Found by fuzzing (testdata/fuzz/regressions/heap_profile/).
void add_magnitudes_of(HeapProfile& profile, const HeapValues& values, std::size_t line) {
  if (!add_magnitudes(profile.magnitude, values)) {
    throw InputError(profile.source, line,
                     "the counts up to this record add up to more than 2^63-1 (after unsampling); not a real heap profile");
  }
}

// Reads records up to the maps sentinel; true when the sentinel was seen.
// Each record's magnitude is counted before it is folded into an earlier one.
bool read_records(LineReader& reader, HeapProfile& profile, Diagnostics& diags) {
  std::vector<uint64_t> stack;  // reused so each sample's stack is allocated once, exactly sized
  parse_internal::RecordFolder folder(profile.samples);
  const auto end = parse_internal::for_each_record_line(
      reader, profile.source, diags, [&](std::string_view text) -> std::optional<std::string> {
        Sample sample;
        if (auto error = parse_record(text, sample.values, stack)) return error;
        profile.written.add(sample.values);
        sample.values = parse_internal::unsample(sample.values, profile.header);
        sample.line = reader.line_number();
        add_magnitudes_of(profile, sample.values, sample.line);
        sample.stack.assign(stack.begin(), stack.end());
        folder.add(std::move(sample));
        return std::nullopt;
      });
  return end == parse_internal::RecordsEnd::kMaps;
}

// jemalloc writes each stack once: its samples are its records.
void sum_magnitudes(HeapProfile& profile) {
  for (const Sample& sample : profile.samples) add_magnitudes_of(profile, sample.values, sample.line);
}

}  // namespace

HeapProfile parse_heap_profile(std::istream& in, const std::string& source, Diagnostics& diags) {
  HeapProfile profile;
  profile.source = source;
  LineReader reader(in, source);
  profile.header = read_header(reader, source, diags);
  profile.has_maps_section = profile.header.format == ProfileFormat::kJemalloc
                                 ? parse_internal::read_jemalloc_records(reader, profile, diags)
                                 : read_records(reader, profile, diags);
  if (profile.has_maps_section) parse_internal::read_maps(reader, profile, diags);
  if (profile.header.format == ProfileFormat::kJemalloc) sum_magnitudes(profile);
  profile.size = reader.bytes_consumed();
  parse_internal::warn_about_lost_records(profile, diags);
  return profile;
}

HeapProfile read_heap_profile(const std::string& path, Diagnostics& diags) {
  if (path == kStandardInput) {
    std::unique_ptr<std::streambuf> buffer = parse_internal::open_standard_input();
    std::istream in(buffer.get());
    return parse_heap_profile(in, kStandardInputName, diags);
  }
  std::ifstream in = parse_internal::open_input_file(path);
  return parse_heap_profile(in, path, diags);
}

}  // namespace hprof
