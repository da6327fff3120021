// The DWARF of a file whose debug sections are zlib-compressed (SHF_COMPRESSED,
// as Debian's -dbg packages ship them), opened faster than libdw opens it:
// libdw inflates every compressed debug section with zlib when the Dwarf is
// opened, location lists included.  Here only the sections that names, lines
// and inline chains read are inflated, with libdeflate, on two threads, into
// one in-memory ELF image that libdw then reads as it is.
#pragma once

#include <gelf.h>

#include <memory>
#include <string>

typedef struct Dwarf Dwarf;

namespace hprof {

class InflatedDwarf {
 public:
  // Opens the DWARF of `path` (a separate debug file, or the file itself);
  // `fd`, when given, is that file already open, and is closed here.
  // nullptr when this path does not apply and libdwfl should open it as
  // usual: no zlib-compressed debug section libdw reads, not a native-endian
  // ELF64 file, a file libdw would have to complete (relocatable objects,
  // dwz's .gnu_debugaltlink, split or type units), or a libelf/libdw error.
  static std::unique_ptr<InflatedDwarf> open(const std::string& path, int fd = -1);
  ~InflatedDwarf();
  InflatedDwarf(const InflatedDwarf&) = delete;
  InflatedDwarf& operator=(const InflatedDwarf&) = delete;

  const std::string& path() const { return path_; }
  Dwarf* dwarf() const { return dwarf_; }
  // The file itself as libelf reads it (symbol tables, .debug_frame, notes).
  Elf* file_elf() const { return file_elf_; }

 private:
  InflatedDwarf() = default;

  std::string path_;
  int fd_ = -1;
  Elf* file_elf_ = nullptr;
  std::unique_ptr<unsigned char[]> image_;  // the ELF image libdw reads
  Elf* image_elf_ = nullptr;
  Dwarf* dwarf_ = nullptr;
};

}  // namespace hprof
