#include "symbolize/elf/elf_truncation.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <gelf.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace hprof {
namespace {

// Closes a descriptor on every way out.
struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

// Where the ELF header puts its tables.
struct Tables {
  uint64_t header_end, phdrs_end, shdrs_end;
};

// The tables of the ELF header `raw` (the file's first bytes, at least one
// header long), read with libelf's translation from the file's byte order.
template <typename Ehdr>
std::optional<Tables> tables_of(const unsigned char* raw, unsigned encoding,
                                Elf_Data* (*to_memory)(Elf_Data*, const Elf_Data*, unsigned)) {
  Ehdr ehdr;
  Elf_Data src{}, dst{};
  src.d_buf = const_cast<unsigned char*>(raw);
  src.d_type = ELF_T_EHDR;
  src.d_size = sizeof ehdr;
  src.d_version = EV_CURRENT;
  dst.d_buf = &ehdr;
  dst.d_size = sizeof ehdr;
  dst.d_version = EV_CURRENT;
  if (to_memory(&dst, &src, encoding) == nullptr) return std::nullopt;
  // e_shnum 0 with a table: the count is in its first entry (which must be there).
  const uint64_t shnum = ehdr.e_shnum == 0 && ehdr.e_shoff != 0 ? 1 : ehdr.e_shnum;
  return Tables{ehdr.e_ehsize, ehdr.e_phoff + uint64_t{ehdr.e_phnum} * ehdr.e_phentsize,
                ehdr.e_shoff + shnum * ehdr.e_shentsize};
}

// The end of the furthest segment or section (with contents in the file) of
// `elf`, whose tables are known to be inside the file.
uint64_t contents_end(Elf* elf) {
  uint64_t end = 0;
  size_t phnum = 0;
  if (elf_getphdrnum(elf, &phnum) != 0) phnum = 0;
  for (size_t i = 0; i < phnum; ++i) {
    GElf_Phdr phdr;
    if (gelf_getphdr(elf, static_cast<int>(i), &phdr) != nullptr && phdr.p_type == PT_LOAD) {
      end = std::max<uint64_t>(end, phdr.p_offset + phdr.p_filesz);
    }
  }
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) != nullptr && shdr.sh_type != SHT_NOBITS) {
      end = std::max<uint64_t>(end, shdr.sh_offset + shdr.sh_size);
    }
  }
  return end;
}

}  // namespace

std::optional<std::string> elf_truncation(const std::string& path, uint64_t size, Elf* elf) {
  elf_version(EV_CURRENT);  // for elf*_xlatetom, as any libelf user must first
  const FdCloser file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) return std::nullopt;
  unsigned char raw[sizeof(Elf64_Ehdr)] = {};
  const ssize_t got = ::pread(file.fd, raw, sizeof raw, 0);
  if (got < SELFMAG || std::memcmp(raw, ELFMAG, SELFMAG) != 0) return std::nullopt;
  const bool is32 = got > EI_CLASS && raw[EI_CLASS] == ELFCLASS32;
  const uint64_t header_size = is32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
  if (size < header_size) return fmt::format("the file is cut short inside its ELF header ({} bytes)", size);
  // libelf refuses a file whose tables are cut off, so they are checked from
  // the header first; then the segments and sections that the tables list.
  const unsigned encoding = raw[EI_DATA];
  const std::optional<Tables> tables = is32 ? tables_of<Elf32_Ehdr>(raw, encoding, elf32_xlatetom)
                                            : tables_of<Elf64_Ehdr>(raw, encoding, elf64_xlatetom);
  if (!tables) return std::nullopt;
  uint64_t end = std::max({tables->header_end, tables->phdrs_end, tables->shdrs_end});
  if (end <= size && elf != nullptr && elf_kind(elf) == ELF_K_ELF) end = std::max(end, contents_end(elf));
  if (end <= size) return std::nullopt;
  return fmt::format("the file is cut short or corrupt: it has {} bytes, its ELF headers describe {}", size, end);
}

}  // namespace hprof
