// A program that maps a page of its own code a second time, from its file,
// and allocates from the copy, as node (V8) runs its builtins from a second
// mapping of a piece of its code segment.  Recorded by
// tests/e2e/remapped_code_test.cc, which asserts the amounts below.
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

// 4 x 300000 bytes, allocated from the copy only.  It allocates through the
// pointer it is given: code run from the copy must not reach the program's
// PLT or GOT, whose addresses are relative to the loader's mapping.  Alone
// on its page, so that the copy is one page.
extern "C" __attribute__((noinline, aligned(4096))) void* allocate_in_copy(void* (*allocate)(std::size_t),
                                                                          std::size_t size) {
  void* p = allocate(size);
  asm volatile("" : : "r"(p) : "memory");  // keeps the call from being a tail call
  return p;
}

namespace {

void* volatile g_keep[4];

// The file offset of `address`, an address of the program's own code.
int64_t file_offset_of(const void* address) {
  struct Query {
    uintptr_t address;
    int64_t offset = -1;
  } query{reinterpret_cast<uintptr_t>(address)};
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* data) {
        auto* q = static_cast<Query*>(data);
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr)& ph = info->dlpi_phdr[i];
          const uintptr_t start = info->dlpi_addr + ph.p_vaddr;
          if (ph.p_type == PT_LOAD && q->address >= start && q->address < start + ph.p_filesz) {
            q->offset = static_cast<int64_t>(q->address - start + ph.p_offset);
          }
        }
        return 1;  // the first object is the program
      },
      &query);
  return query.offset;
}

}  // namespace

int main() {
  const int64_t offset = file_offset_of(reinterpret_cast<const void*>(&allocate_in_copy));
  const long page = sysconf(_SC_PAGESIZE);
  const int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (offset < 0 || offset % page != 0 || fd < 0) {
    std::fprintf(stderr, "cannot find allocate_in_copy's page in the program's file\n");
    return 1;
  }
  void* copy = mmap(nullptr, static_cast<std::size_t>(page), PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, offset);
  close(fd);
  if (copy == MAP_FAILED) {
    std::perror("mmap");
    return 1;
  }
  auto* in_copy = reinterpret_cast<decltype(&allocate_in_copy)>(copy);
  for (void* volatile& slot : g_keep) slot = in_copy(std::malloc, 300000);
  std::printf("code copied at %p, file offset 0x%llx\n", copy, static_cast<unsigned long long>(offset));
  return 0;
}
