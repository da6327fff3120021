// Reading profile text: lines from a stream (LineReader) and tokens from one
// line (Cursor).  Shared by the gperftools and the jemalloc readers; not a
// public interface of the parse stage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hprof::parse_internal {

inline bool is_blank(char c) { return c == ' ' || c == '\t'; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Without leading and trailing white space (blanks, CR, LF, VT, FF).
std::string_view trim(std::string_view s);

// Messages quote input text; keep a 50 MB garbage token from flooding them.
std::string excerpt(std::string_view s);

// The message for a number token that does not fit in 64 bits.
std::string number_out_of_range(std::string_view token);

// Opens a profile or a perf map for reading, refusing before opening what
// cannot be one: opening a directory "works" on Linux, and a device may never
// end.  FIFOs are fine (streams).  Throws InputError naming `path`.
std::ifstream open_input_file(const std::string& path);
// A buffer reading standard input (a duplicate of descriptor 0), with the
// same refusals; it reports what a pipe holds, as a file buffer does, so that
// LineReader reads in chunks.
std::unique_ptr<std::streambuf> open_standard_input();

// Reads lines from a stream through its own growable buffer: no slurping of
// the file, no per-line allocation, and lines of any length.  Views handed
// out stay valid only until the next call.
class LineReader {
 public:
  LineReader(std::istream& in, const std::string& source);

  // The next line without its "\n" or "\r\n"; false at end of input.
  bool next(std::string_view& line);

  // Up to `limit` bytes of the next line, without consuming it; nullopt at
  // end of input.
  std::optional<std::string_view> peek(std::size_t limit);

  // The input read but not yet consumed, waiting only when there is none:
  // empty at end of input.  A first look that never waits for a line's end.
  std::string_view ready();

  // 1-based number of the line last returned by next().
  std::size_t line_number() const { return line_number_; }
  // False when the last line ended at end of input without a newline.
  bool last_line_had_newline() const { return had_newline_; }
  // Bytes consumed so far: the lines returned by next(), with their newlines.
  std::size_t bytes_consumed() const { return consumed_; }

 private:
  bool deliver(std::string_view& line, std::size_t length, std::size_t consumed, bool had_newline);
  bool fill();

  std::istream& in_;
  const std::string& source_;
  std::vector<char> buf_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  std::size_t line_number_ = 0;
  bool had_newline_ = true;
  std::size_t consumed_ = 0;
};

// Walks one line left to right.  The token readers punct, integer and word
// skip blanks first and return false (or an empty word) when their token is
// absent; a number too big for 64 bits also leaves the reason in `error`.
// The others read exactly here, blanks not skipped.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  // True when at least one blank was skipped.
  bool skip_blanks() {
    const std::size_t before = pos_;
    while (pos_ < text_.size() && is_blank(text_[pos_])) ++pos_;
    return pos_ != before;
  }

  bool punct(char c) {
    skip_blanks();
    if (pos_ >= text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  bool integer(int64_t& out, std::optional<std::string>& error);

  // The run of characters up to the next blank or `stop`.
  std::string_view word(char stop = ' ');

  // `c` exactly here.
  bool immediate(char c) {
    if (pos_ >= text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  // `prefix` exactly here.
  bool immediate(std::string_view prefix) {
    if (!rest().starts_with(prefix)) return false;
    pos_ += prefix.size();
    return true;
  }

  // Unsigned digits in `base` exactly here; nullopt when there are none or
  // they overflow 64 bits.
  std::optional<uint64_t> digits(int base);

  // The run of characters here for which `pred` holds.
  template <typename Pred>
  std::string_view take_while(Pred pred) {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && pred(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  bool at_end() const { return pos_ == text_.size(); }
  std::string_view rest() const { return text_.substr(pos_); }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace hprof::parse_internal
