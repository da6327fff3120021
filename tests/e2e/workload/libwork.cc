// Built as libe2ework.so with -O2 -g: names here come from a shared object
// mapped at a random address.
#include "libwork.h"

#include <cstdlib>

namespace work {

template <typename T>
__attribute__((noinline)) T* Pool<T>::grab(std::size_t n) {
  T* p = new T[n];
  asm volatile("" : : "r"(p) : "memory");  // no tail call: keep this frame
  return p;
}
template struct Pool<double>;
template struct Pool<long>;

__attribute__((noinline)) void* lib_leak(std::size_t bytes) {
  void* p = std::malloc(bytes);
  asm volatile("" : : "r"(p) : "memory");
  return p;
}

}  // namespace work
