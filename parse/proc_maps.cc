#include "parse/proc_maps.h"

#include "parse/line_reader.h"

namespace hprof {
namespace {

using parse_internal::Cursor;
using parse_internal::trim;

constexpr std::string_view kDeletedSuffix = " (deleted)";

// A hex address with an optional "0x", as both maps forms write them.
std::optional<uint64_t> address(Cursor& cursor) {
  cursor.immediate("0x");
  return cursor.digits(16);
}

bool is_perm_char(char c) { return c == '-' || c == 'r' || c == 'w' || c == 'x' || c == 'p' || c == 's'; }

// The kernel marks files replaced or unlinked since they were mapped; the
// symbolizer may still find them under the plain name.
void set_path(Mapping& mapping, std::string_view path) {
  path = trim(path);
  if (path.size() > kDeletedSuffix.size() && path.ends_with(kDeletedSuffix)) {
    path.remove_suffix(kDeletedSuffix.size());
    mapping.deleted = true;
  }
  mapping.path = std::string(path);
}

// "perms offset dev inode [path]" after "start-end".
std::optional<Mapping> finish_proc_form(Cursor& sc, Mapping mapping) {
  if (!sc.skip_blanks()) return std::nullopt;
  mapping.perms = std::string(sc.take_while(is_perm_char));
  if (mapping.perms.empty() || !sc.skip_blanks()) return std::nullopt;
  const auto offset = sc.digits(16);
  if (!offset || !sc.skip_blanks()) return std::nullopt;
  mapping.offset = *offset;
  // The device "major:minor" is not kept, but it must be there: it is what
  // tells a maps line from arbitrary text.
  if (!sc.digits(16) || !sc.immediate(':') || !sc.digits(16) || !sc.skip_blanks()) return std::nullopt;
  const auto inode = sc.digits(10);
  if (!inode) return std::nullopt;
  mapping.inode = *inode;
  // Anonymous memory has no path; otherwise a run of blanks precedes it and
  // everything after that run (inner spaces included) is the path.
  if (!sc.at_end() && !sc.skip_blanks()) return std::nullopt;
  set_path(mapping, sc.rest());
  return mapping;
}

// gperftools' brief form "start-end: /path (@offset)": it lists only code, so
// the mapping counts as executable.
std::optional<Mapping> finish_brief_form(Cursor& sc, Mapping mapping) {
  mapping.perms = "r-xp";
  std::string_view rest = trim(sc.rest());
  const std::size_t at = rest.rfind("(@");
  if (at != std::string_view::npos && rest.ends_with(')')) {
    Cursor offset_cursor(rest.substr(at + 2, rest.size() - at - 3));
    const auto offset = offset_cursor.digits(16);
    if (!offset || !offset_cursor.at_end()) return std::nullopt;
    mapping.offset = *offset;
    rest = rest.substr(0, at);
  }
  set_path(mapping, rest);
  return mapping;
}

}  // namespace

std::optional<Mapping> parse_maps_line(std::string_view line) {
  // Trimmed whole: a stray CR or trailing blanks end no field.
  Cursor sc(trim(line));
  Mapping mapping;
  const auto start = address(sc);
  if (!start || !sc.immediate('-')) return std::nullopt;
  const auto limit = address(sc);
  if (!limit) return std::nullopt;
  mapping.start = *start;
  mapping.limit = *limit;
  if (sc.immediate(':')) return finish_brief_form(sc, std::move(mapping));
  return finish_proc_form(sc, std::move(mapping));
}

}  // namespace hprof
