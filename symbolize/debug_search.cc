#include "symbolize/debug_search.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <gelf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <cstring>

#include "common/diagnostics.h"

namespace hprof {
namespace {

bool is_regular_file(const std::string& path) {
  struct stat st{};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string dirname_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::optional<std::string> build_id_in_notes(Elf_Data* data) {
  if (data == nullptr) return std::nullopt;
  size_t offset = 0;
  GElf_Nhdr note;
  size_t name_offset = 0, desc_offset = 0;
  while (offset < data->d_size &&
         (offset = gelf_getnote(data, offset, &note, &name_offset, &desc_offset)) > 0) {
    const auto* base = static_cast<const unsigned char*>(data->d_buf);
    if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 &&
        std::memcmp(base + name_offset, "GNU", 4) == 0 && note.n_descsz > 0) {
      return hex_of(base + desc_offset, note.n_descsz);
    }
  }
  return std::nullopt;
}

// The CRC-32 of .gnu_debuglink (the zlib polynomial) of a whole file.
std::optional<uint32_t> file_crc32(int fd) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t crc = 0xffffffffu;
  std::array<unsigned char, 65536> buffer;
  for (off_t at = 0;;) {
    ssize_t n = pread(fd, buffer.data(), buffer.size(), at);
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    for (ssize_t i = 0; i < n; ++i) crc = table[(crc ^ buffer[static_cast<size_t>(i)]) & 0xff] ^ (crc >> 8);
    at += n;
  }
  return crc ^ 0xffffffffu;
}

struct Candidate {
  std::string path;
  bool by_build_id;
};

// Opens `candidate` when it is the debug file of the module: same build-id,
// or, when the module has none, the CRC the debuglink names.  -1 otherwise;
// a file with another build-id is warned about (it is a real mistake: the
// debug file of another build), a missing file is not.
int open_if_matching(const Candidate& candidate, const std::optional<std::string>& module_id,
                     const char* module_path, GElf_Word debuglink_crc, Diagnostics* diags) {
  if (!is_regular_file(candidate.path)) return -1;
  int fd = open(candidate.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  std::optional<std::string> id;
  if (Elf* elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr)) {
    id = elf_build_id(elf);
    elf_end(elf);
  }
  bool matches = false;
  if (module_id && id) {
    matches = *module_id == *id;
    if (!matches && diags != nullptr) {
      diags->warn_once("debugid:" + candidate.path + ":" + module_path,
                       fmt::format("{}: build-id {} differs from {}'s build-id {}; this debug file belongs to "
                                   "another build and is not used (give --debug-dir the debug files of the "
                                   "binaries the profile was recorded with)",
                                   candidate.path, *id, module_path, *module_id));
    }
  } else if (!candidate.by_build_id && !module_id) {
    matches = file_crc32(fd) == debuglink_crc;
  }
  if (!matches) {
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

std::string hex_of(const unsigned char* bytes, size_t size) {
  std::string hex;
  hex.reserve(2 * size);
  for (size_t i = 0; i < size; ++i) hex += fmt::format("{:02x}", bytes[i]);
  return hex;
}

std::optional<std::string> elf_build_id(Elf* elf) {
  if (elf == nullptr) return std::nullopt;
  bool has_sections = false;
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
    has_sections = true;
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr || shdr.sh_type != SHT_NOTE) continue;
    if (auto id = build_id_in_notes(elf_getdata(scn, nullptr))) return id;
  }
  if (has_sections) return std::nullopt;
  size_t count = 0;
  if (elf_getphdrnum(elf, &count) != 0) return std::nullopt;
  for (size_t i = 0; i < count; ++i) {
    GElf_Phdr phdr;
    if (gelf_getphdr(elf, static_cast<int>(i), &phdr) == nullptr || phdr.p_type != PT_NOTE) continue;
    if (auto id = build_id_in_notes(elf_getdata_rawchunk(elf, static_cast<int64_t>(phdr.p_offset),
                                                         phdr.p_filesz, ELF_T_NHDR))) {
      return id;
    }
  }
  return std::nullopt;
}

int find_debuginfo(Dwfl_Module* module, void** userdata, const char* modname, Dwarf_Addr base,
                   const char* file_name, const char* debuglink_file, GElf_Word debuglink_crc,
                   char** debuginfo_file_name) {
  const auto* search = userdata != nullptr ? static_cast<const DebugSearch*>(*userdata) : nullptr;
  if (search != nullptr && !search->dirs.empty()) {
    const unsigned char* bits = nullptr;
    GElf_Addr vaddr = 0;
    int size = dwfl_module_build_id(module, &bits, &vaddr);
    std::optional<std::string> module_id;
    if (size > 0) module_id = hex_of(bits, static_cast<size_t>(size));
    const std::string path = file_name != nullptr ? file_name : modname;
    std::vector<Candidate> candidates;
    for (const std::string& dir : search->dirs) {
      if (module_id && module_id->size() > 2) {
        candidates.push_back(
            {fmt::format("{}/.build-id/{}/{}.debug", dir, module_id->substr(0, 2), module_id->substr(2)), true});
      }
      if (debuglink_file != nullptr && *debuglink_file != '\0') {
        candidates.push_back({dir + "/" + debuglink_file, false});
        candidates.push_back({dir + dirname_of(path) + "/" + debuglink_file, false});
      }
    }
    for (const Candidate& candidate : candidates) {
      int fd = open_if_matching(candidate, module_id, path.c_str(), debuglink_crc, search->diags);
      if (fd >= 0) {
        *debuginfo_file_name = strdup(candidate.path.c_str());
        return fd;
      }
    }
  }
  return dwfl_standard_find_debuginfo(module, userdata, modname, base, file_name, debuglink_file, debuglink_crc,
                                      debuginfo_file_name);
}

}  // namespace hprof
