// Where functions start, from the binary search table of .eh_frame_hdr:
// every function with unwind information is listed there, symbols or not,
// so stripped code can be named by its start ("libz.so.1+0xab40").
#pragma once

#include <gelf.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace hprof {

class FunctionStarts {
 public:
  // Reads the table of `elf`; empty when there is none or it is malformed.
  explicit FunctionStarts(Elf* elf);

  // The largest start <= file_vaddr, if any.  The caller checks that an FDE
  // really covers the address (the table has no ends).
  std::optional<uint64_t> start_before(uint64_t file_vaddr) const;
  bool empty() const { return starts_.empty(); }

 private:
  std::vector<uint64_t> starts_;  // sorted
};

}  // namespace hprof
