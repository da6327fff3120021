// The index file format, version 1.  Native byte order (the byte-order
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
#include "symbolize/symbol_index.h"

#include "common/atomic_file.h"

#include <fcntl.h>
#include <libdeflate.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cinttypes>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <span>
#include <system_error>
#include <type_traits>
#include <utility>

#include "symbolize/function_starts.h"
#include "symbolize/symbol_table.h"

namespace hprof {
namespace {

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

uint64_t align8(uint64_t n) { return (n + 7) & ~uint64_t{7}; }

// The checksum skips its own field, so it can be written after the rest.
uint32_t checksum_of(const unsigned char* bytes, std::size_t size) {
  constexpr std::size_t at = offsetof(Header, checksum);
  uint32_t crc = libdeflate_crc32(0, bytes, at);
  return libdeflate_crc32(crc, bytes + at + sizeof(uint32_t), size - at - sizeof(uint32_t));
}

[[noreturn]] void fail(int error, const std::string& path) {
  throw std::system_error(error, std::generic_category(), "cannot write " + path);
}

// ---- writing ----

// A hash set of nonzero 32-bit ids whose keys live elsewhere (in the string
// pool, in the frame records): open addressing, linear probing, each slot
// the id and 32 bits of its key's hash.  For a few million frames a
// node-based map costs more than all the rest of the serialization.
class IdSet {
 public:
  // The id of the key `same` recognizes when the set has it; else `id`,
  // which is added.
  template <typename Same>
  uint32_t find_or_add(uint64_t hash, uint32_t id, Same same) {
    if ((count_ + 1) * 2 > slots_.size()) grow();
    const uint64_t tag = hash >> 32;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = tag & mask;; i = (i + 1) & mask) {
      uint64_t slot = slots_[i];
      if (slot == 0) {
        slots_[i] = tag << 32 | id;
        ++count_;
        return id;
      }
      if ((slot >> 32) == tag && same(static_cast<uint32_t>(slot))) return static_cast<uint32_t>(slot);
    }
  }

 private:
  void grow() {
    std::vector<uint64_t> old =
        std::exchange(slots_, std::vector<uint64_t>(std::max<std::size_t>(1024, 2 * slots_.size())));
    const std::size_t mask = slots_.size() - 1;
    for (uint64_t slot : old) {
      if (slot == 0) continue;
      std::size_t i = (slot >> 32) & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }
  std::vector<uint64_t> slots_;
  std::size_t count_ = 0;
};

uint64_t mix(uint64_t h) {  // murmur3's finalizer
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 33);
}

// Strings and frames, each distinct one stored once.
class Interner {
 public:
  Interner() { pool_.push_back('\0'); }  // offset 0: ""

  uint32_t string(std::string_view s) {
    s = s.substr(0, s.find('\0'));  // a NUL would end it in the pool anyway
    if (s.empty()) return 0;
    if (pool_.size() + s.size() + 1 > std::numeric_limits<uint32_t>::max()) {
      too_big_ = true;
      return 0;
    }
    const auto offset = static_cast<uint32_t>(pool_.size());
    uint32_t found = strings_.find_or_add(std::hash<std::string_view>()(s), offset, [&](uint32_t at) {
      return pool_.compare(at, s.size(), s) == 0 && pool_[at + s.size()] == '\0';
    });
    if (found == offset) {
      pool_.append(s);
      pool_.push_back('\0');
    }
    return found;
  }

  uint32_t frame(const Frame& frame) {
    FrameRecord record{string(frame.function), string(frame.file), frame.line, frame.inlined, {}};
    uint64_t hash =
        mix((uint64_t{record.function} << 32 | record.file) ^ mix(uint64_t{record.line} << 1 | record.inlined));
    const auto id = static_cast<uint32_t>(frames_.size() + 1);  // ids are nonzero: index + 1
    uint32_t found = frames_index_.find_or_add(hash, id, [&](uint32_t other) {
      const FrameRecord& r = frames_[other - 1];
      return r.function == record.function && r.file == record.file && r.line == record.line &&
             r.inlined == record.inlined;
    });
    if (found == id) frames_.push_back(record);
    return found - 1;
  }

  const std::string& pool() const { return pool_; }
  const std::vector<FrameRecord>& frames() const { return frames_; }
  bool too_big() const { return too_big_; }

 private:
  std::string pool_;
  IdSet strings_;  // pool offsets
  std::vector<FrameRecord> frames_;
  IdSet frames_index_;  // frame index + 1
  bool too_big_ = false;
};

}  // namespace

// The chains as the file stores them, built as they are added.
struct IndexContents::Interned {
  Interner interner;
  std::vector<ChainRecord> chains;
  std::vector<uint32_t> frame_ids;
  IdSet chain_index;  // chain number + 1
};

uint32_t IndexContents::add_chain(const FrameChain& chain) {
  if (!interned) interned = std::make_shared<Interned>();
  Interned& in = *interned;
  const auto first = static_cast<uint32_t>(in.frame_ids.size());
  uint64_t hash = mix(chain.size());
  for (const Frame& frame : chain) {
    uint32_t id = in.interner.frame(frame);
    in.frame_ids.push_back(id);
    hash = mix(hash ^ id);
  }
  const auto count = static_cast<uint32_t>(chain.size());
  const auto number = static_cast<uint32_t>(in.chains.size());
  uint32_t found = in.chain_index.find_or_add(hash, number + 1, [&](uint32_t other) {
    const ChainRecord& r = in.chains[other - 1];
    return r.count == count &&
           std::equal(in.frame_ids.begin() + r.first, in.frame_ids.begin() + r.first + count,
                      in.frame_ids.begin() + first);
  });
  if (found != number + 1) {
    in.frame_ids.resize(first);  // a chain seen before
    return found - 1;
  }
  in.chains.push_back({first, count});
  return number;
}

size_t IndexContents::chain_count() const { return interned ? interned->chains.size() : 0; }

namespace {

// The file's bytes, in one buffer: not zeroed (for an index of 200 MB the
// redundant pass shows), so everything, padding included, is written.
struct Bytes {
  std::unique_ptr<unsigned char[]> data;
  std::size_t size = 0;
};

template <typename T>
T* at(Bytes& bytes, const SectionRef& section) {
  return reinterpret_cast<T*>(bytes.data.get() + section.offset);
}

void put_symbols(Bytes& bytes, const SectionRef& records, const SectionRef& max_end,
                 const std::vector<IndexContents::Symbol>& symbols, const std::vector<uint32_t>& names) {
  SymbolRecord* out = at<SymbolRecord>(bytes, records);
  for (std::size_t i = 0; i < symbols.size(); ++i) out[i] = {symbols[i].start, symbols[i].size, names[i], 0};
  fill_max_end<IndexContents::Symbol>(symbols, {at<uint64_t>(bytes, max_end), symbols.size()});
}

template <typename T>
void put_array(Bytes& bytes, const SectionRef& section, const std::vector<T>& records) {
  if (!records.empty()) std::memcpy(at<T>(bytes, section), records.data(), records.size() * sizeof(T));
}

Bytes serialize(const IndexKey& key, const IndexContents& contents, const std::string& path) {
  IndexContents::Interned empty;
  IndexContents::Interned& interned = contents.interned ? *contents.interned : empty;
  Interner& interner = interned.interner;
  uint32_t build_id = interner.string(key.build_id);
  uint32_t own_table = interner.string(contents.own_table);
  std::vector<uint32_t> source_paths, file_names, debug_names;
  for (const IndexSource& source : key.sources) source_paths.push_back(interner.string(source.path));
  for (const auto& symbol : contents.file_symbols) file_names.push_back(interner.string(symbol.name));
  for (const auto& symbol : contents.debug_symbols) debug_names.push_back(interner.string(symbol.name));
  const std::vector<ChainRecord>& chains = interned.chains;
  const std::vector<uint32_t>& frame_ids = interned.frame_ids;
  if (frame_ids.size() > std::numeric_limits<uint32_t>::max()) fail(EOVERFLOW, path);
  // kAskDwarf is no chain's number.
  if (interner.too_big() || chains.size() >= IndexContents::kAskDwarf) fail(EOVERFLOW, path);

  Header header{};
  std::memcpy(header.magic, kMagic, sizeof kMagic);
  header.version = SymbolIndex::kFormatVersion;
  header.byte_order = kByteOrder;
  header.build_id = build_id;
  header.own_table = own_table;
  const uint64_t counts[kSectionCount] = {
      key.sources.size(),           interner.pool().size(),        contents.file_symbols.size(),
      contents.file_symbols.size(), contents.debug_symbols.size(), contents.debug_symbols.size(),
      contents.fde_extents.size(),  contents.intervals.size(),     chains.size(),
      frame_ids.size(),             interner.frames().size()};
  uint64_t size = sizeof(Header);
  for (std::size_t s = 0; s < kSectionCount; ++s) {
    header.sections[s] = {size, counts[s]};
    size = align8(size + counts[s] * kRecordSize[s]);
  }
  header.file_size = size;

  Bytes bytes{std::make_unique_for_overwrite<unsigned char[]>(size), size};
  std::memcpy(bytes.data.get(), &header, sizeof header);
  const SectionRef* sections = header.sections;
  for (std::size_t s = 0; s < kSectionCount; ++s) {  // the padding after each section
    uint64_t end = sections[s].offset + sections[s].count * kRecordSize[s];
    uint64_t next = s + 1 < kSectionCount ? sections[s + 1].offset : size;
    std::memset(bytes.data.get() + end, 0, next - end);
  }
  SourceRecord* sources = at<SourceRecord>(bytes, sections[kSources]);
  for (std::size_t i = 0; i < key.sources.size(); ++i) {
    sources[i] = {key.sources[i].size, key.sources[i].mtime_ns, source_paths[i], 0};
  }
  std::memcpy(at<char>(bytes, sections[kStrings]), interner.pool().data(), interner.pool().size());
  put_symbols(bytes, sections[kFileSymbols], sections[kFileMaxEnd], contents.file_symbols, file_names);
  put_symbols(bytes, sections[kDebugSymbols], sections[kDebugMaxEnd], contents.debug_symbols, debug_names);
  ExtentRecord* extents = at<ExtentRecord>(bytes, sections[kFdeExtents]);
  for (std::size_t i = 0; i < contents.fde_extents.size(); ++i) {
    extents[i] = {contents.fde_extents[i].start, contents.fde_extents[i].end};
  }
  IntervalRecord* intervals = at<IntervalRecord>(bytes, sections[kIntervals]);
  for (std::size_t i = 0; i < contents.intervals.size(); ++i) {
    const IndexContents::Interval& interval = contents.intervals[i];
    intervals[i] = {interval.start, interval.end, interval.chain, 0};
  }
  put_array(bytes, sections[kChains], chains);
  put_array(bytes, sections[kFrameIds], frame_ids);
  put_array(bytes, sections[kFrames], interner.frames());
  uint32_t checksum = checksum_of(bytes.data.get(), bytes.size);
  std::memcpy(bytes.data.get() + offsetof(Header, checksum), &checksum, sizeof checksum);
  return bytes;
}

// No fsync: an index is a cache, and one torn by a crash fails its checksum
// and is rebuilt.
void write_atomically(const std::string& path, const Bytes& bytes) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (!dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);  // mode 0777 minus the umask
    if (ec) fail(ec.value(), path);
  }
  write_file_atomically(path, std::string_view(reinterpret_cast<const char*>(bytes.data.get()), bytes.size), false);
}

// ---- reading ----

// Whether `section` lies inside a file of `size` bytes, aligned.
bool in_bounds(const SectionRef& section, std::size_t record_size, uint64_t size) {
  return section.offset >= sizeof(Header) && section.offset % 8 == 0 && section.offset <= size &&
         section.count <= (size - section.offset) / record_size;
}

// The string at `offset` in `pool`; nullopt when it is outside.  The pool
// ends with a NUL (open() checks), so every string in it ends.
std::optional<std::string_view> string_in(std::string_view pool, uint32_t offset) {
  if (offset >= pool.size()) return std::nullopt;
  return std::string_view(pool.data() + offset);
}

std::string changes(const IndexSource& was, const IndexSource& now) {
  if (was.size != now.size && was.mtime_ns != now.mtime_ns) return "size and mtime changed";
  return was.size != now.size ? "size changed" : "mtime changed";
}

struct Rejection {
  IndexRejection why;
  std::string reason;
  std::optional<size_t> changed_source = std::nullopt;
};

// What every version shares: magic, byte order, version; then room for this
// version's header.  Read before mapping anything (a zero-length file cannot
// be mapped).
std::optional<Rejection> check_prefix(int fd, uint64_t size) {
  unsigned char prefix[kPrefixSize] = {};
  ssize_t got = pread(fd, prefix, sizeof prefix, 0);
  if (got < 0) return Rejection{IndexRejection::kUnreadable, std::strerror(errno)};
  const auto have = static_cast<std::size_t>(got);
  if (std::memcmp(prefix, kMagic, std::min(have, sizeof kMagic)) != 0) {
    return Rejection{IndexRejection::kCorrupt, "not an index file"};
  }
  const std::string too_short = std::to_string(size) + " bytes, shorter than a header";
  if (have < kPrefixSize) return Rejection{IndexRejection::kTruncated, too_short};
  uint32_t version, byte_order;
  std::memcpy(&version, prefix + offsetof(Header, version), sizeof version);
  std::memcpy(&byte_order, prefix + offsetof(Header, byte_order), sizeof byte_order);
  if (byte_order != kByteOrder) {
    return Rejection{IndexRejection::kVersion, "written on a machine of the other byte order"};
  }
  if (version != SymbolIndex::kFormatVersion) {
    return Rejection{IndexRejection::kVersion, "format version " + std::to_string(version) +
                                                   ", this hprof-text reads " +
                                                   std::to_string(SymbolIndex::kFormatVersion)};
  }
  if (size < sizeof(Header)) return Rejection{IndexRejection::kTruncated, too_short};
  return std::nullopt;
}

// An index file open for reading, closed on every way out (a mapping of it
// outlives the descriptor).
struct IndexFile {
  int fd = -1;
  uint64_t size = 0;
  IndexFile() = default;
  IndexFile(const IndexFile&) = delete;
  IndexFile& operator=(const IndexFile&) = delete;
  ~IndexFile() {
    if (fd >= 0) close(fd);
  }
};

// Opens `path` into `file`: a regular file whose prefix is this version's.
std::optional<Rejection> open_index_file(const std::string& path, IndexFile& file) {
  file.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file.fd < 0) {
    return errno == ENOENT || errno == ENOTDIR ? Rejection{IndexRejection::kMissing, ""}
                                               : Rejection{IndexRejection::kUnreadable, std::strerror(errno)};
  }
  struct stat st;
  if (fstat(file.fd, &st) != 0) return Rejection{IndexRejection::kUnreadable, std::strerror(errno)};
  if (!S_ISREG(st.st_mode)) return Rejection{IndexRejection::kUnreadable, "not a regular file"};
  file.size = static_cast<uint64_t>(st.st_size);
  return check_prefix(file.fd, file.size);
}

// Size, checksum, then whether the sections lie inside the file.
std::optional<Rejection> check_file(const Header& header, const unsigned char* base, uint64_t size) {
  if (header.file_size != size) {
    return Rejection{size < header.file_size ? IndexRejection::kTruncated : IndexRejection::kCorrupt,
                     std::to_string(size) + " bytes, header says " + std::to_string(header.file_size)};
  }
  if (checksum_of(base, size) != header.checksum) return Rejection{IndexRejection::kCorrupt, "checksum mismatch"};
  for (std::size_t s = 0; s < kSectionCount; ++s) {
    if (!in_bounds(header.sections[s], kRecordSize[s], size)) {
      return Rejection{IndexRejection::kCorrupt, std::string(kSectionName[s]) + " out of bounds"};
    }
  }
  const SectionRef& strings = header.sections[kStrings];
  if (strings.count == 0 || base[strings.offset + strings.count - 1] != 0) {
    return Rejection{IndexRejection::kCorrupt, "string pool does not end with a NUL"};
  }
  if (header.sections[kFileMaxEnd].count != header.sections[kFileSymbols].count ||
      header.sections[kDebugMaxEnd].count != header.sections[kDebugSymbols].count) {
    return Rejection{IndexRejection::kCorrupt, "symbol and max_end counts differ"};
  }
  return std::nullopt;
}

// Whether the index (its build-id, its sources with their paths in
// `strings`) was built for `key`, naming the first difference.
std::optional<Rejection> check_key(std::string_view build_id, std::span<const SourceRecord> sources,
                                   std::string_view strings, const IndexKey& key) {
  if (build_id != key.build_id) return Rejection{IndexRejection::kStale, "build-id differs"};
  for (std::size_t i = 0; i < sources.size() || i < key.sources.size(); ++i) {
    std::optional<std::string_view> path = i < sources.size() ? string_in(strings, sources[i].path) : "";
    if (!path) return Rejection{IndexRejection::kCorrupt, "string out of bounds"};
    if (i >= key.sources.size()) {
      return Rejection{IndexRejection::kStale, "built from " + std::string(*path) + ", no longer used"};
    }
    const IndexSource& now = key.sources[i];
    if (i >= sources.size()) return Rejection{IndexRejection::kStale, "built without " + now.path};
    IndexSource was{std::string(*path), sources[i].size, sources[i].mtime_ns};
    if (was.path != now.path) return Rejection{IndexRejection::kStale, "built from " + was.path + ", not " + now.path};
    if (was != now) {
      return Rejection{IndexRejection::kStale, "built from " + was.path + " (" + changes(was, now) + ")", i};
    }
  }
  return std::nullopt;
}

}  // namespace

struct SymbolIndex::Mapped {
  Mapped(const unsigned char* b, std::size_t s) : base(b), size(s) {}
  ~Mapped() { munmap(const_cast<unsigned char*>(base), size); }
  Mapped(const Mapped&) = delete;
  Mapped& operator=(const Mapped&) = delete;

  template <typename T>
  std::span<const T> section(const Header& header, Section s) const {
    const SectionRef& ref = header.sections[s];
    return {reinterpret_cast<const T*>(base + ref.offset), static_cast<std::size_t>(ref.count)};
  }
  std::optional<std::string_view> string_at(uint32_t offset) const { return string_in(strings, offset); }

  const unsigned char* base;
  std::size_t size;
  std::string_view strings;
  std::span<const SourceRecord> sources;
  std::span<const SymbolRecord> file_symbols, debug_symbols;
  std::span<const uint64_t> file_max_end, debug_max_end;
  std::span<const ExtentRecord> fde_extents;
  std::span<const IntervalRecord> intervals;
  std::span<const ChainRecord> chains;
  std::span<const uint32_t> frame_ids;
  std::span<const FrameRecord> frames;
  std::string_view own_table, build_id;
};

SymbolIndex::~SymbolIndex() = default;

SymbolIndex::Opened SymbolIndex::open(const std::string& path, const IndexKey& key) {
  auto refuse = [](Rejection rejection) {
    Opened opened;
    opened.rejection = rejection.why;
    opened.reason = std::move(rejection.reason);
    opened.changed_source = rejection.changed_source;
    return opened;
  };
  IndexFile file;
  if (auto rejection = open_index_file(path, file)) return refuse(std::move(*rejection));
  const int fd = file.fd;
  const uint64_t size = file.size;

  // A plain mapping: the kernel maps cached pages in batches as the checksum
  // walks them.  Measured on a 194 MB index, MAP_POPULATE was slower (16 ms
  // instead of 15 in the page cache, 88 instead of 78 from disk), and
  // MADV_SEQUENTIAL or MADV_WILLNEED gained nothing.  Nothing truncates an
  // index in place (writers rename a new file over it), so no page of the
  // mapping can vanish under us (SIGBUS).
  void* base = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (base == MAP_FAILED) return refuse({IndexRejection::kUnreadable, std::strerror(errno)});
  auto mapped = std::make_unique<Mapped>(static_cast<const unsigned char*>(base), size);
  Header header;
  std::memcpy(&header, mapped->base, sizeof header);
  if (auto rejection = check_file(header, mapped->base, size)) return refuse(std::move(*rejection));

  Mapped& m = *mapped;
  const SectionRef& strings = header.sections[kStrings];
  m.strings = std::string_view(reinterpret_cast<const char*>(m.base + strings.offset),
                               static_cast<std::size_t>(strings.count));
  m.sources = m.section<SourceRecord>(header, kSources);
  m.file_symbols = m.section<SymbolRecord>(header, kFileSymbols);
  m.file_max_end = m.section<uint64_t>(header, kFileMaxEnd);
  m.debug_symbols = m.section<SymbolRecord>(header, kDebugSymbols);
  m.debug_max_end = m.section<uint64_t>(header, kDebugMaxEnd);
  m.fde_extents = m.section<ExtentRecord>(header, kFdeExtents);
  m.intervals = m.section<IntervalRecord>(header, kIntervals);
  m.chains = m.section<ChainRecord>(header, kChains);
  m.frame_ids = m.section<uint32_t>(header, kFrameIds);
  m.frames = m.section<FrameRecord>(header, kFrames);
  auto build_id = m.string_at(header.build_id);
  auto own_table = m.string_at(header.own_table);
  if (!build_id || !own_table) return refuse({IndexRejection::kCorrupt, "string out of bounds"});
  m.build_id = *build_id;
  m.own_table = *own_table;
  // The key last: only a sound file is asked what it was built from.
  if (auto rejection = check_key(m.build_id, m.sources, m.strings, key)) return refuse(std::move(*rejection));

  // Lookups jump around the file from here on: a page evicted since is read
  // back alone, without readahead.
  madvise(const_cast<unsigned char*>(m.base), size, MADV_RANDOM);
  Opened opened;
  opened.index.reset(new SymbolIndex());
  opened.index->mapped_ = std::move(mapped);
  return opened;
}

void SymbolIndex::write(const std::string& path, const IndexKey& key, const IndexContents& contents) {
  write_atomically(path, serialize(key, contents, path));
}

std::optional<std::string_view> SymbolIndex::file_symbol(uint64_t file_vaddr) const {
  const SymbolRecord* symbol = innermost_symbol(mapped_->file_symbols, mapped_->file_max_end, file_vaddr);
  if (symbol == nullptr) return std::nullopt;
  return mapped_->string_at(symbol->name);
}

std::optional<std::string_view> SymbolIndex::debug_symbol(uint64_t file_vaddr) const {
  const SymbolRecord* symbol = innermost_symbol(mapped_->debug_symbols, mapped_->debug_max_end, file_vaddr);
  if (symbol == nullptr) return std::nullopt;
  return mapped_->string_at(symbol->name);
}

std::string_view SymbolIndex::own_table() const { return mapped_->own_table; }

std::optional<uint64_t> SymbolIndex::function_start(uint64_t file_vaddr) const {
  return extent_start_of(mapped_->fde_extents, file_vaddr);
}

std::optional<FrameChain> SymbolIndex::dwarf_frames(uint64_t file_vaddr) const {
  const Mapped& m = *mapped_;
  auto it = std::upper_bound(m.intervals.begin(), m.intervals.end(), file_vaddr,
                             [](uint64_t a, const IntervalRecord& r) { return a < r.start; });
  if (it == m.intervals.begin() || file_vaddr >= (it - 1)->end) return FrameChain{};
  uint32_t chain_number = (it - 1)->chain;
  // A reference out of bounds (never written so) falls back to the DWARF too.
  if (chain_number == IndexContents::kAskDwarf || chain_number >= m.chains.size()) return std::nullopt;
  const ChainRecord& chain = m.chains[chain_number];
  if (chain.first > m.frame_ids.size() || chain.count > m.frame_ids.size() - chain.first) return std::nullopt;
  FrameChain frames;
  frames.reserve(chain.count);
  for (uint32_t id : m.frame_ids.subspan(chain.first, chain.count)) {
    if (id >= m.frames.size()) return std::nullopt;
    const FrameRecord& record = m.frames[id];
    auto function = m.string_at(record.function);
    auto file = m.string_at(record.file);
    if (!function || !file) return std::nullopt;
    frames.push_back(Frame{std::string(*function), std::string(*file), record.line, record.inlined != 0});
  }
  return frames;
}

namespace {

// The NUL-terminated string at `offset` of the string pool `strings`, read
// with pread, at most `max` bytes; nullopt when it is out of bounds or longer.
std::optional<std::string> pread_string(int fd, const SectionRef& strings, uint32_t offset, std::size_t max) {
  if (offset >= strings.count) return std::nullopt;
  std::string text(static_cast<std::size_t>(std::min<uint64_t>(max + 1, strings.count - offset)), '\0');
  const ssize_t got = pread(fd, text.data(), text.size(), static_cast<off_t>(strings.offset + offset));
  if (got < 0) return std::nullopt;
  const std::size_t end = text.find('\0');
  if (end == std::string::npos || end >= static_cast<std::size_t>(got)) return std::nullopt;
  text.resize(end);
  return text;
}

}  // namespace

std::optional<IndexOrigin> index_origin(const std::string& path) {
  IndexFile index;
  if (open_index_file(path, index)) return std::nullopt;
  const int fd = index.fd;
  const uint64_t size = index.size;
  Header header{};
  SourceRecord file{};
  const SectionRef& sources = header.sections[kSources];
  const SectionRef& strings = header.sections[kStrings];
  if (pread(fd, &header, sizeof header, 0) != static_cast<ssize_t>(sizeof header) || header.file_size != size ||
      !in_bounds(sources, sizeof(SourceRecord), size) || sources.count == 0 || !in_bounds(strings, 1, size) ||
      pread(fd, &file, sizeof file, static_cast<off_t>(sources.offset)) != static_cast<ssize_t>(sizeof file)) {
    return std::nullopt;
  }
  constexpr std::size_t kMaxBuildId = 256, kMaxPath = 4096;
  std::optional<std::string> build_id = pread_string(fd, strings, header.build_id, kMaxBuildId);
  std::optional<std::string> file_path = pread_string(fd, strings, file.path, kMaxPath);
  if (!build_id || !file_path) return std::nullopt;
  return IndexOrigin{std::move(*build_id), std::move(*file_path)};
}

std::optional<IndexSource> index_source_of(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return std::nullopt;
  return IndexSource{path, static_cast<uint64_t>(st.st_size),
                     static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

std::string default_cache_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/hprof-text";  // the spec ignores relative ones
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0') return std::string(home) + "/.cache/hprof-text";
  return "";
}

std::string index_path(const std::string& dir, const IndexKey& key) {
  // FNV-1a, 64 bits, of every source's path: stable across runs and
  // machines, unlike std::hash.  Two copies of one build (a --lib_prefix
  // copy, a stripped one, another debug file) keep an index each instead of
  // rewriting one in turn.
  uint64_t hash = 0xcbf29ce484222325ull;
  for (const IndexSource& source : key.sources) {
    for (unsigned char c : source.path) hash = (hash ^ c) * 0x100000001b3ull;
    hash = (hash ^ 0) * 0x100000001b3ull;  // the end of one path
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016" PRIx64, hash);
  return dir + "/" + (key.build_id.empty() ? std::string("path") : key.build_id) + "-" + hex + ".idx";
}

}  // namespace hprof
