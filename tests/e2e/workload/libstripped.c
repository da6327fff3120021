/* Built as libe2estripped.so, then stripped to .dynsym only (like Debian's
 * libz): internal_alloc has no symbol left, and it sits right after the
 * exported stripped_exported_first, which the Perl pprof would blame. */
#include <stdlib.h>

__attribute__((noinline, used)) void* stripped_exported_first(size_t n) {
  void* p = malloc(n + 1);
  __asm__ volatile("" : : "r"(p) : "memory");
  return p;
}

__attribute__((noinline, visibility("hidden"))) void* internal_alloc(size_t n) {
  void* p = malloc(n);
  __asm__ volatile("" : : "r"(p) : "memory");
  return p;
}

__attribute__((noinline)) void* stripped_entry(size_t n) {
  void* p = internal_alloc(n);
  __asm__ volatile("" : : "r"(p) : "memory");
  return p;
}
