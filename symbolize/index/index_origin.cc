// index_origin: what an index says it was built for, from a few reads.
#include <algorithm>

#include "symbolize/index/index_file.h"
#include "symbolize/index/symbol_index.h"

namespace hprof {

using namespace index_format;

namespace {

// The NUL-terminated string at `offset` of the string pool `strings`, read
// with pread, at most `max` bytes; nullopt when it is out of bounds or longer.
std::optional<std::string> pread_string(int fd, const SectionRef& strings, uint32_t offset, std::size_t max) {
  if (offset >= strings.count) return std::nullopt;
  std::string text(static_cast<std::size_t>(std::min<uint64_t>(max + 1, strings.count - offset)), '\0');
  const ssize_t got = pread(fd, text.data(), text.size(), static_cast<off_t>(strings.offset + offset));
  if (got < 0) return std::nullopt;
  const std::size_t end = text.find('\0');
  if (end == std::string::npos || end >= static_cast<std::size_t>(got)) return std::nullopt;
  text.resize(end);
  return text;
}

}  // namespace

std::optional<IndexOrigin> index_origin(const std::string& path) {
  IndexFile index;
  if (open_index_file(path, index)) return std::nullopt;
  const int fd = index.fd;
  const uint64_t size = index.size;
  Header header{};
  SourceRecord file{};
  const SectionRef& sources = header.sections[kSources];
  const SectionRef& strings = header.sections[kStrings];
  if (pread(fd, &header, sizeof header, 0) != static_cast<ssize_t>(sizeof header) || header.file_size != size ||
      !in_bounds(sources, sizeof(SourceRecord), size) || sources.count == 0 || !in_bounds(strings, 1, size) ||
      pread(fd, &file, sizeof file, static_cast<off_t>(sources.offset)) != static_cast<ssize_t>(sizeof file)) {
    return std::nullopt;
  }
  constexpr std::size_t kMaxBuildId = 256, kMaxPath = 4096;
  std::optional<std::string> build_id = pread_string(fd, strings, header.build_id, kMaxBuildId);
  std::optional<std::string> file_path = pread_string(fd, strings, file.path, kMaxPath);
  if (!build_id || !file_path) return std::nullopt;
  return IndexOrigin{std::move(*build_id), std::move(*file_path)};
}

}  // namespace hprof
