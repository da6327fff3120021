// ObjectFiles by path, opened once per run and shared by every profile; a
// file that cannot be used is reported once and remembered as unusable.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "common/diagnostics.h"
#include "symbolize/object_file.h"

namespace hprof {

class ObjectCache {
 public:
  explicit ObjectCache(Diagnostics& diags) : diags_(&diags) {}

  // nullptr when the file cannot be read as ELF (warned once per path).
  ObjectFile* get(const std::string& path);

 private:
  Diagnostics* diags_;
  std::map<std::string, std::unique_ptr<ObjectFile>> objects_;
};

}  // namespace hprof
