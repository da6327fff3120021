// Where a later run can resume inflating a zlib-compressed .debug_info, and
// the first bytes of every unit, kept beside the symbol index as FILE.inflate.
// A run whose index lacks a few units (a new dump of the same process, with
// new PCs) then inflates those units alone, each from the point before it,
// instead of streaming the whole section again (libjvm's is 257 MB): the
// points are the inflater's whole state every few MB of output (ISA-L keeps
// the 32 KiB window in its state), taken while the first run streams.
//
// File layout, native byte order (the byte-order marker refuses the other):
//   0  char[8] magic "HPROFINF"; u32 format version; u32 byte order 0x01020304
//  16  u32 the inflater's version; u32 sizeof its state; u32 CRC-32 of the
//      file but these 4 bytes; u32 reserved
//  32  Origin (5 x u64); u64 point count; u64 unit count; u64 windows bytes
//  96  points: {u64 in_offset, u64 out_offset, u32 in_crc, u32 state bytes}
//      units:  {u64 offset, u64 size, u64 window bytes}
//      the points' states, then the windows, each back to back
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

struct inflate_state;  // ISA-L's

namespace hprof {

struct ResumePoints {
  // What the points were taken from: the file (as it was then) and its
  // .debug_info.  Points of another origin are not used.
  struct Origin {
    uint64_t file_size = 0;
    int64_t mtime_ns = 0;
    uint64_t section_offset = 0;   // of the compressed stream in the file
    uint64_t compressed_size = 0;  // of the stream
    uint64_t inflated_size = 0;
    bool operator==(const Origin&) const = default;
  };
  // The states and windows are in the file's mapping when read; when
  // recorded, the states in `owned` and the windows in the inflated image.
  struct Point {
    uint64_t in_offset = 0;   // bytes of the stream consumed (the state holds the bits not yet used)
    uint64_t out_offset = 0;  // bytes inflated
    uint32_t in_crc = 0;      // CRC-32 of the kInCheck stream bytes before in_offset
    std::span<const unsigned char> state;
  };
  struct Unit {
    uint64_t offset = 0, size = 0;  // the unit's header offset and its size, header included
    std::span<const unsigned char> window;  // its first bytes, up to PartialDebugInfo::kHeaderWindow
  };
  // Checked against the stream before a point is used: a file changed in
  // place with its size and time kept is not resumed in the middle of.
  static constexpr uint64_t kInCheck = 4096;

  Origin origin;
  std::vector<Point> points;  // by out_offset
  std::vector<Unit> units;    // in order, back to back from offset 0
  std::vector<std::vector<unsigned char>> owned;

  ResumePoints() = default;
  ResumePoints(ResumePoints&& other) noexcept;
  ResumePoints& operator=(ResumePoints&& other) noexcept;
  ~ResumePoints();

  // Reads `path`; nullopt when it is missing, malformed, damaged (CRC), or
  // written for another inflater build (its state is read as it lies).
  static std::optional<ResumePoints> read(const std::string& path);
  // Writes `path` atomically; throws std::system_error when it cannot.
  void write(const std::string& path) const;
  // The last point at or before `out_offset`; null when none.
  const Point* point_before(uint64_t out_offset) const;

  // A point where `state` stands, having consumed `in_offset` bytes of
  // `stream` and inflated `out_offset`: between two calls of isal_inflate,
  // when the state holds its window (not at the end of the stream).
  void take(const inflate_state& state, const unsigned char* stream, uint64_t in_offset, uint64_t out_offset);
  // Sets `state` to `point`, reading `stream` (of `stream_size` bytes) from
  // its in_offset on, at most `feed` bytes for now; false when the stream
  // before the point is not what it was.
  static bool restore(const Point& point, const unsigned char* stream, uint64_t stream_size, uint64_t feed,
                      inflate_state& state);

 private:
  void* mapping_ = nullptr;  // of the file read
  size_t mapping_size_ = 0;
};

}  // namespace hprof
