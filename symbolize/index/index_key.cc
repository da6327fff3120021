#include "symbolize/index/index_key.h"

#include <sys/stat.h>

#include <cinttypes>
#include <cstdio>
#include <string_view>

namespace hprof {

std::optional<IndexSource> index_source_of(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return std::nullopt;
  return IndexSource{path, static_cast<uint64_t>(st.st_size),
                     static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

std::string index_path(const std::string& dir, const IndexKey& key) {
  // FNV-1a, 64 bits, of every source's path: stable across runs and
  // machines, unlike std::hash.  Two copies of one build (a --lib_prefix
  // copy, a stripped one, another debug file) keep an index each instead of
  // rewriting one in turn.
  uint64_t hash = 0xcbf29ce484222325ull;
  for (const IndexSource& source : key.sources) {
    for (unsigned char c : source.path) hash = (hash ^ c) * 0x100000001b3ull;
    hash = (hash ^ 0) * 0x100000001b3ull;  // the end of one path
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016" PRIx64, hash);
  return dir + "/" + (key.build_id.empty() ? std::string("path") : key.build_id) + "-" + hex + ".idx";
}

std::string resume_points_path(const std::string& index_path) {
  std::string_view stem = index_path;
  if (stem.ends_with(".idx")) stem.remove_suffix(4);
  return std::string(stem) + ".inflate";
}

}  // namespace hprof
