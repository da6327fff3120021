// The symbol index file format, version 1.  Native byte order (the byte-order
// marker refuses a file from a machine of the other order); every record is
// fixed-size and naturally aligned, every section starts at a multiple of 8,
// so lookups read the records in place in the mapping.  Padding is zero.
//
//   Header (216 bytes)
//     0  char[8]  magic "HPROFIDX"           } these 16 bytes stay where they
//     8  u32      format version             } are in every version, so any
//    12  u32      byte-order marker 0x01020304 } version can be told apart
//    16  u64      total file size
//    24  u32      CRC-32 (libdeflate_crc32) of the whole file but these 4 bytes
//    28  u32      build-id (string)
//    32  u32      own table (string: ".symtab", ".dynsym" or "none")
//    36  u32      reserved
//    40  {u64 offset, u64 count}[11]  the sections, in this order:
//   Sections (offsets from the start of the file; count in records)
//     sources        {u64 size, i64 mtime_ns, u32 path, u32 pad}   the key's files
//     strings        bytes: NUL-terminated strings, each distinct one once;
//                    offset 0 is "", the last byte is NUL
//     file symbols   {u64 start, u64 size, u32 name, u32 pad}      finished order
//     file max_end   u64 per file symbol: running max of start + size
//     debug symbols  as file symbols
//     debug max_end  as file max_end
//     FDE extents    {u64 start, u64 end}                           sorted by start
//     intervals      {u64 start, u64 end, u32 chain, u32 pad}       sorted, disjoint
//     chains         {u32 first, u32 count}: frame_ids[first, first + count)
//     frame ids      u32 into frames, innermost frame first
//     frames         {u32 function, u32 file, u32 line, u8 inlined, u8[3] pad},
//                    each distinct frame once
//   A string is a byte offset into `strings`.
//
// open() reads the whole file once, for the checksum, and checks what the
// header points at (sections inside the file, the key's strings inside the
// pool).  The references inside records (names, chains, frame ids) are
// checked when a lookup follows them, so opening a large index costs one
// pass; a bad one makes that lookup answer nothing (a name) or "ask the
// DWARF" (frames).  With a matching checksum only a writer bug or a crafted
// file gets there.
#pragma once

#include <libdeflate.h>

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace hprof::index_format {

constexpr char kMagic[8] = {'H', 'P', 'R', 'O', 'F', 'I', 'D', 'X'};
constexpr uint32_t kByteOrder = 0x01020304;

enum Section : std::size_t {
  kSources,
  kStrings,
  kFileSymbols,
  kFileMaxEnd,
  kDebugSymbols,
  kDebugMaxEnd,
  kFdeExtents,
  kIntervals,
  kChains,
  kFrameIds,
  kFrames,
  kSectionCount,
};

struct SectionRef {
  uint64_t offset, count;
};

struct Header {
  char magic[8];
  uint32_t version;
  uint32_t byte_order;
  uint64_t file_size;
  uint32_t checksum;
  uint32_t build_id;
  uint32_t own_table;
  uint32_t reserved;
  SectionRef sections[kSectionCount];
};
// What every version shares: magic, version, byte order.
constexpr std::size_t kPrefixSize = 16;
static_assert(offsetof(Header, version) == 8 && offsetof(Header, file_size) == kPrefixSize);

struct SourceRecord {
  uint64_t size;
  int64_t mtime_ns;
  uint32_t path, pad;
};
struct SymbolRecord {
  uint64_t start, size;
  uint32_t name, pad;
};
struct ExtentRecord {
  uint64_t start, end;
};
struct IntervalRecord {
  uint64_t start, end;
  uint32_t chain, pad;
};
struct ChainRecord {
  uint32_t first, count;
};
struct FrameRecord {
  uint32_t function, file, line;
  uint8_t inlined, pad[3];
};

// What the index holds of each name source, one part per source in
// names/name_order.h's order (NameSources::all()), each of one shape.  A new
// source the index holds is a row here with its sections (and a new format
// version); the writer and the reader follow this table.
enum class Shape { kSymbols, kIntervals, kExtents };
struct PartLayout {
  Shape shape;
  Section records;
  Section max_end;  // kSymbols: innermost_symbol's running max of start + size
};
constexpr PartLayout kParts[] = {
    {Shape::kSymbols, kFileSymbols, kFileMaxEnd},    // the file's own table
    {Shape::kIntervals, kIntervals, kIntervals},     // DWARF, its chains in kChains, kFrameIds, kFrames
    {Shape::kSymbols, kDebugSymbols, kDebugMaxEnd},  // the debug file's table
    {Shape::kExtents, kFdeExtents, kFdeExtents},     // CFI function starts
};

constexpr const char* kSectionName[kSectionCount] = {
    "sources", "strings", "file symbols", "file max_end", "debug symbols", "debug max_end",
    "FDE extents", "intervals", "chains", "frame ids", "frames"};
constexpr std::size_t kRecordSize[kSectionCount] = {
    sizeof(SourceRecord), 1, sizeof(SymbolRecord), sizeof(uint64_t), sizeof(SymbolRecord), sizeof(uint64_t),
    sizeof(ExtentRecord), sizeof(IntervalRecord), sizeof(ChainRecord), sizeof(uint32_t), sizeof(FrameRecord)};
static_assert(sizeof(Header) == 216 && sizeof(SourceRecord) == 24 && sizeof(SymbolRecord) == 24 &&
              sizeof(IntervalRecord) == 24 && sizeof(FrameRecord) == 16);
// No hidden padding: every byte written is a field's, so files are
// reproducible and the checksum covers only what was meant.
static_assert(std::has_unique_object_representations_v<Header> &&
              std::has_unique_object_representations_v<SourceRecord> &&
              std::has_unique_object_representations_v<SymbolRecord> &&
              std::has_unique_object_representations_v<ExtentRecord> &&
              std::has_unique_object_representations_v<IntervalRecord> &&
              std::has_unique_object_representations_v<ChainRecord> &&
              std::has_unique_object_representations_v<FrameRecord>);

inline uint64_t align8(uint64_t n) { return (n + 7) & ~uint64_t{7}; }

// The checksum skips its own field, so it can be written after the rest.
inline uint32_t checksum_of(const unsigned char* bytes, std::size_t size) {
  constexpr std::size_t at = offsetof(Header, checksum);
  uint32_t crc = libdeflate_crc32(0, bytes, at);
  return libdeflate_crc32(crc, bytes + at + sizeof(uint32_t), size - at - sizeof(uint32_t));
}

}  // namespace hprof::index_format
