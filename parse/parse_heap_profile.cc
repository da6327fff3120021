#include "parse/parse_heap_profile.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <optional>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "parse/proc_maps.h"

namespace hprof {
namespace {

// How much of the first line we look at before deciding whether the input is
// a heap profile at all.  Bounded so that /dev/zero or a binary file gets an
// answer at once instead of being read whole in search of a newline.
constexpr std::size_t kProbeBytes = 4096;
constexpr std::size_t kReadChunk = 256 * 1024;

constexpr std::string_view kHeaderPrefix = "heap profile:";
constexpr std::string_view kMalformedRecord =
    "malformed record: expected 'count: bytes [count: bytes] @ addresses'";
constexpr std::string_view kMalformedHeader =
    "malformed header: expected 'heap profile: N: N [N: N] @ TYPE'";

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return is_blank(c) || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Messages quote input text; keep a 50 MB garbage token from flooding them.
std::string excerpt(std::string_view s) {
  constexpr std::size_t kMax = 40;
  if (s.size() <= kMax) return std::string(s);
  return std::string(s.substr(0, kMax)) + "...";
}

// Reads lines from a stream through its own growable buffer: no slurping of
// the file, no per-line allocation, and lines of any length.  Views handed
// out stay valid only until the next call.
class LineReader {
 public:
  LineReader(std::istream& in, const std::string& source) : in_(in), source_(source), buf_(kReadChunk) {}

  // The next line without its "\n" or "\r\n"; false at end of input.
  bool next(std::string_view& line) {
    std::size_t scanned = 0;  // bytes of this line already searched for '\n'
    for (;;) {
      const std::size_t available = end_ - begin_;
      const char* start = buf_.data() + begin_;
      if (const void* nl = std::memchr(start + scanned, '\n', available - scanned)) {
        const auto length = static_cast<std::size_t>(static_cast<const char*>(nl) - start);
        return deliver(line, length, length + 1, true);
      }
      scanned = available;
      if (!fill()) {
        if (available == 0) return false;
        return deliver(line, available, available, false);
      }
    }
  }

  // Up to `limit` bytes of the next line, without consuming it; nullopt at
  // end of input.
  std::optional<std::string_view> peek(std::size_t limit) {
    std::size_t scanned = 0;
    for (;;) {
      const std::size_t available = end_ - begin_;
      const std::size_t window = std::min(available, limit);
      const char* start = buf_.data() + begin_;
      if (const void* nl = std::memchr(start + scanned, '\n', window - scanned)) {
        return strip_cr(std::string_view(start, static_cast<std::size_t>(static_cast<const char*>(nl) - start)));
      }
      if (available >= limit) return std::string_view(start, limit);
      scanned = available;
      if (!fill()) {
        if (available == 0) return std::nullopt;
        return strip_cr(std::string_view(start, available));
      }
    }
  }

  // 1-based number of the line last returned by next().
  std::size_t line_number() const { return line_number_; }
  // False when the last line ended at end of input without a newline.
  bool last_line_had_newline() const { return had_newline_; }

 private:
  static std::string_view strip_cr(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  }

  bool deliver(std::string_view& line, std::size_t length, std::size_t consumed, bool had_newline) {
    line = strip_cr(std::string_view(buf_.data() + begin_, length));
    begin_ += consumed;
    had_newline_ = had_newline;
    ++line_number_;
    return true;
  }

  // Appends more input after the pending bytes, moving them to the front and
  // growing the buffer when one line fills it.  False at end of input.
  bool fill() {
    if (eof_) return false;
    if (begin_ > 0) {
      std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
    in_.read(buf_.data() + end_, static_cast<std::streamsize>(buf_.size() - end_));
    const auto got = static_cast<std::size_t>(in_.gcount());
    if (in_.bad()) throw InputError(source_, 0, "read error");
    end_ += got;
    if (got == 0 || in_.eof()) eof_ = true;
    return got > 0;
  }

  std::istream& in_;
  const std::string& source_;
  std::vector<char> buf_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  std::size_t line_number_ = 0;
  bool had_newline_ = true;
};

// Walks one line left to right.  Each token reader skips blanks first and
// returns false when its token is absent; a number too big for 64 bits also
// leaves the reason in `error`.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  void skip_blanks() {
    while (pos_ < text_.size() && is_blank(text_[pos_])) ++pos_;
  }

  bool punct(char c) {
    skip_blanks();
    if (pos_ >= text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  bool integer(int64_t& out, std::optional<std::string>& error) {
    skip_blanks();
    const char* first = text_.data() + pos_;
    const auto [ptr, ec] = std::from_chars(first, text_.data() + text_.size(), out);
    if (ec == std::errc::result_out_of_range) {
      error = fmt::format("number out of range '{}'", excerpt(std::string_view(first, ptr)));
      return false;
    }
    if (ec != std::errc()) return false;
    pos_ += static_cast<std::size_t>(ptr - first);
    return true;
  }

  // The run of characters up to the next blank or `stop`.
  std::string_view word(char stop = ' ') {
    skip_blanks();
    const std::size_t start = pos_;
    while (pos_ < text_.size() && !is_blank(text_[pos_]) && text_[pos_] != stop) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  // `c` exactly here, blanks not skipped.
  bool immediate(char c) {
    if (pos_ >= text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  std::string_view rest() const { return text_.substr(pos_); }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

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

// jemalloc's own heap dump starts with a bare "heap_v2/PERIOD" line.
bool is_jemalloc_first_line(std::string_view line) {
  constexpr std::string_view kPrefix = "heap_v2/";
  line = trim(line);
  if (!line.starts_with(kPrefix) || line.size() == kPrefix.size()) return false;
  return line.substr(kPrefix.size()).find_first_not_of("0123456789") == std::string_view::npos;
}

// Says, as precisely as we can, what the first line is instead of a header.
[[noreturn]] void reject_first_line(std::string_view line, const std::string& source, std::size_t line_no) {
  if (line.starts_with("\x7f" "ELF")) {
    throw InputError(source, line_no,
                     "this is an ELF file, not a heap profile; the program goes first: hprof-text PROGRAM PROFILE");
  }
  if (has_control_bytes(line)) throw InputError(source, line_no, "binary data, not a text heap profile");
  if (is_jemalloc_first_line(line)) throw InputError(source, line_no, "jemalloc heap profiles are not supported yet");
  throw InputError(source, line_no, "not a gperftools heap profile (first line is not 'heap profile: ...')");
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
  SampleValues& t = header.totals;
  std::optional<std::string> error;
  const bool shaped = cursor.integer(t.inuse_objects, error) && cursor.punct(':') &&
                      cursor.integer(t.inuse_bytes, error) && cursor.punct('[') &&
                      cursor.integer(t.alloc_objects, error) && cursor.punct(':') &&
                      cursor.integer(t.alloc_bytes, error) && cursor.punct(']') && cursor.punct('@');
  if (error) throw InputError(source, line_no, *error);
  const bool negative = t.inuse_objects < 0 || t.inuse_bytes < 0 || t.alloc_objects < 0 || t.alloc_bytes < 0;
  const std::string_view type = cursor.word('/');
  if (!shaped || negative || type.empty()) throw InputError(source, line_no, std::string(kMalformedHeader));
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
    const auto probe = reader.peek(kProbeBytes);
    if (!probe) throw InputError(source, 0, "empty file, not a heap profile");
    const std::size_t line_no = reader.line_number() + 1;
    const bool whole = probe->size() < kProbeBytes;
    if (probe->starts_with('%') || (whole && trim(*probe).empty())) {
      reader.next(line);
      if (line.starts_with('%')) handle_command(line, source, line_no, diags);
      continue;
    }
    // Decide from the probe alone; only then read (and drop) the whole line.
    auto header = parse_header(*probe, source, line_no);
    if (!header) reject_first_line(*probe, source, line_no);
    reader.next(line);
    return std::move(*header);
  }
}

// ---- records ----

std::optional<std::string> parse_address(std::string_view token, uint64_t& pc) {
  if (token.size() > 2 && token[0] == '0' && (token[1] == 'x' || token[1] == 'X')) {
    const char* first = token.data() + 2;
    const char* last = token.data() + token.size();
    const auto [ptr, ec] = std::from_chars(first, last, pc, 16);
    if (ec == std::errc() && ptr == last) return std::nullopt;
    if (ec == std::errc::result_out_of_range) return fmt::format("number out of range '{}'", excerpt(token));
  }
  return fmt::format("malformed address '{}'", excerpt(token));
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

std::optional<std::string> check_pair(int64_t count, int64_t bytes, const char* what) {
  if (count == 0 && bytes != 0) return fmt::format("{0} count is 0 but {0} bytes is {1}", what, bytes);
  return std::nullopt;
}

// Parses a trimmed "n1: s1 [n2: s2] @ 0x... 0x..." into `values` and `stack`;
// returns why it is not a record otherwise.  Only the in-use pair may be
// negative (gperftools writes differences there in some modes).
std::optional<std::string> parse_record(std::string_view text, SampleValues& values, std::vector<uint64_t>& stack) {
  Cursor cursor(text);
  SampleValues v;
  std::optional<std::string> error;
  const bool shaped = cursor.integer(v.inuse_objects, error) && cursor.punct(':') &&
                      cursor.integer(v.inuse_bytes, error) && cursor.punct('[') &&
                      cursor.integer(v.alloc_objects, error) && cursor.punct(':') &&
                      cursor.integer(v.alloc_bytes, error) && cursor.punct(']') && cursor.punct('@');
  if (error) return error;
  if (!shaped) return std::string(kMalformedRecord);
  if (v.alloc_objects < 0) return fmt::format("negative allocated count {}", v.alloc_objects);
  if (v.alloc_bytes < 0) return fmt::format("negative allocated bytes {}", v.alloc_bytes);
  if (auto e = check_pair(v.inuse_objects, v.inuse_bytes, "in-use")) return e;
  if (auto e = check_pair(v.alloc_objects, v.alloc_bytes, "allocated")) return e;
  stack.clear();
  if (auto e = parse_stack(cursor.rest(), stack)) return e;
  values = v;
  return std::nullopt;
}

SampleValues unsample(const SampleValues& raw, const HeapHeader& header) {
  if (header.sampling != Sampling::kPoisson) return raw;
  const CountBytes inuse = unsample_pair(raw.inuse_objects, raw.inuse_bytes, header.period);
  const CountBytes alloc = unsample_pair(raw.alloc_objects, raw.alloc_bytes, header.period);
  return {inuse.count, inuse.bytes, alloc.count, alloc.bytes};
}

bool is_memory_map_sentinel(std::string_view line) {
  return line.find("MAPPED_LIBRARIES:") != std::string_view::npos ||
         line.find("--- Memory map: ---") != std::string_view::npos;
}

// Reads records up to the maps sentinel; true when the sentinel was seen.
bool read_records(LineReader& reader, HeapProfile& profile, Diagnostics& diags) {
  std::vector<uint64_t> stack;  // reused so each sample's stack is allocated once, exactly sized
  std::string_view line;
  while (reader.next(line)) {
    const std::string_view text = trim(line);
    if (text.empty() || text.front() == '#') continue;
    Sample sample;
    auto error = parse_record(text, sample.values, stack);
    if (!error) {
      sample.values = unsample(sample.values, profile.header);
      sample.stack.assign(stack.begin(), stack.end());
      sample.line = reader.line_number();
      profile.samples.push_back(std::move(sample));
      continue;
    }
    // Checked only after a record fails: a valid record cannot contain it,
    // and searching every record line would cost time on large profiles.
    if (is_memory_map_sentinel(text)) return true;
    if (!reader.last_line_had_newline()) {
      diags.warn_once(fmt::format("{}:{}: last record is incomplete (file cut short?); it was skipped",
                                  profile.source, reader.line_number()));
      return false;
    }
    throw InputError(profile.source, reader.line_number(), *error);
  }
  return false;
}

void read_maps(LineReader& reader, HeapProfile& profile) {
  std::string_view line;
  while (reader.next(line)) {
    if (auto mapping = parse_maps_line(line)) {
      mapping->line = reader.line_number();
      profile.mappings.push_back(std::move(*mapping));
    }
  }
}

// Refuses what cannot be a profile before opening it: opening a directory
// "works" on Linux, and a device may never end.  FIFOs are fine (streams).
void check_openable(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw InputError(path, 0, std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw InputError(path, 0, "is a directory");
  if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) throw InputError(path, 0, "not a regular file");
}

}  // namespace

HeapProfile parse_heap_profile(std::istream& in, const std::string& source, Diagnostics& diags) {
  HeapProfile profile;
  profile.source = source;
  LineReader reader(in, source);
  profile.header = read_header(reader, source, diags);
  profile.has_maps_section = read_records(reader, profile, diags);
  if (profile.has_maps_section) read_maps(reader, profile);
  return profile;
}

HeapProfile read_heap_profile(const std::string& path, Diagnostics& diags) {
  check_openable(path);
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, errno != 0 ? std::strerror(errno) : "cannot open file");
  return parse_heap_profile(in, path, diags);
}

}  // namespace hprof
