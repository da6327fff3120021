// Reading an index file: opening it and checking what it says of itself
// (prefix, size, checksum, bounds) and of what it was built from (the key).
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "symbolize/index/index_format.h"
#include "symbolize/index/symbol_index.h"

namespace hprof::index_format {

// Whether `section` lies inside a file of `size` bytes, aligned.
inline bool in_bounds(const SectionRef& section, std::size_t record_size, uint64_t size) {
  return section.offset >= sizeof(Header) && section.offset % 8 == 0 && section.offset <= size &&
         section.count <= (size - section.offset) / record_size;
}

// The string at `offset` in `pool`; nullopt when it is outside.  The pool
// ends with a NUL (open() checks), so every string in it ends.
inline std::optional<std::string_view> string_in(std::string_view pool, uint32_t offset) {
  if (offset >= pool.size()) return std::nullopt;
  return std::string_view(pool.data() + offset);
}

struct Rejection {
  IndexRejection why;
  std::string reason;
  std::optional<size_t> changed_source = std::nullopt;
};

// An index file open for reading, closed on every way out (a mapping of it
// outlives the descriptor).
struct IndexFile {
  int fd = -1;
  uint64_t size = 0;
  IndexFile() = default;
  IndexFile(const IndexFile&) = delete;
  IndexFile& operator=(const IndexFile&) = delete;
  ~IndexFile() {
    if (fd >= 0) close(fd);
  }
};

// Opens `path` into `file`: a regular file whose prefix is this version's.
std::optional<Rejection> open_index_file(const std::string& path, IndexFile& file);

// Size, checksum, then whether the sections lie inside the file.
std::optional<Rejection> check_file(const Header& header, const unsigned char* base, uint64_t size);

// Whether the index (its build-id, its sources with their paths in
// `strings`) was built for `key`, naming the first difference.
std::optional<Rejection> check_key(std::string_view build_id, std::span<const SourceRecord> sources,
                                   std::string_view strings, const IndexKey& key);

}  // namespace hprof::index_format
