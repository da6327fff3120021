#include "parse/line_reader.h"

#include <fmt/format.h>
#include <ext/stdio_filebuf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <exception>
#include <streambuf>

#include "common/error.h"
#include "common/paths.h"

namespace hprof::parse_internal {
namespace {

constexpr std::size_t kReadChunk = 256 * 1024;

bool is_space(char c) { return is_blank(c) || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

std::string_view strip_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string excerpt(std::string_view s) {
  constexpr std::size_t kMax = 40;
  if (s.size() <= kMax) return std::string(s);
  return std::string(s.substr(0, kMax)) + "...";
}

std::string number_out_of_range(std::string_view token) {
  return fmt::format("number out of range '{}'", excerpt(token));
}

namespace {

// What open_input_file() refuses, from the file's status.
void refuse_unreadable_kind(const struct stat& st, const std::string& name) {
  if (S_ISDIR(st.st_mode)) throw InputError(name, 0, "is a directory");
  if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) throw InputError(name, 0, "not a regular file");
}

}  // namespace

std::ifstream open_input_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw InputError(path, 0, std::strerror(errno));
  refuse_unreadable_kind(st, path);
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, errno != 0 ? std::strerror(errno) : "cannot open file");
  return in;
}

std::unique_ptr<std::streambuf> open_standard_input() {
  const std::string kName = kStandardInputName;
  struct stat st {};
  if (::fstat(STDIN_FILENO, &st) != 0) throw InputError(kName, 0, std::strerror(errno));
  refuse_unreadable_kind(st, kName);
  const int fd = ::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
  if (fd < 0) throw InputError(kName, 0, std::strerror(errno));
  auto buffer = std::make_unique<__gnu_cxx::stdio_filebuf<char>>(fd, std::ios::in | std::ios::binary);
  if (!buffer->is_open()) throw InputError(kName, 0, "cannot read standard input");
  return buffer;
}

LineReader::LineReader(std::istream& in, const std::string& source) : in_(in), source_(source), buf_(kReadChunk) {}

bool LineReader::next(std::string_view& line) {
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

std::optional<std::string_view> LineReader::peek(std::size_t limit) {
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

std::string_view LineReader::ready() {
  if (begin_ == end_) fill();
  return std::string_view(buf_.data() + begin_, end_ - begin_);
}

bool LineReader::deliver(std::string_view& line, std::size_t length, std::size_t consumed, bool had_newline) {
  line = strip_cr(std::string_view(buf_.data() + begin_, length));
  begin_ += consumed;
  consumed_ += consumed;
  had_newline_ = had_newline;
  ++line_number_;
  return true;
}

// Appends more input after the pending bytes, moving them to the front and
// growing the buffer when one line fills it.  False at end of input.
// It takes what the stream has ready and waits only while it has nothing:
// istream::read() would wait for the whole chunk, so a FIFO whose writer
// sent a bad first line but keeps the pipe open would never be answered.
bool LineReader::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
  std::streambuf* stream = in_.rdbuf();
  std::streamsize got = 0;
  try {
    // in_avail(): bytes buffered, else what the file or pipe holds (FIONREAD).
    std::streamsize ready = stream->in_avail();
    if (ready <= 0 && stream->sgetc() != std::char_traits<char>::eof()) {
      ready = std::max<std::streamsize>(stream->in_avail(), 1);
    }
    const auto room = static_cast<std::streamsize>(buf_.size() - end_);
    if (ready > 0) got = stream->sgetn(buf_.data() + end_, std::min(ready, room));
  } catch (const std::exception&) {  // libstdc++'s filebuf throws on a failed read(2)
    throw InputError(source_, 0, "read error");
  }
  end_ += static_cast<std::size_t>(got);
  if (got == 0) eof_ = true;
  return got > 0;
}

bool Cursor::integer(int64_t& out, std::optional<std::string>& error) {
  skip_blanks();
  const char* first = text_.data() + pos_;
  const auto [ptr, ec] = std::from_chars(first, text_.data() + text_.size(), out);
  if (ec == std::errc::result_out_of_range) {
    error = number_out_of_range(std::string_view(first, ptr));
    return false;
  }
  if (ec != std::errc()) return false;
  pos_ += static_cast<std::size_t>(ptr - first);
  return true;
}

std::optional<uint64_t> Cursor::digits(int base) {
  uint64_t value = 0;
  const char* first = text_.data() + pos_;
  const auto [ptr, ec] = std::from_chars(first, text_.data() + text_.size(), value, base);
  if (ec != std::errc()) return std::nullopt;
  pos_ += static_cast<std::size_t>(ptr - first);
  return value;
}

std::string_view Cursor::word(char stop) {
  skip_blanks();
  const std::size_t start = pos_;
  while (pos_ < text_.size() && !is_blank(text_[pos_]) && text_[pos_] != stop) ++pos_;
  return text_.substr(start, pos_ - start);
}

}  // namespace hprof::parse_internal
