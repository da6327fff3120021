// A table-driven Symbolizer for unit tests: lookup_pc -> FrameChain, and a
// log of every lookup made.  Unknown addresses get one placeholder frame
// named "unknown@0x<lookup_pc>".
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "profile/frame.h"
#include "symbolize/symbolizer.h"

namespace hprof::testing {

// One frame with just a function name (and optionally the inline flag).
inline Frame fn(std::string name, bool inlined = false) {
  Frame f;
  f.function = std::move(name);
  f.inlined = inlined;
  return f;
}

class FakeSymbolizer : public Symbolizer {
 public:
  FakeSymbolizer() = default;
  explicit FakeSymbolizer(std::map<uint64_t, FrameChain> table) : table_(std::move(table)) {}

  // Registers the answer for `lookup_pc` (note: the pc minus one).
  FakeSymbolizer& add(uint64_t lookup_pc, FrameChain chain) {
    table_[lookup_pc] = std::move(chain);
    return *this;
  }

  FrameChain lookup(uint64_t lookup_pc) override {
    lookups_.push_back(lookup_pc);
    auto it = table_.find(lookup_pc);
    if (it != table_.end()) return it->second;
    return {fn(fmt::format("unknown@{:#x}", lookup_pc))};
  }

  // Every lookup_pc passed to lookup(), in call order.
  const std::vector<uint64_t>& lookups() const { return lookups_; }

 private:
  std::map<uint64_t, FrameChain> table_;
  std::vector<uint64_t> lookups_;
};

}  // namespace hprof::testing
