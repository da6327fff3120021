#include "symbolize/elf/elf_module.h"

#include <elfutils/libdwelf.h>
#include <elfutils/libdwfl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "common/paths.h"
#include "symbolize/elf/elf_sections.h"
#include "symbolize/elf/elf_truncation.h"

namespace hprof {
namespace {

// Debug files are searched under the user's --debug-dir directories, then
// like gdb: next to the file, in .debug/, and under /usr/lib/debug (by
// build-id and by .gnu_debuglink); never through debuginfod (elf/debug_search.h).
const Dwfl_Callbacks kCallbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = find_debuginfo,
    .section_address = dwfl_offline_section_address,
    .debuginfo_path = nullptr,
};

}  // namespace

ElfModule::ElfModule(const std::string& path, DebugSearch search)
    : path_(path), display_name_(basename_of(path)), search_(std::make_unique<DebugSearch>(std::move(search))) {
  struct stat st{};
  if (stat(path.c_str(), &st) != 0) throw std::runtime_error(std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw std::runtime_error("is a directory");
  if (!S_ISREG(st.st_mode)) throw std::runtime_error("not a regular file");

  dwfl_ = dwfl_begin(&kCallbacks);
  if (dwfl_ == nullptr) throw std::runtime_error(dwfl_errmsg(-1));
  module_ = dwfl_report_elf(dwfl_, display_name_.c_str(), path.c_str(), -1, 0, true);
  // A file cut short may still open, with its tables, symbols and DWARF
  // gone: refused whole, with why, instead of frames unnamed without a word.
  GElf_Addr main_bias = 0;
  std::optional<std::string> cut = elf_truncation(path, static_cast<uint64_t>(st.st_size),
                                                  module_ != nullptr ? dwfl_module_getelf(module_, &main_bias) : nullptr);
  if (module_ == nullptr || cut) {
    std::string reason = cut ? *cut : dwfl_errmsg(-1);
    dwfl_end(dwfl_);
    throw std::runtime_error(reason);
  }
  dwfl_report_end(dwfl_, nullptr, nullptr);
  void** userdata = nullptr;
  dwfl_module_info(module_, &userdata, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
  if (userdata != nullptr) *userdata = search_.get();
}

ElfModule::~ElfModule() { dwfl_end(dwfl_); }

Elf* ElfModule::elf() const {
  GElf_Addr bias = 0;
  return dwfl_module_getelf(module_, &bias);
}

std::string ElfModule::build_id() const { return module_build_id(module_).value_or(""); }

const char* ElfModule::libdwfl_debug_file() const {
  const char* main_file = nullptr;
  const char* debug_file = nullptr;
  dwfl_module_info(module_, nullptr, nullptr, nullptr, nullptr, nullptr, &main_file, &debug_file);
  if (debug_file != nullptr && (main_file == nullptr || std::strcmp(debug_file, main_file) != 0)) return debug_file;
  return nullptr;
}

const std::string& ElfModule::debug_file_path() {
  if (debug_path_) return *debug_path_;
  std::string& debug_path = debug_path_.emplace();
  Elf* own = elf();
  GElf_Shdr shdr;
  if (own == nullptr || section_named(own, ".debug_info", &shdr) != nullptr) return debug_path;
  // Asked of a module of its own: libdwfl's search keeps what it opens in
  // the module it searches for, and this module's own search may be still
  // to come.
  Dwfl* dwfl = dwfl_begin(&kCallbacks);
  if (dwfl == nullptr) return debug_path;
  Dwfl_Module* probe = dwfl_report_elf(dwfl, display_name_.c_str(), path_.c_str(), -1, 0, true);
  dwfl_report_end(dwfl, nullptr, nullptr);
  GElf_Addr bias = 0;
  Elf* probe_elf = probe != nullptr ? dwfl_module_getelf(probe, &bias) : nullptr;
  if (probe_elf != nullptr) {
    void* userdata = search_.get();
    Dwarf_Addr low = 0;
    const char* name = dwfl_module_info(probe, nullptr, &low, nullptr, nullptr, nullptr, nullptr, nullptr);
    GElf_Word crc = 0;
    const char* debuglink = dwelf_elf_gnu_debuglink(probe_elf, &crc);
    char* found = nullptr;
    int fd = find_debuginfo(probe, &userdata, name, low, path_.c_str(), debuglink, crc, &found);
    if (found != nullptr) debug_path = found;
    std::free(found);
    if (fd >= 0) close(fd);
  }
  dwfl_end(dwfl);
  return debug_path;
}

}  // namespace hprof
