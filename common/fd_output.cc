#include "common/fd_output.h"

#include <unistd.h>

#include <cerrno>

namespace hprof {
namespace {

constexpr std::size_t kBufferSize = 64 * 1024;

}  // namespace

int write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return EIO;  // no progress and no errno of its own: a stale one would mislead
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

FdOutput::FdOutput(int fd) : fd_(fd), buffer_(kBufferSize) { setp(buffer_.data(), buffer_.data() + buffer_.size()); }

void FdOutput::put(std::string_view bytes) {
  if (bytes.empty()) return;
  used_ = true;
  if (error_ == 0) error_ = write_all(fd_, bytes);
}

bool FdOutput::drain() {
  put(std::string_view(pbase(), static_cast<std::size_t>(pptr() - pbase())));
  setp(buffer_.data(), buffer_.data() + buffer_.size());
  return error_ == 0;
}

FdOutput::int_type FdOutput::overflow(int_type c) {
  if (!drain()) return traits_type::eof();
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  *pptr() = traits_type::to_char_type(c);
  pbump(1);
  return c;
}

std::streamsize FdOutput::xsputn(const char* data, std::streamsize n) {
  const auto size = static_cast<std::size_t>(n);
  if (size <= static_cast<std::size_t>(epptr() - pptr())) {
    traits_type::copy(pptr(), data, size);
    pbump(static_cast<int>(size));
    return n;
  }
  // A whole report goes out in one write rather than through the buffer.
  if (!drain()) return 0;
  put(std::string_view(data, size));
  return error_ == 0 ? n : 0;
}

int FdOutput::sync() { return drain() ? 0 : -1; }

int FdOutput::close() {
  drain();
  if (used_ && !closed_) {
    closed_ = true;
    if (::close(fd_) != 0 && error_ == 0) error_ = errno;
  }
  return error_;
}

}  // namespace hprof
