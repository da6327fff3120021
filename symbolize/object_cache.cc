#include "symbolize/object_cache.h"

#include <fmt/format.h>

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "common/activity.h"
#include "common/paths.h"

namespace hprof {

std::string find_library(const std::string& path, const std::vector<std::string>& prefixes,
                         bool (*exists)(const std::string&)) {
  if (prefixes.empty()) return path;
  // A relative path is looked for as if it were rooted in each prefix.
  std::string suffix = path.starts_with('/') ? path : "/" + path;
  while (true) {
    for (const std::string& prefix : prefixes) {
      std::string candidate = prefix + suffix;
      if (exists(candidate)) return candidate;
    }
    // Drop the first directory: "/a/b/c" -> "/b/c"; stop at "/c".
    if (suffix.empty() || suffix[0] != '/') break;
    auto next = suffix.find('/', 1);
    if (next == std::string::npos) break;
    suffix = suffix.substr(next);
  }
  return path;
}

ObjectCache::ObjectCache(Diagnostics& diags, const SymbolizeOptions& options)
    : diags_(&diags), debug_dirs_(options.debug_dirs), index_dir_(options.index_dir) {
  for (std::string prefix : options.lib_prefixes) {
    while (prefix.size() > 1 && prefix.back() == '/') prefix.pop_back();
    if (!prefix.empty()) lib_prefixes_.push_back(std::move(prefix));
  }
}

std::string ObjectCache::locate(const std::string& mapped_path) const {
  const std::string found = find_library(mapped_path, lib_prefixes_, is_regular_file);
  if (found == mapped_path && found.starts_with('/')) return found;
  // Absolute, so that messages say where the file was looked for: a relative
  // path not found under a prefix is read from the current directory.
  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(found, error);
  return error ? found : absolute.lexically_normal().string();
}

ObjectFile* ObjectCache::get(const std::string& path) {
  auto it = objects_.find(path);
  if (it != objects_.end()) return it->second.get();
  std::unique_ptr<ObjectFile> object;
  std::error_code ignored;
  if (!std::filesystem::exists(path, ignored)) {
    missing_.insert(path);
    return objects_.emplace(path, nullptr).first->second.get();
  }
  try {
    object = std::make_unique<ObjectFile>(path, DebugSearch{debug_dirs_, diags_}, index_dir_);
  } catch (const std::exception& e) {
    diags_->warn_once("open:" + path, path + ": " + e.what() + "; its frames are shown as [" + basename_of(path) +
                                          "] (copy the file here, give the program path on the command line, "
                                          "or point --lib_prefix at a copy of the files)");
  }
  return objects_.emplace(path, std::move(object)).first->second.get();
}

void ObjectCache::write_indexes() {
  for (auto& [path, object] : objects_) {
    if (object == nullptr || !object->index_wanted()) continue;
    const Activity writing("writing the symbol index of " + object->display_name());
    try {
      object->write_index();
    } catch (const std::system_error& e) {
      diags_->warn_once("index-write", fmt::format("symbol index not saved: {}; this costs only speed: the "
                                                   "report is complete, later runs read the debug information "
                                                   "again (--cache-dir=DIR saves it elsewhere, --no-cache stops "
                                                   "trying)",
                                                   e.what()));
      return;
    }
  }
}

}  // namespace hprof
