// Keeping the index directory from growing with every build of a file.
#pragma once

#include <string>

#include "symbolize/index/index_key.h"

namespace hprof {

// Removes the indexes under `dir` that the index for `key`, just written to
// `written`, supersedes: those built from the same file (its path) for
// another build-id.  A program rebuilt or a library upgraded in place would
// otherwise leave an index per build, each as large as the file's DWARF,
// never to be read again.  Indexes of the same build (other debug files,
// another hprof-text) and of other files stay; so does anything that is not
// an index, but for a removed index's resume points (resume_points_path).
// Failures are ignored: they cost only disk space.
void remove_superseded_indexes(const std::string& dir, const IndexKey& key, const std::string& written);

}  // namespace hprof
