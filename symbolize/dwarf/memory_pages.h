// Page-granular memory helpers shared by the inflating readers.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>

namespace hprof {

inline uintptr_t page_size() { return static_cast<uintptr_t>(sysconf(_SC_PAGESIZE)); }

// Gives back the whole pages inside [data, data + size) of a read-only file
// mapping once they are read: the file stays mapped, so they are read again
// if anything asks, and they no longer count in the peak.
inline void release_pages(const unsigned char* data, size_t size) {
  const uintptr_t page = page_size();
  uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + page - 1) & ~(page - 1);
  uintptr_t end = (reinterpret_cast<uintptr_t>(data) + size) & ~(page - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

// Maps the pages holding [data, data + size) of an anonymous mapping, about
// to be written, in one call: page by page, the faults of writing a few
// hundred MB of inflated DWARF cost more than the copying.  Nothing when
// the kernel cannot (before Linux 5.14): the writes then fault as usual.
inline void populate_pages(unsigned char* data, size_t size) {
#ifdef MADV_POPULATE_WRITE
  const uintptr_t page = page_size();
  uintptr_t begin = reinterpret_cast<uintptr_t>(data) & ~(page - 1);
  uintptr_t end = (reinterpret_cast<uintptr_t>(data) + size + page - 1) & ~(page - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
#else
  (void)data;
  (void)size;
#endif
}

// Gives back the whole pages inside [data, data + size) of an anonymous
// mapping: they read as zeros from then on.
inline void release_written_pages(unsigned char* data, size_t size) {
  release_pages(data, size);
}

// Sets the protection of the whole pages inside [data, data + size).
inline bool protect_pages(unsigned char* data, size_t size, int protection) {
  const uintptr_t page = page_size();
  uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + page - 1) & ~(page - 1);
  uintptr_t end = (reinterpret_cast<uintptr_t>(data) + size) & ~(page - 1);
  return end <= begin || mprotect(reinterpret_cast<void*>(begin), end - begin, protection) == 0;
}

}  // namespace hprof
