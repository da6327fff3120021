// Telling an ELF file cut short (an interrupted copy or download) from one
// that is whole: a cut file still opens, but its section headers, symbols and
// DWARF are gone, so its frames would go unnamed without a word.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <libelf.h>

namespace hprof {

// Why the file at `path`, `size` bytes long, is cut short: its ELF header
// ends past the end of the file, or so do the program headers, section
// headers, segments or sections that the header declares.  nullopt when
// they all fit, or when the file is no ELF file at all.  `elf` is the file
// as libelf already opened it (null when it could not): its segments and
// sections are read from there rather than parsed a second time.
std::optional<std::string> elf_truncation(const std::string& path, uint64_t size, Elf* elf);

}  // namespace hprof
