// The shared-library half of the end-to-end workload.
#pragma once

#include <cstddef>

namespace work {

// A template whose instantiations show up as one name, "work::Pool::grab".
template <typename T>
struct Pool {
  T* grab(std::size_t n);
};

// malloc()s `bytes` in the library and keeps it.
void* lib_leak(std::size_t bytes);

}  // namespace work
