#include "symbolize/index/index_file.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace hprof::index_format {
namespace {

std::string changes(const IndexSource& was, const IndexSource& now) {
  if (was.size != now.size && was.mtime_ns != now.mtime_ns) return "size and mtime changed";
  return was.size != now.size ? "size changed" : "mtime changed";
}

// What every version shares: magic, byte order, version; then room for this
// version's header.  Read before mapping anything (a zero-length file cannot
// be mapped).
std::optional<Rejection> check_prefix(int fd, uint64_t size) {
  unsigned char prefix[kPrefixSize] = {};
  ssize_t got = pread(fd, prefix, sizeof prefix, 0);
  if (got < 0) return Rejection{IndexRejection::kUnreadable, std::strerror(errno)};
  const auto have = static_cast<std::size_t>(got);
  if (std::memcmp(prefix, kMagic, std::min(have, sizeof kMagic)) != 0) {
    return Rejection{IndexRejection::kCorrupt, "not an index file"};
  }
  const std::string too_short = std::to_string(size) + " bytes, shorter than a header";
  if (have < kPrefixSize) return Rejection{IndexRejection::kTruncated, too_short};
  uint32_t version, byte_order;
  std::memcpy(&version, prefix + offsetof(Header, version), sizeof version);
  std::memcpy(&byte_order, prefix + offsetof(Header, byte_order), sizeof byte_order);
  if (byte_order != kByteOrder) {
    return Rejection{IndexRejection::kVersion, "written on a machine of the other byte order"};
  }
  if (version != SymbolIndex::kFormatVersion) {
    return Rejection{IndexRejection::kVersion, "format version " + std::to_string(version) +
                                                   ", this hprof-text reads " +
                                                   std::to_string(SymbolIndex::kFormatVersion)};
  }
  if (size < sizeof(Header)) return Rejection{IndexRejection::kTruncated, too_short};
  return std::nullopt;
}

}  // namespace

// Opens `path` into `file`: a regular file whose prefix is this version's.
std::optional<Rejection> open_index_file(const std::string& path, IndexFile& file) {
  file.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file.fd < 0) {
    return errno == ENOENT || errno == ENOTDIR ? Rejection{IndexRejection::kMissing, ""}
                                               : Rejection{IndexRejection::kUnreadable, std::strerror(errno)};
  }
  struct stat st;
  if (fstat(file.fd, &st) != 0) return Rejection{IndexRejection::kUnreadable, std::strerror(errno)};
  if (!S_ISREG(st.st_mode)) return Rejection{IndexRejection::kUnreadable, "not a regular file"};
  file.size = static_cast<uint64_t>(st.st_size);
  return check_prefix(file.fd, file.size);
}

// Size, checksum, then whether the sections lie inside the file.
std::optional<Rejection> check_file(const Header& header, const unsigned char* base, uint64_t size) {
  if (header.file_size != size) {
    return Rejection{size < header.file_size ? IndexRejection::kTruncated : IndexRejection::kCorrupt,
                     std::to_string(size) + " bytes, header says " + std::to_string(header.file_size)};
  }
  if (checksum_of(base, size) != header.checksum) return Rejection{IndexRejection::kCorrupt, "checksum mismatch"};
  for (std::size_t s = 0; s < kSectionCount; ++s) {
    if (!in_bounds(header.sections[s], kRecordSize[s], size)) {
      return Rejection{IndexRejection::kCorrupt, std::string(kSectionName[s]) + " out of bounds"};
    }
  }
  const SectionRef& strings = header.sections[kStrings];
  if (strings.count == 0 || base[strings.offset + strings.count - 1] != 0) {
    return Rejection{IndexRejection::kCorrupt, "string pool does not end with a NUL"};
  }
  for (const PartLayout& part : kParts) {
    if (part.shape == Shape::kSymbols && header.sections[part.max_end].count != header.sections[part.records].count) {
      return Rejection{IndexRejection::kCorrupt, "symbol and max_end counts differ"};
    }
  }
  return std::nullopt;
}

// Whether the index (its build-id, its sources with their paths in
// `strings`) was built for `key`, naming the first difference.
std::optional<Rejection> check_key(std::string_view build_id, std::span<const SourceRecord> sources,
                                   std::string_view strings, const IndexKey& key) {
  if (build_id != key.build_id) return Rejection{IndexRejection::kStale, "build-id differs"};
  for (std::size_t i = 0; i < sources.size() || i < key.sources.size(); ++i) {
    std::optional<std::string_view> path = i < sources.size() ? string_in(strings, sources[i].path) : "";
    if (!path) return Rejection{IndexRejection::kCorrupt, "string out of bounds"};
    if (i >= key.sources.size()) {
      return Rejection{IndexRejection::kStale, "built from " + std::string(*path) + ", no longer used"};
    }
    const IndexSource& now = key.sources[i];
    if (i >= sources.size()) return Rejection{IndexRejection::kStale, "built without " + now.path};
    IndexSource was{std::string(*path), sources[i].size, sources[i].mtime_ns};
    if (was.path != now.path) return Rejection{IndexRejection::kStale, "built from " + was.path + ", not " + now.path};
    if (was != now) {
      return Rejection{IndexRejection::kStale, "built from " + was.path + " (" + changes(was, now) + ")", i};
    }
  }
  return std::nullopt;
}

}  // namespace hprof::index_format
