#include "symbolize/object_cache.h"

#include <stdexcept>

#include "common/paths.h"

namespace hprof {

ObjectFile* ObjectCache::get(const std::string& path) {
  auto it = objects_.find(path);
  if (it != objects_.end()) return it->second.get();
  std::unique_ptr<ObjectFile> object;
  try {
    object = std::make_unique<ObjectFile>(path);
  } catch (const std::exception& e) {
    diags_->warn_once("open:" + path, path + ": " + e.what() +
                                          "; its frames are shown as [" + basename_of(path) +
                                          "] (copy the file here, or give the program path on the command line)");
  }
  return objects_.emplace(path, std::move(object)).first->second.get();
}

}  // namespace hprof
