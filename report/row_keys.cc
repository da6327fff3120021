#include "report/row_keys.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "common/paths.h"

namespace hprof {
namespace {

// Go's filepath.Clean, which the Go pprof applies to every file name:
// "./libio/genops.c" -> "libio/genops.c", "/a//b/../c" -> "/a/c".
void append_clean_path(std::string& out, std::string_view path) {
  const bool rooted = !path.empty() && path.front() == '/';
  std::vector<std::string_view> elements;
  std::size_t leading_dotdots = 0;  // ".." elements that cannot be cancelled
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    const std::string_view element = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    if (element.empty() || element == ".") continue;
    if (element != "..") {
      elements.push_back(element);
    } else if (elements.size() > leading_dotdots) {
      elements.pop_back();
    } else if (!rooted) {  // "/.." is "/"
      elements.push_back(element);
      ++leading_dotdots;
    }
  }
  if (rooted) out += '/';
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out += '/';
    out += elements[i];
  }
  if (!rooted && elements.empty()) out += '.';
}

// Go's NameComponents after the function name: " file:line" when the line is
// known, " file" when only the file is, nothing otherwise.
void append_source(std::string& out, const Frame& frame) {
  if (frame.file.empty()) return;
  out += ' ';
  append_clean_path(out, frame.file);
  if (frame.line != 0) fmt::format_to(std::back_inserter(out), ":{}", frame.line);
}

// --files: the source file; without one, "[object]" for code of a mapped file
// (as the Go pprof), the pseudo object itself ("[anon:jit]" for JIT code,
// Java frames included; "[vdso]"), else the placeholder the symbolizer gave
// ("<unknown>").
void append_file(std::string& out, const Frame& frame, const LocationOrigin& origin) {
  if (!frame.file.empty()) {
    append_clean_path(out, frame.file);
  } else if (!origin.object.empty() && origin.object.front() != '[') {
    out += '[';
    out += basename_of(origin.object);
    out += ']';
  } else if (!origin.object.empty()) {
    out += origin.object;
  } else {
    out += frame.function.empty() ? std::string_view("<unknown>") : std::string_view(frame.function);
  }
}

}  // namespace

void append_row_name(std::string& out, const ProfileLocation& location, std::size_t f, Granularity granularity,
                     InlineRows inline_rows) {
  const Frame& frame = location.frames[f];
  switch (granularity) {
    case Granularity::kFunctions:
      out += frame.function;
      break;
    case Granularity::kAddresses:
      fmt::format_to(std::back_inserter(out), "0x{:016x} ", location.address);
      [[fallthrough]];
    case Granularity::kLines:
      out += frame.function;
      append_source(out, frame);
      break;
    case Granularity::kFiles:
      append_file(out, frame, location.origin);
      break;
  }
  if (frame.inlined && inline_rows == InlineRows::kApart) out += " (inline)";
}

void KeyTable::intern(const ProfileLocation& location, std::vector<uint32_t>& ids) {
  if (location.frames.empty()) return;
  if (granularity_ == Granularity::kAddresses) {
    const uint32_t object = intern_object(location.origin.object);
    for (std::size_t f = 0; f < location.frames.size(); ++f) ids.push_back(intern_site(location, f, object));
    return;
  }
  for (std::size_t f = 0; f < location.frames.size(); ++f) ids.push_back(intern_name(location, f));
}

uint32_t KeyTable::add_row(const ProfileLocation& location) {
  const auto id = static_cast<uint32_t>(names_.size());
  names_.emplace_back();
  row_objects_.push_back(intern_object(location.origin.object));
  return id;
}

uint32_t KeyTable::intern_name(const ProfileLocation& location, std::size_t f) {
  scratch_.clear();
  append_row_name(scratch_, location, f, granularity_, inline_rows_);
  if (auto it = by_name_.find(std::string_view(scratch_)); it != by_name_.end()) return it->second;
  const uint32_t id = add_row(location);
  names_.back() = scratch_;
  by_name_.emplace(names_.back(), id);  // a deque never moves its elements
  return id;
}

uint32_t KeyTable::intern_object(const std::string& object) {
  auto it = objects_.find(std::string_view(object));
  if (it == objects_.end()) {
    it = objects_.emplace(object, static_cast<uint32_t>(object_names_.size())).first;
    object_names_.push_back(object);
  }
  return it->second;
}

uint32_t KeyTable::intern_site(const ProfileLocation& location, std::size_t f, uint32_t object) {
  const Site site{object, static_cast<uint32_t>(f), location.origin.object_offset};
  auto [it, inserted] = sites_.try_emplace(site, static_cast<uint32_t>(names_.size()));
  if (inserted) {
    add_row(location);
    append_row_name(names_.back(), location, f, granularity_, inline_rows_);
  }
  return it->second;
}

void LocationRows::assign(const Profile& profile, KeyTable& keys) {
  begin_.assign(profile.locations.size() + 1, 0);
  ids_.clear();
  for (std::size_t l = 0; l < profile.locations.size(); ++l) {
    begin_[l] = static_cast<uint32_t>(ids_.size());
    keys.intern(profile.locations[l], ids_);
  }
  begin_[profile.locations.size()] = static_cast<uint32_t>(ids_.size());
}

bool LocationRows::has_frame(const ProfileSample& sample) const {
  return std::any_of(sample.locations.begin(), sample.locations.end(),
                     [&](uint32_t l) { return begin_[l] != begin_[l + 1]; });
}

}  // namespace hprof
