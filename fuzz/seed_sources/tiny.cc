// The source of the ELF seeds of the elf_symbolize fuzz target: a few
// functions, inlined ones among them, in a namespace and a class, so that
// the seeds have symbols, DWARF with inline chains, and CFI.  Built with no
// standard library (fuzz/CMakeLists.txt) to keep the seeds a few KiB.
namespace seed {

static inline __attribute__((always_inline)) int twice(int x) { return x * 2; }

struct Counter {
  int value = 0;
  __attribute__((noinline)) void add(int x) { value += twice(x); }
};

__attribute__((noinline)) int leaf(int x) { return twice(x) + 1; }

int middle(int x) {
  Counter c;
  for (int i = 0; i < x; ++i) c.add(leaf(i));
  return c.value;
}

}  // namespace seed

extern "C" int seed_entry(int x) { return seed::middle(x); }
