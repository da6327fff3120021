// The symbol index of one ELF file through a run: looked for at the first
// lookup, read when sound, else wanted, and written at the end of the run
// from the file's name sources.  Says why an index found was not used.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "symbolize/elf/elf_module.h"
#include "symbolize/index/symbol_index.h"
#include "symbolize/names/name_order.h"

namespace hprof {

class ObjectIndex {
 public:
  // `dir` empty: no index.
  ObjectIndex(ElfModule& module, std::string dir)
      : module_(&module), state_(dir.empty() ? State::kOff : State::kUnchecked), dir_(std::move(dir)) {}

  // Reads the index when it has not been looked for yet; a rejected one is
  // warned about once.  Returns the read index; null when there is none.
  const SymbolIndex* read();
  // True when a lookup found no usable index and one should be written.
  bool wanted() const { return state_ == State::kWanted; }
  // Whether an index is read or to be written (after read()).
  bool enabled() const { return state_ == State::kRead || state_ == State::kWanted; }
  // Whether read() has found a sound index, without looking for one.
  bool is_read() const { return state_ == State::kRead; }
  // Writes the index from `sources`, each saving its answers: the live
  // sources, or a read index's (which then grows).  Throws
  // std::system_error when it cannot.
  void write(const NameSources& sources);
  // Where the file's resume points (ResumePoints) go beside its index, once
  // read() has run; empty when there is no index.
  std::string resume_points_path() const;
  // For --verbose: "read:PATH", "to-write:PATH" or "off".
  std::string description() const;

 private:
  enum class State { kOff, kUnchecked, kRead, kWanted, kWritten };
  // What the index is keyed by; nullopt when a file cannot be stat'ed.
  std::optional<IndexKey> key();
  void warn_rejected(const SymbolIndex::Opened& opened, const std::string& path) const;

  ElfModule* module_;
  State state_;
  std::string dir_;
  std::optional<IndexKey> key_;
  std::unique_ptr<SymbolIndex> index_;
};

}  // namespace hprof
