// Writing a report file so that it appears whole or not at all.
#pragma once

#include <string>

namespace hprof {

// Writes `text` to `path` through a new temporary file in the same directory
// (".NAME.tmp.PID.N", mode 0666 minus the umask, as a shell redirection
// makes), synced and then renamed over `path`: an interrupted run never
// leaves part of a report under `path`.  Throws std::system_error naming
// `path` when it cannot; the temporary file is removed then.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace hprof
