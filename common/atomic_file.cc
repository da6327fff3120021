#include "common/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "common/fd_output.h"

namespace hprof {
namespace {

[[noreturn]] void fail(int error, const std::string& path) {
  throw std::system_error(error, std::generic_category(), "cannot write " + path);
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view bytes, bool durable) {
  write_file_atomically(path, std::span<const std::string_view>(&bytes, 1), durable);
}

void write_file_atomically(const std::string& path, std::span<const std::string_view> pieces, bool durable) {
  std::filesystem::path target(path);
  std::filesystem::path dir = target.parent_path();
  std::string prefix = (dir.empty() ? std::string() : dir.string() + "/") + "." + target.filename().string() +
                       ".tmp." + std::to_string(getpid()) + ".";
  static std::atomic<unsigned> counter{0};  // threads of one process write too
  std::string temp;
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    temp = prefix + std::to_string(counter++);
    fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && (errno != EEXIST || attempt >= 100)) fail(errno, path);
  }
  int error = 0;
  for (std::string_view piece : pieces) {
    if (error == 0) error = write_all(fd, piece);
  }
  if (error == 0 && durable && fsync(fd) != 0) error = errno;
  if (close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && std::rename(temp.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) {
    unlink(temp.c_str());
    fail(error, path);
  }
}

}  // namespace hprof
