// Which DWARF one ELF file's frames are read from, opened on first need:
// an InflatedDwarf when its debug sections are zlib-compressed (the file's
// own, or its separate debug file's when their addresses agree), else
// libdwfl's.  Also the inline resolver over it, and the addresses announced
// before lookups, which decide which units of .debug_info are inflated.
#pragma once

#include <gelf.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "symbolize/dwarf/inflated_dwarf.h"
#include "symbolize/dwarf/inline_resolver.h"
#include "symbolize/elf/elf_module.h"

namespace hprof {

class DwarfFile {
 public:
  // `first_vaddr`: the file's first PT_LOAD address, which a debug file's
  // must equal.
  DwarfFile(ElfModule& module, std::optional<uint64_t> first_vaddr);
  ~DwarfFile();
  DwarfFile(const DwarfFile&) = delete;
  DwarfFile& operator=(const DwarfFile&) = delete;

  // Addresses lookups will ask about, not yet answered.
  void announce(uint64_t file_vaddr) { announced_.push_back(file_vaddr); }
  bool announced_any() const { return !announced_.empty(); }
  std::vector<uint64_t> take_announced();
  const std::vector<uint64_t>& announced() const { return announced_; }

  // The DWARF opened apart; null when libdwfl reads it.  When this call
  // opens it, `while_streaming` runs as InflatedDwarf::open says.
  InflatedDwarf* inflated(const InflatedDwarf::WhileStreaming& while_streaming = {});
  // Whether inflated() is the separate debug file's.
  bool inflated_is_separate() const { return inflated_is_separate_; }
  // Whether the file has DWARF at all, the debug file's included.
  bool has_dwarf();
  // The separate debug file's ELF as DWARF is read from it; null when none.
  Elf* debug_elf();
  // Inline chains over this DWARF, made on first need.
  InlineResolver& inlines();
  // Whether `file_vaddr` may be looked up in inlines(): an address nobody
  // announced may be in a unit of .debug_info not kept.
  bool readable_at(uint64_t file_vaddr);

  // Where the resume points of a compressed .debug_info are kept
  // (ResumePoints), asked when the DWARF is opened: those found there are
  // resumed from, and a stream records new ones.  Empty: none are kept.
  void keep_resume_points_at(std::function<std::string()> path) { resume_path_ = std::move(path); }
  // Writes the points this run's stream recorded (the file had none that
  // fit).  Throws std::system_error when it cannot.
  void save_resume_points();

 private:
  ElfModule* module_;
  std::optional<uint64_t> first_vaddr_;
  std::vector<uint64_t> announced_;
  std::function<std::string()> resume_path_;
  std::string resume_file_;
  std::optional<ResumePoints> resume_points_;  // read; the inflated DWARF points into it
  bool inflated_looked_for_ = false;
  bool inflated_is_separate_ = false;
  std::unique_ptr<InflatedDwarf> inflated_;
  std::unique_ptr<InlineResolver> inlines_;
};

}  // namespace hprof
