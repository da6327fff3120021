// The DWARF of a file whose debug sections are zlib-compressed (SHF_COMPRESSED,
// as Debian's -dbg packages ship them), opened faster than libdw opens it:
// libdw inflates every compressed debug section with zlib when the Dwarf is
// opened, location lists included.  Here only the sections that names, lines
// and inline chains read are inflated, with libdeflate, on two threads, into
// one in-memory ELF image that libdw then reads as it is.  Given the
// addresses to answer for, .debug_info is inflated in part (PartialDebugInfo):
// only the units that hold them are kept.
#pragma once

#include <gelf.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "symbolize/dwarf/debug_info_units.h"

typedef struct Dwarf Dwarf;

namespace hprof {

// Resume points (ResumePoints) for InflatedDwarf::open.
struct InflateResume {
  const ResumePoints* read = nullptr;
  bool record = false;
};

class InflatedDwarf {
 public:
  // Opens the DWARF of `path` (a separate debug file, or the file itself);
  // `fd`, when given, is that file already open, and is closed here.
  // nullptr when this path does not apply and libdwfl should open it as
  // usual: no zlib-compressed debug section libdw reads, not a native-endian
  // ELF64 file, a file libdw would have to complete (relocatable objects,
  // dwz's .gnu_debugaltlink, split or type units), or a libelf/libdw error.
  // `addresses` (link-time), when given, are those lookups will ask about:
  // .debug_info is then kept only in part, when its units stand alone.
  // `while_streaming`, when given and .debug_info is kept in part, is
  // called on each of the two threads once the other sections are
  // inflated, while .debug_info streams: it may read the units it waits
  // for (wait_for_units) with Dwarf handles of its own (begin_dwarf).
  // What it read is valid only when open() succeeds.
  // `resume`, when .debug_info is kept in part: the points to resume from
  // (used when they are this file's), and whether a stream records them.
  using WhileStreaming = std::function<void(const InflatedDwarf&)>;
  using Resume = InflateResume;
  static std::unique_ptr<InflatedDwarf> open(const std::string& path, int fd = -1,
                                             const std::vector<uint64_t>* addresses = nullptr,
                                             const WhileStreaming& while_streaming = {}, Resume resume = {});
  ~InflatedDwarf();
  InflatedDwarf(const InflatedDwarf&) = delete;
  InflatedDwarf& operator=(const InflatedDwarf&) = delete;

  const std::string& path() const { return path_; }
  Dwarf* dwarf() const { return dwarf_; }
  // The file itself as libelf reads it (symbol tables, .debug_frame, notes).
  Elf* file_elf() const { return file_elf_; }

  // Makes the units that answer for `addresses` readable: .debug_info is
  // inflated again when one of them was not kept.  False when that fails
  // (then those addresses must not be looked up in dwarf()).
  bool keep_units_at(std::span<const uint64_t> addresses);
  // Null when .debug_info is whole.
  const PartialDebugInfo* partial() const { return partial_.get(); }

  // `addresses` in batches by unit, in the order of their units, each
  // batch's units holding about `budget` bytes of .debug_info or fewer
  // (a larger unit is a batch of its own).
  struct Batch {
    std::vector<uint64_t> addresses;
    uint64_t last_unit = 0;  // the last unit that answers for them
    // Its units no address outside it may need, once it is answered.
    std::vector<uint64_t> own_units;
  };
  std::vector<Batch> batches_by_unit(std::span<const uint64_t> addresses, uint64_t budget) const;
  // .debug_aranges as parsed before .debug_info is inflated; empty when
  // .debug_info is whole.
  const ArangeUnits& arange_units() const { return aranges_; }
  // Whether the units of arange_units() leave the unit of `address` open:
  // several start where its run starts.
  bool unit_ambiguous(uint64_t address) const;
  // While open() streams .debug_info: the batch is answered, its own units
  // are given back (read again only by streaming again).
  void release_units(const Batch& batch) const;
  // Waits until .debug_info holds the batch's units, while open() streams
  // it; false when that stream failed.
  bool wait_for_units(const Batch& batch) const;
  // A Dwarf of its own over the same image, for the caller to dwarf_end:
  // what libdw caches while answering (line tables, abbreviations, units)
  // goes with it.
  Dwarf* begin_dwarf() const;

 private:
  InflatedDwarf() = default;

  std::string path_;
  int fd_ = -1;
  Elf* file_elf_ = nullptr;
  unsigned char* image_ = nullptr;  // the ELF image libdw reads (mapped: unwritten pages cost nothing)
  size_t image_size_ = 0;
  ArangeUnits aranges_;
  std::unique_ptr<PartialDebugInfo> partial_;
  int streams_on_demand_ = 0;  // keep_units_at()'s, after open
  Elf* image_elf_ = nullptr;
  Dwarf* dwarf_ = nullptr;
};

}  // namespace hprof
