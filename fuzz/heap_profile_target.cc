// Fuzz target: a heap profile from its bytes to the text report.
#include <fmt/format.h>

#include <sstream>
#include <string>

#include "common/error.h"
#include "fuzz/quiet_diagnostics.h"
#include "fuzz/targets.h"
#include "parse/parse_heap_profile.h"
#include "report/prune.h"
#include "report/render_text.h"
#include "report/report.h"
#include "symbolize/resolve.h"

namespace hprof::fuzz {
namespace {

// Names every address from the address alone, with the shapes real answers
// have: allocator frames (pruned from the leaf side), inline chains with
// source lines, and names shared by several addresses (rows that merge).
class AddressSymbolizer : public Symbolizer {
 public:
  FrameChain lookup(uint64_t lookup_pc) override {
    switch (lookup_pc % 5) {
      case 0:
        return {placeholder_frame(lookup_pc % 2 ? "malloc" : "operator new")};
      case 1: {
        Frame inner{fmt::format("inl{}", lookup_pc % 3), "/src/a.h", static_cast<uint32_t>(lookup_pc % 100), true};
        Frame outer{fmt::format("f{}", lookup_pc % 7), "/src/a.cc", 12, false};
        return {inner, outer};
      }
      default:
        return {placeholder_frame(fmt::format("g{}", lookup_pc % 11))};
    }
  }
};

}  // namespace

void heap_profile(std::span<const uint8_t> input) {
  QuietDiagnostics diags;
  std::istringstream in(std::string(reinterpret_cast<const char*>(input.data()), input.size()));
  HeapProfile profile;
  try {
    profile = parse_heap_profile(in, "fuzz.heap", diags.get());
  } catch (const InputError&) {
    return;  // rejected with file and line: what the CLI prints
  }
  AddressSymbolizer symbolizer;
  ReportProfile resolved{resolve_profile(profile, symbolizer), {}, false};
  prune_allocator_frames(resolved);
  for (const SampleType& type : resolved.kind->sample_types) {
    ReportOptions options;
    options.sample_type = type;
    options.granularity = type.type == "alloc_objects" ? Granularity::kAddresses : Granularity::kLines;
    render_text(build_report({&resolved}, options), options);
  }
}

}  // namespace hprof::fuzz
