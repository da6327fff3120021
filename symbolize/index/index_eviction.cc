#include "symbolize/index/index_eviction.h"

#include "symbolize/index/symbol_index.h"

#include <filesystem>
#include <system_error>

namespace hprof {

void remove_superseded_indexes(const std::string& dir, const IndexKey& key, const std::string& written) {
  if (key.sources.empty()) return;
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path kept = fs::path(written).lexically_normal();
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& candidate = it->path();
    if (candidate.extension() != ".idx" || candidate.lexically_normal() == kept) continue;
    const std::optional<IndexOrigin> origin = index_origin(candidate.string());
    if (origin && origin->file == key.sources.front().path && origin->build_id != key.build_id) {
      std::error_code ignored;
      fs::remove(candidate, ignored);
      fs::remove(resume_points_path(candidate.string()), ignored);
    }
  }
}

}  // namespace hprof
