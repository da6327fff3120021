// Which paths of a profile's memory map name no file to open.
#pragma once

#include <string_view>

namespace hprof {

// True for anonymous memory (""), the kernel's names for memory that no
// path reaches ("[heap]", "[vdso]", "[anon:name]", "/[aio]",
// "anon_inode:[perf_event]", "memfd:name", "socket:[123]"), perf's
// "linux-vdso.so.1", devices, memfd, SysV shared memory, /proc and /sys:
// opening them is useless and can hang.  Every other path is a file, a
// relative one too: the Go pprof opens it from the current directory.
bool is_pseudo_path(std::string_view path);

}  // namespace hprof
