// SymbolIndex::write: the contents laid out in the format of index_format.h.
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "common/atomic_file.h"
#include "symbolize/index/chain_interner.h"
#include "symbolize/index/index_format.h"
#include "symbolize/index/symbol_index.h"
#include "symbolize/elf/symbol_table.h"

namespace hprof {
namespace {

using namespace index_format;

static_assert(std::size(kParts) == kIndexParts);

[[noreturn]] void fail(int error, const std::string& path) {
  throw std::system_error(error, std::generic_category(), "cannot write " + path);
}

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
  std::vector<uint32_t> source_paths;
  for (const IndexSource& source : key.sources) source_paths.push_back(interner.string(source.path));
  // The names of the symbol parts, part by part.
  std::array<std::vector<uint32_t>, kIndexParts> names;
  for (std::size_t p = 0; p < kIndexParts; ++p) {
    if (kParts[p].shape != Shape::kSymbols) continue;
    for (const auto& symbol : contents.parts[p].symbols) names[p].push_back(interner.string(symbol.name));
  }
  const std::vector<ChainRecord>& chains = interned.chains;
  const std::vector<uint32_t>& frame_ids = interned.frame_ids;
  if (frame_ids.size() > std::numeric_limits<uint32_t>::max()) fail(EOVERFLOW, path);
  // kNotSwept and kAskDwarf are no chain's number.
  if (interner.too_big() || chains.size() >= IndexContents::kNotSwept) fail(EOVERFLOW, path);

  Header header{};
  std::memcpy(header.magic, kMagic, sizeof kMagic);
  header.version = SymbolIndex::kFormatVersion;
  header.byte_order = kByteOrder;
  header.build_id = build_id;
  header.own_table = own_table;
  uint64_t counts[kSectionCount] = {};
  counts[kSources] = key.sources.size();
  counts[kStrings] = interner.pool().size();
  counts[kChains] = chains.size();
  counts[kFrameIds] = frame_ids.size();
  counts[kFrames] = interner.frames().size();
  for (std::size_t p = 0; p < kIndexParts; ++p) {
    const IndexPart& part = contents.parts[p];
    const PartLayout& layout = kParts[p];
    switch (layout.shape) {
      case Shape::kSymbols:
        counts[layout.records] = counts[layout.max_end] = part.symbols.size();
        break;
      case Shape::kIntervals:
        counts[layout.records] = part.intervals.size();
        break;
      case Shape::kExtents:
        counts[layout.records] = part.extents.size();
        break;
    }
  }
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
  for (std::size_t p = 0; p < kIndexParts; ++p) {
    const IndexPart& part = contents.parts[p];
    const PartLayout& layout = kParts[p];
    switch (layout.shape) {
      case Shape::kSymbols:
        put_symbols(bytes, sections[layout.records], sections[layout.max_end], part.symbols, names[p]);
        break;
      case Shape::kIntervals: {
        IntervalRecord* intervals = at<IntervalRecord>(bytes, sections[layout.records]);
        for (std::size_t i = 0; i < part.intervals.size(); ++i) {
          const IndexPart::Interval& interval = part.intervals[i];
          intervals[i] = {interval.start, interval.end, interval.chain, 0};
        }
        break;
      }
      case Shape::kExtents: {
        ExtentRecord* extents = at<ExtentRecord>(bytes, sections[layout.records]);
        for (std::size_t i = 0; i < part.extents.size(); ++i) extents[i] = {part.extents[i].start, part.extents[i].end};
        break;
      }
    }
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

}  // namespace

void SymbolIndex::write(const std::string& path, const IndexKey& key, const IndexContents& contents) {
  write_atomically(path, serialize(key, contents, path));
}

}  // namespace hprof
