#include "symbolize/pseudo_path.h"

#include <algorithm>

#include "common/paths.h"

namespace hprof {
namespace {

// "anon_inode:", "memfd:", "socket:", "pipe:": how the kernel names a file
// that has no path, never a leading directory of a relative path.
bool has_kernel_name_prefix(std::string_view path) {
  const std::size_t colon = path.find(':');
  if (colon == 0 || colon == std::string_view::npos) return false;
  const std::string_view word = path.substr(0, colon);
  return std::all_of(word.begin(), word.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

}  // namespace

bool is_pseudo_path(std::string_view path) {
  if (path.empty()) return true;
  const std::string_view name = basename_of(path);
  if (name.starts_with('[') || name.starts_with("linux-vdso")) return true;
  if (path.front() != '/') return has_kernel_name_prefix(path);
  return path.starts_with("/dev/") || path.starts_with("/memfd:") || path.starts_with("/SYSV") ||
         path.starts_with("//anon") || path.starts_with("/proc/") || path.starts_with("/sys/");
}

}  // namespace hprof
