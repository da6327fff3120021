// Writing a file so that it appears whole or not at all: reports
// (--output-suffix) and symbol indexes.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace hprof {

// Writes `bytes` to `path` through a new temporary file in the same
// directory (".NAME.tmp.PID.N", mode 0666 minus the umask, as a shell
// redirection makes), then renamed over `path`: an interrupted run never
// leaves part of a file under `path`, and concurrent writers of one path
// leave one whole file.  With `durable`, the data is synced before the
// rename (a report); a cache that checks itself on reading needs no sync.
// Throws std::system_error naming `path` when it cannot; the temporary file
// is removed then.
void write_file_atomically(const std::string& path, std::string_view bytes, bool durable = true);
// The same with the file's bytes in pieces, written one after another: a
// large file made of parts that are already in memory is not copied whole.
void write_file_atomically(const std::string& path, std::span<const std::string_view> pieces, bool durable = true);

}  // namespace hprof
