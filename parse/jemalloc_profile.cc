// Reads jemalloc dumps as jeprof's ReadThreadedHeapProfile does (only the
// "t*:" line of each stack counts; "tN:" lines are per thread), but strictly:
// where jeprof silently skips a line it cannot read, this is an error naming
// the line.  Unsampling is the Go pprof's (parse/heap_profile.h
// unsample_pair), the formula jeprof's AdjustSamples applies to "heap_v2"
// without truncating to integers.
#include "parse/jemalloc_profile.h"

#include <charconv>
#include <vector>

#include "common/error.h"
#include "parse/profile_lines.h"

namespace hprof::parse_internal {
namespace {

constexpr std::string_view kFirstLinePrefix = "heap_v2/";
constexpr std::string_view kMalformedThreadLine =
    "malformed jemalloc line: expected 't*: count: bytes [count: bytes]'";
constexpr std::string_view kMalformedLine =
    "malformed jemalloc line: expected '@ 0x...' or 't*: count: bytes [count: bytes]'";

// One "t*: ..." or "tN: ..." line.
struct ThreadLine {
  bool all_threads = false;  // "t*"
  HeapValues values;       // raw
};

std::optional<std::string> parse_thread_line(std::string_view text, ThreadLine& out) {
  Cursor cursor(text);
  if (!cursor.immediate('t')) return std::string(kMalformedLine);
  if (cursor.immediate('*')) {
    out.all_threads = true;
  } else {
    out.all_threads = false;
    std::size_t digits = 0;
    while (!cursor.rest().empty() && is_digit(cursor.rest().front())) {
      cursor.immediate(cursor.rest().front());
      ++digits;
    }
    if (digits == 0) return std::string(kMalformedThreadLine);
  }
  if (!cursor.punct(':')) return std::string(kMalformedThreadLine);
  if (auto error = parse_counts(cursor, out.values, kMalformedThreadLine)) return error;
  if (!trim(cursor.rest()).empty()) return std::string(kMalformedThreadLine);
  return std::nullopt;
}

// The reader's state between lines.
class JemallocRecords {
 public:
  JemallocRecords(LineReader& reader, HeapProfile& profile, Diagnostics& diags)
      : reader_(reader), profile_(profile), diags_(diags) {}

  bool read() {
    const auto end = for_each_record_line(reader_, profile_.source, diags_, [this](std::string_view text) {
      if (text.front() == '@') return stack_line(text.substr(1));
      if (text.front() == 't') return thread_line(text);
      return std::optional<std::string>(kMalformedLine);  // or the maps sentinel
    });
    if (end == RecordsEnd::kMaps) {
      finish_pending();
      return true;
    }
    // A stack still waiting for its values at the end of the file: cut short
    // between the two (a cut-short line itself was warned about already).
    if (end == RecordsEnd::kEndOfInput && pending_) {
      warn_incomplete_last_record(diags_, profile_.source, profile_.samples.back().line);
    }
    if (pending_) profile_.samples.pop_back();
    return false;
  }

 private:
  std::optional<std::string> stack_line(std::string_view addresses) {
    finish_pending();
    stack_.clear();
    if (auto error = parse_stack(addresses, stack_)) return error;
    Sample& sample = profile_.samples.emplace_back();
    sample.stack.assign(stack_.begin(), stack_.end());
    sample.line = reader_.line_number();
    pending_ = true;
    return std::nullopt;
  }

  std::optional<std::string> thread_line(std::string_view text) {
    ThreadLine parsed;
    if (auto error = parse_thread_line(text, parsed)) return error;
    if (!parsed.all_threads) return std::nullopt;  // per thread: jeprof keeps them apart; the report does not
    if (profile_.samples.empty()) {
      // Before the first stack: the profile's own totals.
      if (seen_totals_) return std::string("a second 't*:' totals line before the first stack");
      seen_totals_ = true;
      profile_.header.totals = parsed.values;
      profile_.header.has_totals = true;
      return std::nullopt;
    }
    if (!pending_) return std::string("a second 't*:' line for the same stack");
    profile_.samples.back().values = unsample(parsed.values, profile_.header);
    profile_.written.add(parsed.values);
    pending_ = false;
    return std::nullopt;
  }

  // A stack must have its "t*:" line before the next stack or the maps.
  void finish_pending() {
    if (!pending_) return;
    throw InputError(profile_.source, profile_.samples.back().line, "stack without a 't*:' line");
  }

  LineReader& reader_;
  HeapProfile& profile_;
  Diagnostics& diags_;
  std::vector<uint64_t> stack_;  // reused, so each sample's stack is allocated once, exactly sized
  // True while the last sample is a stack waiting for its "t*:" line (taken
  // back when the file ends first); no sample yet means no stack seen yet.
  bool pending_ = false;
  bool seen_totals_ = false;
};

}  // namespace

std::optional<HeapHeader> parse_jemalloc_first_line(std::string_view line, const std::string& source,
                                                    std::size_t line_no) {
  line = trim(line);
  if (!line.starts_with(kFirstLinePrefix) || line.size() == kFirstLinePrefix.size()) return std::nullopt;
  const std::string_view digits = line.substr(kFirstLinePrefix.size());
  if (digits.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  uint64_t period = 0;
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), period);
  if (ec != std::errc()) throw InputError(source, line_no, number_out_of_range(digits));
  HeapHeader header;
  header.tag = "heap_v2";
  header.format = ProfileFormat::kJemalloc;
  header.sampling = Sampling::kPoisson;
  header.period = period;
  return header;
}

bool read_jemalloc_records(LineReader& reader, HeapProfile& profile, Diagnostics& diags) {
  JemallocRecords records(reader, profile, diags);
  return records.read();
}

}  // namespace hprof::parse_internal
