// A program whose heap profile holds more records than gperftools writes in
// one dump (1 MiB up to 2.15): 2^14 distinct call paths, each its own
// bucket of about 500 bytes of text, about 8 MB in all.  Half the paths'
// objects are freed, so their buckets count only in the allocated figures.
// Recorded by tests/e2e/record_losses_test.cc.
#include <cstdio>
#include <cstdlib>

namespace {

constexpr int kDepth = 14;
void* volatile g_keep[1 << kDepth];

void* branch(unsigned path, int depth, std::size_t size);

// Two call sites per level, so that each bit of `path` picks a return address.
__attribute__((noinline)) void* left(unsigned path, int depth, std::size_t size) {
  void* p = branch(path, depth, size);
  asm volatile("" : : "r"(p) : "memory");  // keeps the call from being a tail call
  return p;
}

__attribute__((noinline)) void* right(unsigned path, int depth, std::size_t size) {
  void* p = branch(path, depth, size);
  asm volatile("" : : "r"(p) : "memory");
  return p;
}

__attribute__((noinline)) void* branch(unsigned path, int depth, std::size_t size) {
  void* p = depth == 0     ? std::malloc(size)
            : (path & 1) ? left(path >> 1, depth - 1, size)
                         : right(path >> 1, depth - 1, size);
  asm volatile("" : : "r"(p) : "memory");
  return p;
}

}  // namespace

int main() {
  for (unsigned path = 0; path < (1u << kDepth); ++path) {
    void* p = branch(path, kDepth, 64 + 16 * (path % 251));  // in-use bytes differ from path to path
    if (path % 2 == 0) {
      std::free(p);
    } else {
      g_keep[path] = p;
    }
  }
  std::printf("%d call paths\n", 1 << kDepth);
  return 0;
}
