#include "self_profiles.h"

#include <fcntl.h>
#include <gelf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

extern "C" __attribute__((noinline, used)) int hprof_self_marker(int x) { return x * 3 + 1; }

namespace hprof::testing {

namespace fs = std::filesystem;

const SelfLayout& self_layout() {
  static const SelfLayout layout = [] {
    SelfLayout l;
    const int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    elf_version(EV_CURRENT);
    Elf* elf = elf_begin(fd, ELF_C_READ, nullptr);
    GElf_Ehdr ehdr;
    gelf_getehdr(elf, &ehdr);
    l.shoff = ehdr.e_shoff;
    for (int i = 0; i < ehdr.e_phnum; ++i) {
      GElf_Phdr phdr;
      if (gelf_getphdr(elf, i, &phdr) != nullptr && phdr.p_type == PT_LOAD && (phdr.p_flags & PF_X) != 0) {
        l.code_offset = phdr.p_offset;
        l.code_vaddr = phdr.p_vaddr;
        l.code_filesz = phdr.p_filesz;
      }
    }
    size_t shstrndx = 0;
    elf_getshdrstrndx(elf, &shstrndx);
    for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
      GElf_Shdr shdr;
      gelf_getshdr(scn, &shdr);
      const std::string name = elf_strptr(elf, shstrndx, shdr.sh_name);
      const SelfLayout::Section section{shdr.sh_offset, shdr.sh_size};
      if (name == ".symtab") l.symtab = section;
      if (name == ".strtab") l.strtab = section;
      if (name == ".debug_info") l.debug_info = section;
      if (name == ".debug_abbrev") l.debug_abbrev = section;
      if (name == ".debug_str") l.debug_str = section;
      if (name == ".debug_line_str") l.debug_line_str = section;
      if (shdr.sh_type != SHT_SYMTAB) continue;
      Elf_Data* data = elf_getdata(scn, nullptr);
      for (size_t i = 0; i < shdr.sh_size / shdr.sh_entsize; ++i) {
        GElf_Sym sym;
        if (gelf_getsym(data, static_cast<int>(i), &sym) != nullptr &&
            std::strcmp(elf_strptr(elf, shdr.sh_link, sym.st_name), "hprof_self_marker") == 0) {
          l.marker = sym.st_value;
        }
      }
    }
    elf_end(elf);
    struct stat st {};
    fstat(fd, &st);
    l.size = static_cast<uint64_t>(st.st_size);
    close(fd);
    return l;
  }();
  return layout;
}

SelfCodePages self_code_pages() {
  const SelfLayout& l = self_layout();
  SelfCodePages code;
  code.offset = l.code_offset & ~uint64_t{0xfff};
  code.vaddr = l.code_vaddr & ~uint64_t{0xfff};
  code.size = ((l.code_offset + l.code_filesz + 0xfff) & ~uint64_t{0xfff}) - code.offset;
  return code;
}

void SelfProfileTest::SetUp() {
  CliTest::SetUp();
  const SelfLayout& l = self_layout();
  if (l.marker == 0 || l.symtab.size == 0 || l.debug_info.size == 0) {
    GTEST_SKIP() << "the test binary has no .symtab or no DWARF";
  }
}

std::string SelfProfileTest::copy_of_self(const std::string& name, uint64_t size) {
  const std::string path = (dir_ / name).string();
  fs::create_directories(fs::path(path).parent_path());
  fs::copy_file("/proc/self/exe", path);
  if (size != UINT64_MAX) fs::resize_file(path, size);
  return path;
}

std::string SelfProfileTest::profile_mapping(const std::string& mapped_path) {
  const SelfCodePages code = self_code_pages();
  const uint64_t start = kSelfBase + code.vaddr;
  return std::string(kHeader) + fmt::format("   3:  3000 [   3:  3000] @ 0x{:x}\n", kSelfBase + self_layout().marker + 1) +
         fmt::format("\nMAPPED_LIBRARIES:\n{:x}-{:x} r-xp {:08x} 08:01 42 {}\n", start, start + code.size, code.offset,
                     mapped_path);
}

}  // namespace hprof::testing
