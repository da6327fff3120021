// Writing to a file descriptor with every write checked: the report on
// standard output, and the files that common/atomic_file.h writes.
#pragma once

#include <streambuf>
#include <string_view>
#include <vector>

namespace hprof {

// Writes all of `bytes` to `fd`, resuming after EINTR and short writes.
// Returns 0, or the errno of the write that failed (EIO for a write that
// made no progress and gave no errno of its own).
int write_all(int fd, std::string_view bytes);

// A stream buffer over a descriptor it does not own until close(): output is
// buffered, every write checked, and the first failure's errno kept (what
// comes after it is dropped, so one failure is one cause).
class FdOutput : public std::streambuf {
 public:
  explicit FdOutput(int fd);
  FdOutput(const FdOutput&) = delete;
  FdOutput& operator=(const FdOutput&) = delete;

  // Writes what is buffered, then closes the descriptor when anything was
  // ever written to it (a descriptor that was never used, e.g. a closed
  // stdout in a run that printed nothing, is no error).  Returns 0 or the
  // errno of the first failed write or of close().
  int close();
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* data, std::streamsize n) override;
  int sync() override;

 private:
  void put(std::string_view bytes);
  bool drain();

  int fd_;
  int error_ = 0;
  bool used_ = false;
  bool closed_ = false;
  std::vector<char> buffer_;
};

}  // namespace hprof
