// Finding the separate debug file of an ELF file: the user's --debug-dir
// directories first, then beside the file, in its .debug/ directory and under
// /usr/lib/debug, as gdb and libdwfl lay them out: by build-id, by
// .gnu_debuglink, or (without one) by the file's path; each candidate checked
// against the file's build-id (or the debuglink's CRC).  In-process, and never
// debuginfod: no subprocess, no network.
#pragma once

#include <elfutils/libdwfl.h>

#include <optional>
#include <string>
#include <vector>

namespace hprof {

class Diagnostics;

// What the find_debuginfo callback needs; a module's userdata points to one.
// Where distributions install debug files (Debian's *-dbg and *-dbgsym packages).
inline constexpr const char* kSystemDebugDir = "/usr/lib/debug";

struct DebugSearch {
  std::vector<std::string> dirs;  // --debug-dir, in order
  Diagnostics* diags = nullptr;   // a refused debug file is warned about here
};

// A Dwfl_Callbacks::find_debuginfo: `*userdata` must point to a DebugSearch
// (or be null: then only the standard places are searched).  -1 when none holds it.
int find_debuginfo(Dwfl_Module* module, void** userdata, const char* modname, Dwarf_Addr base,
                   const char* file_name, const char* debuglink_file, GElf_Word debuglink_crc,
                   char** debuginfo_file_name);

// The GNU build-id note of `elf` as lower-case hex; nullopt when it has none.
std::optional<std::string> elf_build_id(Elf* elf);
// The same of the file a libdwfl module reports.
std::optional<std::string> module_build_id(Dwfl_Module* module);

// Lower-case hex of `size` bytes.
std::string hex_of(const unsigned char* bytes, size_t size);

}  // namespace hprof
