// Attributes that a memory map defines for the lines after it, read as the
// Go pprof reads them (profile/legacy_profile.go, parseProcMapsFromScanner):
// google/pprof's cppbench.heap maps "source=/home", then
// "$source/cppbench_server_main".
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hprof {

class MapsAttributes {
 public:
  // A maps line that is no mapping and holds a '=' defines NAME=VALUE, both
  // trimmed; false for a line without '='.
  bool define(std::string_view line);

  // `line` with each "$NAME" of a defined attribute replaced by its value,
  // in one pass from left to right.  Where several names match at one place
  // ("$s" and "$source"), the one defined first wins, and a name defined
  // again keeps its first value: Go's strings.Replacer over the definitions
  // in order.  `line` itself when nothing is replaced; else a view of
  // `storage`.
  std::string_view substitute(std::string_view line, std::string& storage) const;

 private:
  std::vector<std::pair<std::string, std::string>> attributes_;  // ("$NAME", VALUE), in the order defined
};

}  // namespace hprof
