#include "symbolize/elf/debug_search.h"

#include <elfutils/libdwelf.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <gelf.h>
#include <libdeflate.h>
#include <unistd.h>

#include <cstring>

#include "common/diagnostics.h"
#include "common/paths.h"

namespace hprof {
namespace {

std::string dirname_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

// The CRC-32 of .gnu_debuglink (zlib's, which libdeflate computes) of a whole file.
std::optional<uint32_t> file_crc32(int fd) {
  uint32_t crc = 0;
  std::vector<unsigned char> buffer(1 << 16);
  for (off_t at = 0;;) {
    ssize_t n = pread(fd, buffer.data(), buffer.size(), at);
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    crc = libdeflate_crc32(crc, buffer.data(), static_cast<size_t>(n));
    at += n;
  }
  return crc;
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
  const void* bits = nullptr;
  ssize_t size = elf != nullptr ? dwelf_elf_gnu_build_id(elf, &bits) : -1;
  if (size <= 0) return std::nullopt;
  return hex_of(static_cast<const unsigned char*>(bits), static_cast<size_t>(size));
}

std::optional<std::string> module_build_id(Dwfl_Module* module) {
  const unsigned char* bits = nullptr;
  GElf_Addr vaddr = 0;
  int size = dwfl_module_build_id(module, &bits, &vaddr);
  if (size <= 0) return std::nullopt;
  return hex_of(bits, static_cast<size_t>(size));
}

int find_debuginfo(Dwfl_Module* module, void** userdata, const char* modname, Dwarf_Addr /*base*/,
                   const char* file_name, const char* debuglink_file, GElf_Word debuglink_crc,
                   char** debuginfo_file_name) {
  const auto* search = userdata != nullptr ? static_cast<const DebugSearch*>(*userdata) : nullptr;
  const std::optional<std::string> module_id = module_build_id(module);
  const std::string path = file_name != nullptr ? file_name : modname;
  const std::string dir = dirname_of(path);
  const bool has_debuglink = debuglink_file != nullptr && *debuglink_file != '\0';
  std::vector<Candidate> candidates;
  // The --debug-dir directories, then the places gdb and libdwfl look in.
  auto in_root = [&](const std::string& root) {
    if (module_id && module_id->size() > 2) {
      candidates.push_back(
          {fmt::format("{}/.build-id/{}/{}.debug", root, module_id->substr(0, 2), module_id->substr(2)), true});
    }
    if (has_debuglink) {
      candidates.push_back({root + "/" + debuglink_file, false});
      candidates.push_back({root + dir + "/" + debuglink_file, false});
    } else {
      candidates.push_back({root + path + ".debug", false});
      candidates.push_back({root + path, false});
    }
  };
  if (search != nullptr) {
    for (const std::string& root : search->dirs) in_root(root);
  }
  if (has_debuglink) {
    candidates.push_back({dir + "/" + debuglink_file, false});
    candidates.push_back({dir + "/.debug/" + debuglink_file, false});
  }
  in_root(kSystemDebugDir);
  for (const Candidate& candidate : candidates) {
    if (candidate.path == path) continue;  // a debuglink naming the file itself
    int fd = open_if_matching(candidate, module_id, path.c_str(), debuglink_crc,
                              search != nullptr ? search->diags : nullptr);
    if (fd >= 0) {
      *debuginfo_file_name = strdup(candidate.path.c_str());
      return fd;
    }
  }
  // Not libdwfl's dwfl_standard_find_debuginfo: where it finds nothing, it
  // loads libdebuginfod (and libcurl) to ask the servers of DEBUGINFOD_URLS.
  // hprof-text never touches the network.
  return -1;
}

}  // namespace hprof
