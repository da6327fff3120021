// leaky: a small program that leaks memory in a few recognisable ways, so that a heap
// profile recorded under libtcmalloc gives an interesting and deterministic report.
//
// Record it (scripts/demo.sh does this):
//   LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc.so.4 HEAPPROFILE=out/demo/leaky build/demo/leaky
// gperftools writes out/demo/leaky.NNNN.heap at exit ("Exiting, N MB in use").
//
// What is still in use at exit (about 28 MiB):
//   demo::StringCache::Put        5000 strings of 1000 bytes, a cache that never evicts
//                                 (plus the vector's spare capacity, freed when it grows)
//   demo::leak_buffers            200 x 64 KiB from malloc, never freed (12.5 MiB)
//   demo::recurse                 one 32 KiB block per level, 64 levels (2 MiB)
//   demo::Arena::Grab (inline)    inlined into demo::fill_arena: 100 x 80 KiB
// What was allocated and freed again (counts for --alloc_space, not --inuse_space):
//   demo::churn                   1000 x 128 KiB, each freed at once
//
// The program needs no gperftools header: the profiler is driven by environment variables.
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace demo {

// Keeps every allocation reachable from a global so the compiler cannot drop it.
void* volatile g_sink = nullptr;

// A cache that never evicts: every Put keeps its string forever.
class StringCache {
 public:
  __attribute__((noinline)) void Put(const std::string& key) { entries_.push_back(key); }
  std::size_t size() const { return entries_.size(); }

 private:
  std::vector<std::string> entries_;
};

// Heap-allocated and never deleted, so its destructor does not run before the exit dump.
StringCache* g_cache = new StringCache;

__attribute__((noinline)) void fill_cache(int n) {
  for (int i = 0; i < n; ++i) {
    std::string value(1000, static_cast<char>('a' + i % 26));
    g_cache->Put(value);
  }
}

__attribute__((noinline)) void leak_buffers() {
  constexpr std::size_t kBufferSize = 64 * 1024;
  void** buffers = static_cast<void**>(std::malloc(200 * sizeof(void*)));
  for (int i = 0; i < 200; ++i) {
    buffers[i] = std::malloc(kBufferSize);
    std::memset(buffers[i], i, kBufferSize);
  }
  g_sink = buffers;  // the pointer array itself leaks too
}

struct Level {
  Level* next;
  char payload[32 * 1024 - sizeof(Level*)];
};

// One allocation per level; the work after the call keeps it a real recursion.
__attribute__((noinline)) Level* recurse(int depth) {
  Level* level = new Level;
  level->payload[0] = static_cast<char>(depth);
  level->next = depth > 1 ? recurse(depth - 1) : nullptr;
  asm volatile("" : : "r"(level) : "memory");
  return level;
}

// A bump allocator whose Grab is always inlined into its caller.
class Arena {
 public:
  __attribute__((always_inline)) inline char* Grab(std::size_t n) {
    char* block = new char[n];
    block[0] = 1;
    blocks_.push_back(block);
    return block;
  }

 private:
  std::vector<char*> blocks_;
};

__attribute__((noinline)) void fill_arena() {
  auto* arena = new Arena;  // never deleted
  for (int i = 0; i < 100; ++i) arena->Grab(80 * 1024);
  g_sink = arena;
}

// Allocated and freed again: shows up in --alloc_space only.
__attribute__((noinline)) void churn() {
  for (int i = 0; i < 1000; ++i) {
    char* scratch = static_cast<char*>(std::malloc(128 * 1024));
    std::memset(scratch, i, 128 * 1024);
    g_sink = scratch;
    std::free(scratch);
  }
}

}  // namespace demo

int main() {
  demo::fill_cache(5000);
  demo::leak_buffers();
  demo::g_sink = demo::recurse(64);
  demo::fill_arena();
  demo::churn();
  std::fprintf(stderr, "leaky: %zu cache entries, exiting without freeing\n",
               demo::g_cache->size());
  return 0;
}
