// Whether the PROGRAM given on the command line is the file the dump maps as
// its main executable.  A PROGRAM of another build whose segments happen to
// have the same sizes passes the check of the mapping (ObjectFile::
// matches_mapping) and names PCs from the wrong code; the build-ids tell.
#pragma once

#include <string>

#include "common/diagnostics.h"
#include "symbolize/object_file.h"

namespace hprof {

// One warning naming both files when `located` (where the dump's path of
// the main executable, `mapped`, is found here: ObjectCache::locate) is a
// regular file whose build-id differs from `program`'s.  Nothing when either
// has no build-id or `located` does not exist here.
void warn_if_program_is_another_build(const std::string& program, const ObjectFile& program_object,
                                      const std::string& mapped, const std::string& located, Diagnostics& diags);

}  // namespace hprof
