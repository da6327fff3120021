// The parsed model of one gperftools heap profile (.heap text file).
//
// Address vocabulary used across hprof-text:
//   pc         a runtime return address, exactly as written in the profile;
//   lookup_pc  the address looked up for a pc: pc - 1, inside the call instruction,
//              for a return address (the leaf-pc rule of profile/kind.h);
//   bias       the load bias of a mapping: lookup_pc - bias is a file_vaddr;
//   file_vaddr a link-time virtual address inside one ELF file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hprof {

// The four numbers of one record "n1: s1 [n2: s2] @ ...": in-use objects and
// bytes, then allocated objects and bytes.  After parsing they are already
// unsampled (see unsample_pair), so they are what the report sums.
struct HeapValues {
  int64_t inuse_objects = 0;
  int64_t inuse_bytes = 0;
  int64_t alloc_objects = 0;
  int64_t alloc_bytes = 0;
  bool operator==(const HeapValues&) const = default;
};

// One record of the dump, or (gperftools) several with the same stack and
// values, folded while parsing (parse/record_folding.h).
struct Sample {
  HeapValues values;            // summed over the records it folds
  std::vector<uint64_t> stack;  // pcs as written: return addresses, leaf first
  std::size_t line = 0;         // 1-based line of its first record in its file
  uint64_t records = 1;         // how many records of the dump it folds
};

enum class Sampling {
  kNone,     // "heapprofile", "growth": exact counts
  kPoisson,  // "heap_v2/N", "heapz_v2/N", "heap/N" (period N/2): unsample
};

enum class ProfileFormat {
  kGperftools,  // "heap profile: N: N [N: N] @ TYPE", one line per record
  kJemalloc,    // jemalloc's "heap_v2/N", "@ stack" then "t*: ..." lines (parse/jemalloc_profile.h)
};

struct HeapHeader {
  ProfileFormat format = ProfileFormat::kGperftools;
  std::string tag;             // "heapprofile", "heap_v2", "heapz_v2", "heap", "growth", "growthz"
  Sampling sampling = Sampling::kNone;
  uint64_t period = 0;         // sampling period in bytes used for unsampling (0 = unknown)
  HeapValues totals;         // the header's own totals (jemalloc: the first "t*:" line), raw
  bool has_totals = false;     // false for a jemalloc dump without its "t*:" totals line
};

// The records' in-use and allocated bytes as written, before unsampling,
// summed: what the header's totals count when no record is lost
// (parse/record_losses.h).
struct WrittenBytes {
  int64_t inuse = 0;
  int64_t alloc = 0;
  // Adds modulo 2^64: the sums are used only once the unsampled magnitudes,
  // never smaller, are known to fit (HeapProfile::magnitude).
  void add(const HeapValues& raw) {
    inuse = static_cast<int64_t>(static_cast<uint64_t>(inuse) + static_cast<uint64_t>(raw.inuse_bytes));
    alloc = static_cast<int64_t>(static_cast<uint64_t>(alloc) + static_cast<uint64_t>(raw.alloc_bytes));
  }
};

// One line of the MAPPED_LIBRARIES / "--- Memory map: ---" section
// (/proc/PID/maps form).
struct Mapping {
  uint64_t start = 0;   // first address
  uint64_t limit = 0;   // one past the last address
  uint64_t offset = 0;  // file offset of `start`
  std::string perms;    // "r-xp"
  uint64_t inode = 0;
  // As written, with the maps' "$NAME" attributes substituted and " (deleted)"
  // removed; may contain spaces; may be empty; may be relative.
  std::string path;
  bool deleted = false; // the path ended in " (deleted)"
  std::size_t line = 0; // 1-based line in the profile
  bool executable() const { return perms.size() >= 3 && perms[2] == 'x'; }
};

struct HeapProfile {
  std::string source;               // the path given on the command line
  HeapHeader header;
  std::vector<Sample> samples;      // in the order of their first records
  std::vector<Mapping> mappings;    // every maps line that parsed, in file order
  bool has_maps_section = false;
  HeapValues magnitude;           // per value, the sum of |value| over the samples
  WrittenBytes written;             // the samples' bytes as the file wrote them
  std::size_t size = 0;             // bytes read from the file
};

// Adds |value| to `sum`; false (and `sum` unspecified) when the sum would
// pass 2^63-1 (the bound on what one report adds up: profile/values.h).
bool add_magnitude(int64_t& sum, int64_t value);
// The same for each of the four values.
bool add_magnitudes(HeapValues& sum, const HeapValues& values);

// Poisson unsampling of one (count, bytes) pair, exactly as the Go pprof does:
// scale = 1 / (1 - exp(-(bytes/count) / period)), both values multiplied and
// truncated toward zero.  count == 0 or bytes == 0 gives (0, 0); period <= 1
// leaves the pair unchanged.
struct CountBytes {
  int64_t count = 0;
  int64_t bytes = 0;
  bool operator==(const CountBytes&) const = default;
};
CountBytes unsample_pair(int64_t count, int64_t bytes, uint64_t period);

}  // namespace hprof
