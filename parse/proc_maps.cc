#include "parse/proc_maps.h"

#include <charconv>

namespace hprof {
namespace {

constexpr std::string_view kDeletedSuffix = " (deleted)";

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// Walks one maps line left to right.  Every reader returns nullopt/false
// without consuming anything useful when its token is absent, so the caller
// simply gives up on the line.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  // True when at least one blank was skipped: fields must be separated.
  bool blanks() {
    const std::size_t before = pos_;
    while (pos_ < text_.size() && is_blank(text_[pos_])) ++pos_;
    return pos_ != before;
  }

  bool consume(char c) {
    if (pos_ >= text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  bool consume(std::string_view prefix) {
    if (text_.substr(pos_).substr(0, prefix.size()) != prefix) return false;
    pos_ += prefix.size();
    return true;
  }

  // Digits in `base`; nullopt when there are none or they overflow 64 bits.
  std::optional<uint64_t> number(int base) {
    uint64_t value = 0;
    const char* first = text_.data() + pos_;
    const char* last = text_.data() + text_.size();
    const auto [ptr, ec] = std::from_chars(first, last, value, base);
    if (ec != std::errc()) return std::nullopt;
    pos_ += static_cast<std::size_t>(ptr - first);
    return value;
  }

  // A hex address with an optional "0x", as both maps forms write them.
  std::optional<uint64_t> address() {
    consume("0x");
    return number(16);
  }

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

bool is_perm_char(char c) { return c == '-' || c == 'r' || c == 'w' || c == 'x' || c == 'p' || c == 's'; }

// The kernel marks files replaced or unlinked since they were mapped; the
// symbolizer may still find them under the plain name.
void set_path(Mapping& mapping, std::string_view path) {
  path = trim_right(path);
  if (path.size() > kDeletedSuffix.size() && path.ends_with(kDeletedSuffix)) {
    path.remove_suffix(kDeletedSuffix.size());
    mapping.deleted = true;
  }
  mapping.path = std::string(path);
}

// "perms offset dev inode [path]" after "start-end".
std::optional<Mapping> finish_proc_form(Scanner& sc, Mapping mapping) {
  if (!sc.blanks()) return std::nullopt;
  mapping.perms = std::string(sc.take_while(is_perm_char));
  if (mapping.perms.empty() || !sc.blanks()) return std::nullopt;
  const auto offset = sc.number(16);
  if (!offset || !sc.blanks()) return std::nullopt;
  mapping.offset = *offset;
  // The device "major:minor" is not kept, but it must be there: it is what
  // tells a maps line from arbitrary text.
  if (!sc.number(16) || !sc.consume(':') || !sc.number(16) || !sc.blanks()) return std::nullopt;
  const auto inode = sc.number(10);
  if (!inode) return std::nullopt;
  mapping.inode = *inode;
  // Anonymous memory has no path; otherwise a run of blanks precedes it and
  // everything after that run (inner spaces included) is the path.
  if (!sc.at_end() && !sc.blanks()) return std::nullopt;
  set_path(mapping, sc.rest());
  return mapping;
}

// gperftools' brief form "start-end: /path (@offset)": it lists only code, so
// the mapping counts as executable.
std::optional<Mapping> finish_brief_form(Scanner& sc, Mapping mapping) {
  mapping.perms = "r-xp";
  std::string_view rest = trim_right(sc.rest());
  const std::size_t at = rest.rfind("(@");
  if (at != std::string_view::npos && rest.ends_with(')')) {
    Scanner offset_scanner(rest.substr(at + 2, rest.size() - at - 3));
    const auto offset = offset_scanner.number(16);
    if (!offset || !offset_scanner.at_end()) return std::nullopt;
    mapping.offset = *offset;
    rest = rest.substr(0, at);
  }
  while (!rest.empty() && is_blank(rest.front())) rest.remove_prefix(1);
  set_path(mapping, rest);
  return mapping;
}

}  // namespace

std::optional<Mapping> parse_maps_line(std::string_view line) {
  Scanner sc(line);
  sc.blanks();
  Mapping mapping;
  const auto start = sc.address();
  if (!start || !sc.consume('-')) return std::nullopt;
  const auto limit = sc.address();
  if (!limit) return std::nullopt;
  mapping.start = *start;
  mapping.limit = *limit;
  if (sc.consume(':')) return finish_brief_form(sc, std::move(mapping));
  return finish_proc_form(sc, std::move(mapping));
}

}  // namespace hprof
