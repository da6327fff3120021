// What a symbol index is valid for, and where it is kept for that.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hprof {

// A file the index was built from, as it was then.  The index is stale when
// one of them has changed since (size or modification time), or is gone.
struct IndexSource {
  std::string path;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  bool operator==(const IndexSource&) const = default;
};

// Stats `path`; nullopt when it cannot.
std::optional<IndexSource> index_source_of(const std::string& path);

// What an index is valid for: the ELF file (by build-id when it has one) and
// the files its contents came from (the file itself, its separate debug
// file when one was used).
struct IndexKey {
  std::string build_id;               // lower-case hex; empty when the file has none
  std::vector<IndexSource> sources;   // first: the ELF file itself
  bool operator==(const IndexKey&) const = default;
};

// The index file for `key` under `dir`: "<dir>/<build-id>-<hash>.idx", or
// "<dir>/path-<hash>.idx" for a file without build-id, the hash (16 hex
// digits) of the sources' paths.
std::string index_path(const std::string& dir, const IndexKey& key);

// The file beside the index `index_path` where the resume points of the
// DWARF it was swept from are kept (its .idx replaced by .inflate): a cache
// of the same key, removed with the index.
std::string resume_points_path(const std::string& index_path);

}  // namespace hprof
