// SymbolIndex::open and the lookups, in place in the mapped file.
#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <unordered_map>
#include <utility>

#include "symbolize/elf/function_starts.h"
#include "symbolize/elf/symbol_table.h"
#include "symbolize/index/index_file.h"
#include "symbolize/index/symbol_index.h"

namespace hprof {

using namespace index_format;

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
  // Each name source's part, as kParts lays it out.
  struct Part {
    std::span<const SymbolRecord> symbols;
    std::span<const uint64_t> max_end;
    std::span<const IntervalRecord> intervals;
    std::span<const ExtentRecord> extents;
  };
  std::array<Part, kIndexParts> parts;
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
  for (std::size_t p = 0; p < kIndexParts; ++p) {
    const PartLayout& layout = kParts[p];
    Mapped::Part& part = m.parts[p];
    switch (layout.shape) {
      case Shape::kSymbols:
        part.symbols = m.section<SymbolRecord>(header, layout.records);
        part.max_end = m.section<uint64_t>(header, layout.max_end);
        break;
      case Shape::kIntervals:
        part.intervals = m.section<IntervalRecord>(header, layout.records);
        break;
      case Shape::kExtents:
        part.extents = m.section<ExtentRecord>(header, layout.records);
        break;
    }
  }
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

std::optional<Naming> SymbolIndex::at(std::size_t part, uint64_t file_vaddr) const {
  switch (kParts[part].shape) {
    case Shape::kSymbols:
      return Naming::of_symbol(symbol(part, file_vaddr));
    case Shape::kExtents:
      return Naming::of_start(function_start(part, file_vaddr));
    case Shape::kIntervals:
      if (std::optional<FrameChain> chain = frames(part, file_vaddr)) return Naming::of_frames(std::move(*chain));
      break;
  }
  return std::nullopt;
}

std::optional<std::string_view> SymbolIndex::symbol(std::size_t part, uint64_t file_vaddr) const {
  const Mapped::Part& p = mapped_->parts[part];
  const SymbolRecord* symbol = innermost_symbol(p.symbols, p.max_end, file_vaddr);
  if (symbol == nullptr) return std::nullopt;
  return mapped_->string_at(symbol->name);
}

std::string_view SymbolIndex::own_table() const { return mapped_->own_table; }

std::optional<uint64_t> SymbolIndex::function_start(std::size_t part, uint64_t file_vaddr) const {
  return extent_start_of(mapped_->parts[part].extents, file_vaddr);
}

namespace {

// The interval holding `file_vaddr`; null when none does.
const IntervalRecord* interval_at(std::span<const IntervalRecord> intervals, uint64_t file_vaddr) {
  auto it = std::upper_bound(intervals.begin(), intervals.end(), file_vaddr,
                             [](uint64_t a, const IntervalRecord& r) { return a < r.start; });
  if (it == intervals.begin() || file_vaddr >= (it - 1)->end) return nullptr;
  return &*(it - 1);
}

}  // namespace

std::optional<FrameChain> SymbolIndex::chain(uint32_t chain_number) const {
  const Mapped& m = *mapped_;
  // A reference out of bounds (never written so) falls back to the DWARF too.
  if (chain_number >= m.chains.size()) return std::nullopt;
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

std::optional<FrameChain> SymbolIndex::frames(std::size_t part, uint64_t file_vaddr) const {
  const IntervalRecord* interval = interval_at(mapped_->parts[part].intervals, file_vaddr);
  if (interval == nullptr) return FrameChain{};
  return chain(interval->chain);
}

bool SymbolIndex::swept(std::size_t part, uint64_t file_vaddr) const {
  if (kParts[part].shape != Shape::kIntervals) return true;
  const IntervalRecord* interval = interval_at(mapped_->parts[part].intervals, file_vaddr);
  return interval == nullptr || interval->chain != IndexContents::kNotSwept;
}

void SymbolIndex::copy_part(std::size_t part, IndexContents& contents, IndexPart& out, const IndexPart& fresh) const {
  const Mapped& m = *mapped_;
  const Mapped::Part& p = m.parts[part];
  switch (kParts[part].shape) {
    case Shape::kSymbols:
      out.symbols.reserve(p.symbols.size());
      for (const SymbolRecord& symbol : p.symbols) {
        out.symbols.push_back({symbol.start, symbol.size, std::string(m.string_at(symbol.name).value_or(""))});
      }
      if (part == 0) contents.own_table = m.own_table;
      return;
    case Shape::kExtents:
      out.extents.reserve(p.extents.size());
      for (const ExtentRecord& extent : p.extents) out.extents.push_back({extent.start, extent.end});
      return;
    case Shape::kIntervals:
      break;
  }
  // Chains are numbered anew: the same chain keeps its frames, not its number.
  std::unordered_map<uint32_t, uint32_t> renumbered;
  auto copy_chain = [&](uint32_t number) {
    if (number == IndexContents::kAskDwarf || number == IndexContents::kNotSwept) return number;
    auto [it, added] = renumbered.try_emplace(number, IndexContents::kAskDwarf);
    if (added) {
      if (std::optional<FrameChain> frames = chain(number)) it->second = contents.add_chain(*frames);
    }
    return it->second;
  };
  auto next_fresh = fresh.intervals.begin();
  for (const IntervalRecord& interval : p.intervals) {
    if (interval.chain != IndexContents::kNotSwept) {
      out.intervals.push_back({interval.start, interval.end, copy_chain(interval.chain)});
      continue;
    }
    // Not swept before: what this run's DWARF says there, clipped to it.
    while (next_fresh != fresh.intervals.end() && next_fresh->end <= interval.start) ++next_fresh;
    for (auto f = next_fresh; f != fresh.intervals.end() && f->start < interval.end; ++f) {
      out.intervals.push_back({std::max(f->start, interval.start), std::min(f->end, interval.end), f->chain});
    }
  }
}

}  // namespace hprof
