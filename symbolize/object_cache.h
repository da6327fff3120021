// ObjectFiles by path, opened once per run and shared by every profile; a
// file that cannot be used is reported once and remembered as unusable.
// Also where the files a profile names are looked for (--lib_prefix).
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>

#include "common/diagnostics.h"
#include "symbolize/object_file.h"
#include "symbolize/symbolize_options.h"

namespace hprof {

class ObjectCache {
 public:
  ObjectCache(Diagnostics& diags, const SymbolizeOptions& options);

  // The file to read for `mapped_path`, a path the profile names: the Perl
  // pprof's FindLibrary.  For suffix = the path, then the path with its
  // first directory dropped, and so on, each --lib_prefix + suffix in turn;
  // the first regular file wins (a relative path is tried as if it were
  // rooted in each prefix).  The path itself when none exists, made
  // absolute from the current directory when relative.
  std::string locate(const std::string& mapped_path) const;

  // nullptr when the file cannot be read as ELF: warned once per path,
  // except a file that does not exist, which only missing() remembers (the
  // profile's reader says once which of them mattered).
  ObjectFile* get(const std::string& path);
  bool missing(const std::string& path) const { return missing_.count(path) != 0; }

  // Writes the symbol index of every file looked up without a usable one.
  // A directory that cannot be written to is warned about once: it costs
  // only speed.
  void write_indexes();

 private:
  Diagnostics* diags_;
  std::vector<std::string> lib_prefixes_;  // without trailing slashes
  std::vector<std::string> debug_dirs_;
  std::string index_dir_;
  std::map<std::string, std::unique_ptr<ObjectFile>> objects_;
  std::set<std::string> missing_;
};

// FindLibrary over `prefixes` (no trailing slashes); `exists` is asked about
// each candidate in order.  `path` itself when no candidate exists.
std::string find_library(const std::string& path, const std::vector<std::string>& prefixes,
                         bool (*exists)(const std::string&));

}  // namespace hprof
