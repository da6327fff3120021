// The end-to-end workload: a PIE program (-O2 -g) whose in-use memory at exit
// is known to the byte, recorded under libtcmalloc's heap profiler by the tests.
// Every amount below is asserted by tests/e2e/cpp_report_test.cc.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "libwork.h"

extern "C" void* stripped_entry(std::size_t n);  // libe2estripped.so, .dynsym only

namespace {

void* volatile g_keep[20000];
int g_next = 0;

void keep(void* p) { g_keep[g_next++] = p; }

// Anonymous namespace: 5 x 100000 bytes.
struct Anon {
  __attribute__((noinline)) static void* make(std::size_t n) {
    void* p = std::malloc(n);
    asm volatile("" : : "r"(p) : "memory");
    return p;
  }
};

}  // namespace

// Always inlined into main: 3000 x 4096 bytes.
static inline __attribute__((always_inline)) void* leak_malloc(std::size_t n) { return std::malloc(n); }

// Recursion, 8 levels x 262144 bytes: cum must not count a level twice.
__attribute__((noinline)) void recurse(int depth) {
  if (depth > 0) recurse(depth - 1);
  keep(std::malloc(262144));
  asm volatile("" ::: "memory");
}

// Allocated and freed: 100 x 10000 bytes, visible in alloc_space only.
__attribute__((noinline)) void churn() {
  for (int i = 0; i < 100; ++i) {
    void* p = std::malloc(10000);
    asm volatile("" : : "r"(p) : "memory");
    std::free(p);
  }
}

int main() {
  for (int i = 0; i < 3000; ++i) keep(leak_malloc(4096));
  for (int i = 0; i < 5; ++i) keep(Anon::make(100000));
  work::Pool<double> doubles;
  for (int i = 0; i < 10; ++i) keep(doubles.grab(1000));  // 10 x 8000 bytes
  work::Pool<long> longs;
  for (int i = 0; i < 4; ++i) keep(longs.grab(500));  // 4 x 4000 bytes
  for (int i = 0; i < 7; ++i) keep(work::lib_leak(30000));  // 7 x 30000 bytes
  for (int i = 0; i < 6; ++i) keep(stripped_entry(50000));  // 6 x 50000 bytes
  recurse(7);
  churn();
  std::printf("kept %d blocks\n", g_next);
  return 0;
}
