#include "symbolize/program_match.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <libelf.h>
#include <unistd.h>

#include <optional>

#include "common/paths.h"
#include "symbolize/elf/debug_search.h"

namespace hprof {
namespace {

// Only the note is read: the file is not used for names, so it is not
// opened as an ObjectFile (no index, no debug file search, no warning).
std::optional<std::string> file_build_id(const std::string& path) {
  if (!is_regular_file(path)) return std::nullopt;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::optional<std::string> id;
  elf_version(EV_CURRENT);
  if (Elf* elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr)) {
    id = elf_build_id(elf);
    elf_end(elf);
  }
  ::close(fd);
  return id;
}

}  // namespace

void warn_if_program_is_another_build(const std::string& program, const ObjectFile& program_object,
                                      const std::string& mapped, const std::string& located, Diagnostics& diags) {
  const std::string program_id = program_object.build_id();
  if (program_id.empty()) return;
  const std::optional<std::string> mapped_id = file_build_id(located);
  if (!mapped_id || *mapped_id == program_id) return;
  const std::string where = located == mapped ? mapped : fmt::format("{} (found as {})", mapped, located);
  diags.warn_once("program-build:" + program + ":" + located,
                  fmt::format("{} is another build than the file the profile maps as its program, {}: build-id {} "
                              "here, {} there; its names are used, and are wrong if the profile was recorded with "
                              "{} (give the program that ran: hprof-text PROGRAM PROFILE)",
                              program, where, program_id, *mapped_id, located));
}

}  // namespace hprof
