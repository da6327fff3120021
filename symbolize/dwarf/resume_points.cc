#include "symbolize/dwarf/resume_points.h"

#include <isa-l.h>
#include <isa-l/igzip_lib.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <span>
#include <string_view>
#include <utility>

#include "common/atomic_file.h"

namespace hprof {
namespace {

constexpr char kMagic[8] = {'H', 'P', 'R', 'O', 'F', 'I', 'N', 'F'};
constexpr uint32_t kVersion = 1;
constexpr uint32_t kByteOrder = 0x01020304;
// The states are ISA-L's inflate_state as it lies in memory: only the build
// that wrote them reads them.
constexpr uint32_t kInflaterVersion = ISAL_VERSION;
constexpr uint32_t kStateSize = sizeof(inflate_state);

struct Header {
  char magic[8];
  uint32_t version, byte_order;
  uint32_t inflater_version, state_size, checksum, reserved;
  uint64_t file_size;
  int64_t mtime_ns;
  uint64_t section_offset, compressed_size, inflated_size;
  uint64_t point_count, unit_count, window_bytes;
};
static_assert(sizeof(Header) == 96 && offsetof(Header, checksum) == 24);
struct PointRecord {
  uint64_t in_offset, out_offset;
  uint32_t in_crc, state_bytes;
};
struct UnitRecord {
  uint64_t offset, size, window_bytes;
};

// The CRC-32 of the file but its checksum field, over the file in pieces
// (the first holds the header).
uint32_t checksum_of(std::span<const std::string_view> pieces) {
  constexpr size_t at = offsetof(Header, checksum);
  const std::string_view head = pieces.front();
  uint32_t crc = libdeflate_crc32(0, head.data(), at);
  crc = libdeflate_crc32(crc, head.data() + at + 4, head.size() - at - 4);
  for (std::string_view piece : pieces.subspan(1)) crc = libdeflate_crc32(crc, piece.data(), piece.size());
  return crc;
}

template <typename T>
void append(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

// Reads records off the front of `bytes`; false once something is missing.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}
  template <typename T>
  bool take(T& value) {
    if (rest_.size() < sizeof value) return false;
    std::memcpy(&value, rest_.data(), sizeof value);
    rest_.remove_prefix(sizeof value);
    return true;
  }
  bool take(std::span<const unsigned char>& out, uint64_t size) {
    if (rest_.size() < size) return false;
    out = {reinterpret_cast<const unsigned char*>(rest_.data()), static_cast<size_t>(size)};
    rest_.remove_prefix(size);
    return true;
  }
  bool done() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

}  // namespace

ResumePoints::ResumePoints(ResumePoints&& other) noexcept
    : origin(other.origin),
      points(std::move(other.points)),
      units(std::move(other.units)),
      owned(std::move(other.owned)),
      mapping_(std::exchange(other.mapping_, nullptr)),
      mapping_size_(std::exchange(other.mapping_size_, 0)) {}

// Swapped: `other` unmaps what this held.
ResumePoints& ResumePoints::operator=(ResumePoints&& other) noexcept {
  std::swap(origin, other.origin);
  std::swap(points, other.points);
  std::swap(units, other.units);
  std::swap(owned, other.owned);
  std::swap(mapping_, other.mapping_);
  std::swap(mapping_size_, other.mapping_size_);
  return *this;
}

ResumePoints::~ResumePoints() {
  if (mapping_ != nullptr) munmap(mapping_, mapping_size_);
}

std::optional<ResumePoints> ResumePoints::read(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st;
  const bool sized = fstat(fd, &st) == 0 && st.st_size >= static_cast<off_t>(sizeof(Header));
  // Read whole for the checksum: mapped in one call.
  void* mapped = sized ? mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0) : MAP_FAILED;
  ::close(fd);
  if (mapped == MAP_FAILED) return std::nullopt;
  ResumePoints result;
  result.mapping_ = mapped;
  result.mapping_size_ = static_cast<size_t>(st.st_size);
  const std::string_view bytes(static_cast<const char*>(mapped), result.mapping_size_);
  Header header;
  std::memcpy(&header, bytes.data(), sizeof header);
  if (std::memcmp(header.magic, kMagic, sizeof kMagic) != 0 || header.version != kVersion ||
      header.byte_order != kByteOrder || header.inflater_version != kInflaterVersion ||
      header.state_size != kStateSize || header.checksum != checksum_of({&bytes, 1})) {
    return std::nullopt;
  }
  // Counts bounded by the file before anything is sized by them.
  const uint64_t room = bytes.size() - sizeof header;
  if (header.point_count > room / sizeof(PointRecord) || header.unit_count > room / sizeof(UnitRecord)) {
    return std::nullopt;
  }
  result.origin = {header.file_size, header.mtime_ns, header.section_offset, header.compressed_size,
                   header.inflated_size};
  Reader reader(bytes.substr(sizeof header));
  std::vector<PointRecord> points(header.point_count);
  std::vector<UnitRecord> units(header.unit_count);
  for (PointRecord& point : points) {
    if (!reader.take(point) || point.state_bytes > kStateSize) return std::nullopt;
  }
  for (UnitRecord& unit : units) {
    if (!reader.take(unit)) return std::nullopt;
  }
  result.points.resize(points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    Point& point = result.points[i];
    point.in_offset = points[i].in_offset;
    point.out_offset = points[i].out_offset;
    point.in_crc = points[i].in_crc;
    if (!reader.take(point.state, points[i].state_bytes)) return std::nullopt;
    if (i > 0 && point.out_offset <= result.points[i - 1].out_offset) return std::nullopt;
  }
  result.units.resize(units.size());
  uint64_t next = 0;
  for (size_t i = 0; i < units.size(); ++i) {
    Unit& unit = result.units[i];
    unit.offset = units[i].offset;
    unit.size = units[i].size;
    if (unit.offset != next || units[i].window_bytes > unit.size ||
        __builtin_add_overflow(unit.offset, unit.size, &next) || !reader.take(unit.window, units[i].window_bytes)) {
      return std::nullopt;
    }
  }
  if (!reader.done() || next != result.origin.inflated_size) return std::nullopt;
  return result;
}

void ResumePoints::write(const std::string& path) const {
  Header header{};
  std::memcpy(header.magic, kMagic, sizeof kMagic);
  header.version = kVersion;
  header.byte_order = kByteOrder;
  header.inflater_version = kInflaterVersion;
  header.state_size = kStateSize;
  header.file_size = origin.file_size;
  header.mtime_ns = origin.mtime_ns;
  header.section_offset = origin.section_offset;
  header.compressed_size = origin.compressed_size;
  header.inflated_size = origin.inflated_size;
  header.point_count = points.size();
  header.unit_count = units.size();
  for (const Unit& unit : units) header.window_bytes += unit.window.size();
  // The header and records in one buffer; the states and windows written
  // from where they are (libjvm's: 10 MB).
  std::string head;
  append(head, header);
  for (const Point& point : points) {
    append(head, PointRecord{point.in_offset, point.out_offset, point.in_crc, static_cast<uint32_t>(point.state.size())});
  }
  for (const Unit& unit : units) append(head, UnitRecord{unit.offset, unit.size, unit.window.size()});
  auto view = [](std::span<const unsigned char> bytes) {
    return std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  };
  std::vector<std::string_view> pieces{head};
  for (const Point& point : points) pieces.push_back(view(point.state));
  for (const Unit& unit : units) pieces.push_back(view(unit.window));
  const uint32_t checksum = checksum_of(pieces);
  std::memcpy(head.data() + offsetof(Header, checksum), &checksum, sizeof checksum);  // pieces[0] views it
  write_file_atomically(path, pieces, false);
}

const ResumePoints::Point* ResumePoints::point_before(uint64_t out_offset) const {
  auto it = std::upper_bound(points.begin(), points.end(), out_offset,
                             [](uint64_t offset, const Point& point) { return offset < point.out_offset; });
  return it == points.begin() ? nullptr : &*std::prev(it);
}

namespace {

uint32_t crc_before(const unsigned char* stream, uint64_t in_offset) {
  const uint64_t from = in_offset > ResumePoints::kInCheck ? in_offset - ResumePoints::kInCheck : 0;
  return libdeflate_crc32(0, stream + from, in_offset - from);
}

// The state's bytes that matter: all but the unused end of its output
// buffer, which holds the window from its start.
size_t used_bytes(const inflate_state& state) {
  const size_t valid = std::clamp<int64_t>(state.tmp_out_valid, 0, sizeof state.tmp_out_buffer);
  return offsetof(inflate_state, tmp_out_buffer) + valid;
}

}  // namespace

void ResumePoints::take(const inflate_state& state, const unsigned char* stream, uint64_t in_offset,
                        uint64_t out_offset) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(&state);
  std::vector<unsigned char>& copy = owned.emplace_back(bytes, bytes + used_bytes(state));
  // The buffers are the writing run's: none is saved.
  auto clear = [&](size_t offset, size_t size) { std::memset(copy.data() + offset, 0, size); };
  clear(offsetof(inflate_state, next_out), sizeof state.next_out);
  clear(offsetof(inflate_state, avail_out), sizeof state.avail_out);
  clear(offsetof(inflate_state, next_in), sizeof state.next_in);
  clear(offsetof(inflate_state, avail_in), sizeof state.avail_in);
  points.push_back({in_offset, out_offset, crc_before(stream, in_offset), copy});
}


bool ResumePoints::restore(const Point& point, const unsigned char* stream, uint64_t stream_size, uint64_t feed,
                           inflate_state& state) {
  if (point.in_offset > stream_size || point.state.size() < offsetof(inflate_state, tmp_out_buffer) ||
      point.state.size() > sizeof state || crc_before(stream, point.in_offset) != point.in_crc) {
    return false;
  }
  std::memset(&state, 0, sizeof state);
  std::memcpy(&state, point.state.data(), point.state.size());
  if (used_bytes(state) != point.state.size()) return false;
  state.next_in = const_cast<uint8_t*>(stream + point.in_offset);
  state.avail_in = static_cast<uint32_t>(std::min(stream_size - point.in_offset, feed));
  return true;
}


}  // namespace hprof
