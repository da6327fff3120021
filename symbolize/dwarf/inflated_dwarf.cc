#include "symbolize/dwarf/inflated_dwarf.h"

#include <elfutils/libdw.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "symbolize/dwarf/memory_pages.h"

namespace hprof {
namespace {

// The sections libdw reads for names, source lines and inline chains
// (ranges and string forms included).  Location lists, macros, frames and
// name indexes are left out: nothing here reads them.
bool is_read(std::string_view name) {
  static constexpr std::string_view kRead[] = {".debug_info",     ".debug_abbrev",  ".debug_line",
                                               ".debug_str",      ".debug_line_str", ".debug_rnglists",
                                               ".debug_ranges",   ".debug_aranges", ".debug_str_offsets",
                                               ".debug_addr"};
  return std::find(std::begin(kRead), std::end(kRead), name) != std::end(kRead);
}

// Sections that make libdw look beyond the file, or that this image would
// drop (type units, split DWARF, GNU .zdebug compression): libdwfl opens
// such files itself.
bool needs_libdwfl(std::string_view name) {
  return name == ".debug_types" || name == ".gnu_debugaltlink" || name == ".debug_sup" ||
         name == ".debug_cu_index" || name == ".debug_tu_index" || name.starts_with(".zdebug") ||
         name.ends_with(".dwo");
}

struct Piece {
  std::string_view name;
  const unsigned char* in;  // compressed payload (after the Elf64_Chdr), or the plain bytes
  size_t in_size;
  bool compressed;
  size_t size;   // in the image
  size_t align;
  Elf64_Shdr header;
  size_t offset = 0;  // in the image
  uint64_t file_offset = 0;  // of `in` in the file
};

constexpr bool kLittleEndianHost = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;

// Rounds `value` up to a multiple of `align`, then adds `extra`; false when
// the result does not fit.  The sizes and alignments come from the file's
// headers, where a corrupt ch_size or sh_addralign near 2^64 would otherwise
// wrap the image's layout around and the copies below write outside it
// (found by fuzzing: testdata/fuzz/regressions/elf_symbolize/).
bool advance(size_t& value, size_t align, size_t extra) {
  size_t rounded = value;
  if (align > 1) {
    if (__builtin_add_overflow(value, align - 1, &rounded)) return false;
    rounded = rounded / align * align;
  }
  return !__builtin_add_overflow(rounded, extra, &value);
}

bool inflate_one(libdeflate_decompressor* inflater, const Piece& piece, unsigned char* image) {
  populate_pages(image + piece.offset, piece.size);
  size_t got = 0;
  bool ok = libdeflate_zlib_decompress(inflater, piece.in, piece.in_size, image + piece.offset, piece.size, &got) ==
                LIBDEFLATE_SUCCESS &&
            got == piece.size;
  release_pages(piece.in, piece.in_size);
  return ok;
}

// Inflates the compressed pieces into `image`, the largest first, on two
// threads; `alongside`, when given, runs on this thread first.  `then`, when
// given, runs on both threads once every piece is inflated (on this one
// after `alongside`), and not where something failed first.  False when a
// piece does not inflate to its stated size, or `alongside` fails.
bool inflate_all(std::vector<Piece*> pieces, unsigned char* image, const std::function<bool()>& alongside = {},
                 const std::function<void()>& then = {}) {
  std::sort(pieces.begin(), pieces.end(), [](const Piece* a, const Piece* b) { return a->size > b->size; });
  std::atomic<size_t> next{0};
  std::mutex mutex;
  std::condition_variable inflated;
  size_t finished = 0;  // pieces, under the mutex
  bool ok = true;       // under the mutex
  auto fail = [&] {
    {
      const std::lock_guard lock(mutex);
      ok = false;
    }
    inflated.notify_all();
  };
  auto failed = [&] {
    const std::lock_guard lock(mutex);
    return !ok;
  };
  auto work = [&] {
    libdeflate_decompressor* inflater = libdeflate_alloc_decompressor();
    if (inflater == nullptr) return fail();
    for (size_t i; !failed() && (i = next++) < pieces.size();) {
      if (!inflate_one(inflater, *pieces[i], image)) fail();
      {
        const std::lock_guard lock(mutex);
        ++finished;
      }
      inflated.notify_all();
    }
    libdeflate_free_decompressor(inflater);
  };
  auto then_when_inflated = [&] {
    if (!then) return;
    {
      std::unique_lock lock(mutex);
      inflated.wait(lock, [&] { return !ok || finished == pieces.size(); });
      if (!ok) return;
    }
    then();
  };
  std::thread helper;
  if ((pieces.size() > 1 || alongside || then) && std::thread::hardware_concurrency() > 1) {
    helper = std::thread([&] {
      work();
      then_when_inflated();
    });
  }
  if (alongside && !alongside()) fail();
  work();
  if (!failed()) then_when_inflated();
  if (helper.joinable()) helper.join();
  return !failed();
}

// Inflates the compressed pieces.  With `addresses`, .debug_info is kept in
// part when its units stand alone: .debug_aranges and .debug_abbrev are
// inflated first to tell which units and whether they do, then .debug_info
// streams on this thread while the other pieces inflate on the other, and
// `then` runs on both as in inflate_all (not at all when .debug_info is
// inflated whole).
bool inflate_pieces(std::vector<Piece>& pieces, unsigned char* image, const std::vector<uint64_t>* addresses,
                    ArangeUnits& aranges, std::unique_ptr<PartialDebugInfo>& partial,
                    const std::function<void()>& then, const struct stat& file, InflatedDwarf::Resume resume) {
  auto named = [&](std::string_view name) -> Piece* {
    auto it = std::find_if(pieces.begin(), pieces.end(), [&](const Piece& p) { return p.name == name; });
    return it != pieces.end() ? &*it : nullptr;
  };
  Piece* info = named(".debug_info");
  Piece* aranges_piece = named(".debug_aranges");
  Piece* abbrev = named(".debug_abbrev");
  bool in_part = addresses != nullptr && info != nullptr && info->compressed && aranges_piece != nullptr &&
                 abbrev != nullptr;
  std::vector<Piece*> rest;
  if (in_part) {
    libdeflate_decompressor* inflater = libdeflate_alloc_decompressor();
    for (Piece* first : {aranges_piece, abbrev}) {
      if (first->compressed && (inflater == nullptr || !inflate_one(inflater, *first, image))) in_part = false;
    }
    if (inflater != nullptr) libdeflate_free_decompressor(inflater);
    if (!in_part) return false;
    in_part = aranges.parse({image + aranges_piece->offset, aranges_piece->size}) &&
              units_stand_alone({image + abbrev->offset, abbrev->size});
    for (Piece& piece : pieces) {
      if (piece.compressed && &piece != aranges_piece && &piece != abbrev && (!in_part || &piece != info)) {
        rest.push_back(&piece);
      }
    }
  } else {
    for (Piece& piece : pieces) {
      if (piece.compressed) rest.push_back(&piece);
    }
  }
  if (!in_part) return inflate_all(std::move(rest), image);
  std::set<uint64_t> wanted;
  for (uint64_t address : *addresses) aranges.units_at(address, wanted);
  partial = std::make_unique<PartialDebugInfo>(info->in, info->in_size, image + info->offset, info->size);
  const ResumePoints::Origin origin{static_cast<uint64_t>(file.st_size),
                                    int64_t{file.st_mtim.tv_sec} * 1'000'000'000 + file.st_mtim.tv_nsec,
                                    info->file_offset, info->in_size, info->size};
  if (resume.read != nullptr && resume.read->origin == origin) partial->resume_from(resume.read);
  if (resume.record) partial->record_points(origin);
  const bool ok = inflate_all(std::move(rest), image, [&] { return partial->inflate(wanted); }, then);
  if (ok) partial->forget_released();
  return ok;
}

}  // namespace

std::unique_ptr<InflatedDwarf> InflatedDwarf::open(const std::string& path, int fd,
                                                   const std::vector<uint64_t>* addresses,
                                                   const WhileStreaming& while_streaming, Resume resume) {
  std::unique_ptr<InflatedDwarf> result(new InflatedDwarf());
  result->path_ = path;
  result->fd_ = fd >= 0 ? fd : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (result->fd_ < 0) return nullptr;
  Elf* elf = result->file_elf_ = elf_begin(result->fd_, ELF_C_READ_MMAP, nullptr);
  GElf_Ehdr ehdr;
  size_t shstrndx = 0;
  struct stat file;
  if (elf == nullptr || fstat(result->fd_, &file) != 0 || elf_kind(elf) != ELF_K_ELF || gelf_getclass(elf) != ELFCLASS64 ||
      gelf_getehdr(elf, &ehdr) == nullptr || ehdr.e_type == ET_REL ||
      ehdr.e_ident[EI_DATA] != (kLittleEndianHost ? ELFDATA2LSB : ELFDATA2MSB) ||
      elf_getshdrstrndx(elf, &shstrndx) != 0) {
    return nullptr;
  }

  std::vector<Piece> pieces;
  bool any_compressed = false;
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr) return nullptr;
    const char* raw_name = elf_strptr(elf, shstrndx, shdr.sh_name);
    if (raw_name == nullptr) return nullptr;
    std::string_view name = raw_name;
    if (needs_libdwfl(name)) return nullptr;
    if (!is_read(name) || shdr.sh_type == SHT_NOBITS || shdr.sh_size == 0) continue;
    Elf_Data* raw = elf_rawdata(scn, nullptr);
    if (raw == nullptr || raw->d_buf == nullptr || raw->d_size != shdr.sh_size) return nullptr;
    Piece piece{name, static_cast<const unsigned char*>(raw->d_buf), raw->d_size, false, raw->d_size,
                std::max<size_t>(shdr.sh_addralign, 1), {}, 0, shdr.sh_offset};
    if ((shdr.sh_flags & SHF_COMPRESSED) != 0) {
      GElf_Chdr chdr;
      if (gelf_getchdr(scn, &chdr) == nullptr || chdr.ch_type != ELFCOMPRESS_ZLIB ||
          raw->d_size < sizeof(Elf64_Chdr)) {
        return nullptr;
      }
      piece.in += sizeof(Elf64_Chdr);
      piece.in_size -= sizeof(Elf64_Chdr);
      piece.file_offset += sizeof(Elf64_Chdr);
      piece.compressed = true;
      piece.size = chdr.ch_size;
      piece.align = std::max<size_t>(chdr.ch_addralign, 1);
      any_compressed = true;
    }
    piece.header = {static_cast<Elf64_Word>(shdr.sh_name), shdr.sh_type, shdr.sh_flags & ~uint64_t{SHF_COMPRESSED},
                    shdr.sh_addr, 0, piece.size, 0, 0, piece.align, shdr.sh_entsize};
    pieces.push_back(piece);
  }
  if (!any_compressed) return nullptr;

  // The image: ELF header, the sections, their names, the section headers.
  size_t size = sizeof(Elf64_Ehdr);
  std::string names(1, '\0');
  for (Piece& piece : pieces) {
    if (!advance(size, piece.align, 0)) return nullptr;  // such a file is left to libdwfl
    piece.offset = size;
    if (!advance(size, 1, piece.size)) return nullptr;
    piece.header.sh_name = static_cast<Elf64_Word>(names.size());
    names.append(piece.name).push_back('\0');
  }
  const size_t names_name = names.size();
  names.append(".shstrtab").push_back('\0');
  const size_t names_offset = size;
  if (!advance(size, 1, names.size()) || !advance(size, alignof(Elf64_Shdr), 0)) return nullptr;
  const size_t headers_offset = size;
  const size_t section_count = pieces.size() + 2;  // the null section and .shstrtab too
  if (!advance(size, 1, section_count * sizeof(Elf64_Shdr))) return nullptr;

  void* mapped = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (mapped == MAP_FAILED) return nullptr;
  unsigned char* image = result->image_ = static_cast<unsigned char*>(mapped);
  result->image_size_ = size;
  for (Piece& piece : pieces) {
    if (!piece.compressed) std::memcpy(image + piece.offset, piece.in, piece.size);
  }

  Elf64_Ehdr header{};
  std::memcpy(header.e_ident, ehdr.e_ident, EI_NIDENT);
  header.e_type = ehdr.e_type;
  header.e_machine = ehdr.e_machine;
  header.e_version = ehdr.e_version;
  header.e_flags = ehdr.e_flags;
  header.e_ehsize = sizeof(Elf64_Ehdr);
  header.e_shentsize = sizeof(Elf64_Shdr);
  header.e_shoff = headers_offset;
  header.e_shnum = static_cast<Elf64_Half>(section_count);
  header.e_shstrndx = static_cast<Elf64_Half>(section_count - 1);
  std::memcpy(image, &header, sizeof header);
  std::memcpy(image + names_offset, names.data(), names.size());
  std::vector<Elf64_Shdr> headers(section_count);
  for (size_t i = 0; i < pieces.size(); ++i) {
    headers[i + 1] = pieces[i].header;
    headers[i + 1].sh_offset = pieces[i].offset;
  }
  headers.back() = {static_cast<Elf64_Word>(names_name), SHT_STRTAB, 0, 0, names_offset, names.size(), 0, 0, 1, 0};
  std::memcpy(image + headers_offset, headers.data(), headers.size() * sizeof(Elf64_Shdr));

  // The image is read as ELF before its sections are inflated: libelf reads
  // only the headers, and each section's descriptor is made here, once, so
  // that the threads reading it while .debug_info streams share them only
  // to read.
  result->image_elf_ = elf_memory(reinterpret_cast<char*>(image), size);
  if (result->image_elf_ == nullptr) return nullptr;
  for (Elf_Scn* scn = elf_nextscn(result->image_elf_, nullptr); scn != nullptr;
       scn = elf_nextscn(result->image_elf_, scn)) {
    if (elf_getdata(scn, nullptr) == nullptr) return nullptr;
  }
  std::function<void()> then;
  if (while_streaming) then = [&] { while_streaming(*result); };
  if (!inflate_pieces(pieces, image, addresses, result->aranges_, result->partial_, then, file, resume)) {
    return nullptr;
  }
  result->dwarf_ = dwarf_begin_elf(result->image_elf_, DWARF_C_READ, nullptr);
  if (result->dwarf_ == nullptr) return nullptr;
  return result;
}

InflatedDwarf::~InflatedDwarf() {
  if (dwarf_ != nullptr) dwarf_end(dwarf_);
  if (image_elf_ != nullptr) elf_end(image_elf_);
  if (image_ != nullptr) munmap(image_, image_size_);
  if (file_elf_ != nullptr) elf_end(file_elf_);
  if (fd_ >= 0) close(fd_);
}

bool InflatedDwarf::keep_units_at(std::span<const uint64_t> addresses) {
  if (!partial_) return true;
  std::set<uint64_t> wanted;
  for (uint64_t address : addresses) aranges_.units_at(address, wanted);
  std::erase_if(wanted, [&](uint64_t unit) { return partial_->holds(unit); });
  if (wanted.empty()) return true;
  // Lookups nobody announced would each stream the section again: after a
  // few, every unit is kept.
  constexpr int kStreamsOnDemand = 4;
  return ++streams_on_demand_ <= kStreamsOnDemand ? partial_->inflate(wanted) : partial_->inflate_every_unit();
}

std::vector<InflatedDwarf::Batch> InflatedDwarf::batches_by_unit(std::span<const uint64_t> addresses,
                                                                 uint64_t budget) const {
  struct ByUnit {
    uint64_t first, last;  // the units that may answer
    uint64_t address;
  };
  std::vector<ByUnit> by_unit;
  by_unit.reserve(addresses.size());
  std::set<uint64_t> units;
  for (uint64_t address : addresses) {
    units.clear();
    aranges_.units_at(address, units);
    // An address several units may answer for is not answered by batch
    // (unit_ambiguous), so it waits for none of them.
    by_unit.push_back({units.empty() ? UINT64_MAX : *units.begin(), units.size() == 1 ? *units.begin() : 0, address});
  }
  std::sort(by_unit.begin(), by_unit.end(),
            [](const ByUnit& a, const ByUnit& b) { return a.first < b.first || (a.first == b.first && a.address < b.address); });
  const uint64_t section_size = partial_ ? partial_->size() : 0;
  // Units an ambiguous address may need stay kept: it is looked up after.
  std::set<uint64_t> pinned;
  for (uint64_t address : addresses) {
    units.clear();
    aranges_.units_at(address, units);
    if (units.size() > 1) pinned.insert(units.begin(), units.end());
  }
  std::vector<Batch> batches;
  uint64_t bytes = 0;
  for (size_t i = 0; i < by_unit.size(); ++i) {
    if (i == 0 || by_unit[i].first != by_unit[i - 1].first) {
      // What the arange units say before .debug_info is streamed: the
      // unit's size, or more.
      const uint64_t size = by_unit[i].first != UINT64_MAX ? aranges_.span_of(by_unit[i].first, section_size) : 0;
      if (batches.empty() || (bytes > 0 && bytes + size > budget)) {
        batches.emplace_back();
        bytes = 0;
      }
      bytes += size;
    }
    Batch& batch = batches.back();
    batch.addresses.push_back(by_unit[i].address);
    batch.last_unit = std::max(batch.last_unit, by_unit[i].last);
    const uint64_t unit = by_unit[i].last;  // the address's one unit, or 0
    if (unit != 0 && !pinned.contains(unit) && (batch.own_units.empty() || batch.own_units.back() != unit)) {
      batch.own_units.push_back(unit);
    }
  }
  return batches;
}

void InflatedDwarf::release_units(const Batch& batch) const {
  if (partial_) partial_->release(batch.own_units);
}

bool InflatedDwarf::unit_ambiguous(uint64_t address) const {
  std::set<uint64_t> units;
  aranges_.units_at(address, units);
  return units.size() > 1;
}

bool InflatedDwarf::wait_for_units(const Batch& batch) const {
  return partial_ == nullptr || partial_->wait_streamed_past(batch.last_unit);
}

Dwarf* InflatedDwarf::begin_dwarf() const { return dwarf_begin_elf(image_elf_, DWARF_C_READ, nullptr); }

}  // namespace hprof
