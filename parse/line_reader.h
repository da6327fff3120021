// Reading profile text: lines from a stream (LineReader) and tokens from one
// line (Cursor).  Shared by the gperftools and the jemalloc readers; not a
// public interface of the parse stage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hprof::parse_internal {

inline bool is_blank(char c) { return c == ' ' || c == '\t'; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s);

// Messages quote input text; keep a 50 MB garbage token from flooding them.
std::string excerpt(std::string_view s);

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

  // 1-based number of the line last returned by next().
  std::size_t line_number() const { return line_number_; }
  // False when the last line ended at end of input without a newline.
  bool last_line_had_newline() const { return had_newline_; }

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

  bool integer(int64_t& out, std::optional<std::string>& error);

  // The run of characters up to the next blank or `stop`.
  std::string_view word(char stop = ' ');

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

}  // namespace hprof::parse_internal
