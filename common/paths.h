// Small helpers on path strings, shared by the symbolizer's messages and labels
// and the report.
#pragma once

#include <sys/stat.h>

#include <string>
#include <string_view>

namespace hprof {

// The profile path that stands for standard input, and its name in messages.
inline constexpr std::string_view kStandardInput = "-";
inline constexpr const char* kStandardInputName = "<stdin>";

// The last component of `path` ("libz.so.1" for "/usr/lib/libz.so.1"), a
// view into `path`.
inline std::string_view basename_of(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// The same, as a string of its own.
inline std::string basename_of(const std::string& path) { return std::string(basename_of(std::string_view(path))); }

// True when the file name of `path` is a shared object's, by the Go pprof's
// rule (`\.so$|\.so[._][0-9]+`): "x.so", "x.so.1", "x-2.31.so"; not
// "x.sock" nor "x.so.old".
inline bool is_shared_object(std::string_view path) {
  const std::string_view file = basename_of(path);
  for (std::size_t at = file.find(".so"); at != std::string_view::npos; at = file.find(".so", at + 1)) {
    const std::string_view rest = file.substr(at + 3);
    if (rest.empty()) return true;
    if ((rest[0] == '.' || rest[0] == '_') && rest.size() > 1 && rest[1] >= '0' && rest[1] <= '9') return true;
  }
  return false;
}

// True when `path` names a regular file (symlinks followed): never a
// directory, device or FIFO.
inline bool is_regular_file(const std::string& path) {
  struct stat st{};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace hprof
