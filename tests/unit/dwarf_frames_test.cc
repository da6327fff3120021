// InlineResolver against libdw's own scope search: on the DWARF fixture
// (tests/fixtures/dwarf, a small fixed program, so that the sweeps over every
// address cost the same however many tests are added), and on this test
// binary's own DWARF for a chain whose lines the test knows.

#include "symbolize/dwarf/inline_resolver.h"
#include "symbolize/dwarf/scope_search.h"

#include "elf_testing.h"

#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <gtest/gtest.h>
#include <link.h>

#include <cstdint>
#include <string>
#include <vector>

namespace hprof {
namespace {

const Dwfl_Callbacks kCallbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = dwfl_offline_section_address,
    .debuginfo_path = nullptr,
};

// The DWARF fixture reported at base 0, as ObjectFile does.
class DwarfFrames : public ::testing::Test {
 protected:
  void SetUp() override { report(HPROF_DWARF_FIXTURE); }
  // `path` as the one module, at base 0.
  void report(const char* path) {
    if (dwfl_ != nullptr) dwfl_end(dwfl_);
    dwfl_ = dwfl_begin(&kCallbacks);
    ASSERT_NE(dwfl_, nullptr);
    module_ = dwfl_report_elf(dwfl_, "object", path, -1, 0, true);
    ASSERT_NE(module_, nullptr) << path << ": " << dwfl_errmsg(-1);
    dwfl_report_end(dwfl_, nullptr, nullptr);
    Dwarf_Addr bias = 0;
    ASSERT_NE(dwfl_module_getdwarf(module_, &bias), nullptr) << path << " has no DWARF (built without -g?)";
  }
  void TearDown() override {
    if (dwfl_ != nullptr) dwfl_end(dwfl_);
  }

  // The executable segments, as [start, end) file addresses.
  std::vector<std::pair<uint64_t, uint64_t>> code_segments() {
    std::vector<std::pair<uint64_t, uint64_t>> out;
    GElf_Addr bias = 0;
    Elf* elf = dwfl_module_getelf(module_, &bias);
    size_t count = 0;
    if (elf == nullptr || elf_getphdrnum(elf, &count) != 0) return out;
    for (size_t i = 0; i < count; ++i) {
      GElf_Phdr phdr;
      if (gelf_getphdr(elf, static_cast<int>(i), &phdr) != nullptr && phdr.p_type == PT_LOAD &&
          (phdr.p_flags & PF_X) != 0) {
        out.emplace_back(phdr.p_vaddr, phdr.p_vaddr + phdr.p_memsz);
      }
    }
    return out;
  }

  Dwfl* dwfl_ = nullptr;
  Dwfl_Module* module_ = nullptr;
};

// The main program's load bias: runtime address - file address.
uint64_t load_bias() {
  uint64_t bias = 0;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* out) {
        *static_cast<uint64_t*>(out) = info->dlpi_addr;
        return 1;  // the first entry is the main program
      },
      &bias);
  return bias;
}

using testing::describe;

// A known inline chain: the call in inlined_for_test() returns into the
// inlined copy of it inside outer_for_test().
[[gnu::noinline]] uintptr_t return_address_for_test() {
  return reinterpret_cast<uintptr_t>(__builtin_return_address(0));
}
constexpr uint32_t kInnerLine = __LINE__ + 2;
[[gnu::always_inline]] inline uintptr_t inlined_for_test() {
  return return_address_for_test() + 0;
}
constexpr uint32_t kOuterLine = __LINE__ + 2;
[[gnu::noinline]] uintptr_t outer_for_test() {
  uintptr_t address = inlined_for_test();
  asm volatile("" ::: "memory");  // keep the call from becoming a tail call
  return address;
}

TEST_F(DwarfFrames, FindsAnInlineChainLikeLibdw) {
  report("/proc/self/exe");  // the chain above, in this test binary
  // The call instruction itself: just before the return address.
  uint64_t file_vaddr = outer_for_test() - 1 - load_bias();
  InlineResolver resolver(module_);
  FrameChain chain = resolver.frames(file_vaddr);
  EXPECT_EQ(chain, dwarf_frames_by_scope_search(module_, file_vaddr));
  ASSERT_EQ(chain.size(), 2u) << describe(chain);
  EXPECT_NE(chain[0].function.find("inlined_for_test"), std::string::npos) << describe(chain);
  EXPECT_TRUE(chain[0].inlined);
  EXPECT_EQ(chain[0].line, kInnerLine);
  EXPECT_NE(chain[1].function.find("outer_for_test"), std::string::npos) << describe(chain);
  EXPECT_FALSE(chain[1].inlined);
  EXPECT_EQ(chain[1].line, kOuterLine);
  EXPECT_NE(chain[1].file.find("dwarf_frames_test.cc"), std::string::npos) << describe(chain);
}

TEST_F(DwarfFrames, AgreesWithLibdwAcrossTheBinary) {
  // Addresses spread over all code, then each one byte further on (through
  // the units and functions indexed by then), against libdw's search.
  auto segments = code_segments();
  ASSERT_FALSE(segments.empty());
  uint64_t total = 0;
  for (const auto& [start, end] : segments) total += end - start;
  const uint64_t step = total / 200 + 1;  // libdw takes milliseconds per address
  InlineResolver resolver(module_);
  size_t resolved = 0, with_inlines = 0;
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& [start, end] : segments) {
      for (uint64_t address = start + pass; address < end; address += step) {
        FrameChain chain = resolver.frames(address);
        FrameChain want = dwarf_frames_by_scope_search(module_, address);
        ASSERT_EQ(chain, want) << std::hex << "at 0x" << address << "\ngot:\n"
                               << describe(chain) << "want:\n"
                               << describe(want);
        resolved += !chain.empty();
        with_inlines += chain.size() > 1;
      }
    }
  }
  EXPECT_GT(resolved, 0u);
  EXPECT_GT(with_inlines, 0u);
}

struct SweptInterval {
  uint64_t low, high;
  bool ask;
  FrameChain chain;
};

std::vector<SweptInterval> sweep_all(InlineResolver& resolver) {
  std::vector<SweptInterval> out;
  resolver.sweep([&](uint64_t low, uint64_t high, const FrameChain* chain) {
    out.push_back({low, high, chain == nullptr, chain != nullptr ? *chain : FrameChain{}});
  });
  return out;
}

// The sweep's answer at every address of every interval (its first, last
// and middle address), and at the addresses between intervals, is frames()'s
// answer there, asked of a resolver that never swept.
void expect_sweep_agrees(InlineResolver& swept, InlineResolver& fresh) {
  std::vector<SweptInterval> intervals = sweep_all(swept);
  ASSERT_GT(intervals.size(), 10u);
  size_t with_inlines = 0;
  for (size_t i = 0; i < intervals.size(); ++i) {
    const SweptInterval& in = intervals[i];
    ASSERT_LT(in.low, in.high);
    if (i > 0) {
      ASSERT_LE(intervals[i - 1].high, in.low) << "intervals overlap or are out of order";
    }
    EXPECT_FALSE(in.ask) << std::hex << "0x" << in.low << ": the fixture's DWARF is all modelled";
    with_inlines += in.chain.size() > 1;
    for (uint64_t address : {in.low, in.low + (in.high - in.low) / 2, in.high - 1}) {
      ASSERT_EQ(fresh.frames(address), in.chain) << std::hex << "at 0x" << address;
    }
    if (i > 0 && intervals[i - 1].high < in.low) {
      ASSERT_EQ(fresh.frames(intervals[i - 1].high), FrameChain{}) << std::hex << "gap at 0x" << intervals[i - 1].high;
    }
  }
  EXPECT_GT(with_inlines, 0u);
}

TEST_F(DwarfFrames, SweepGivesFramesAnswerEverywhereThroughLibdwfl) {
  InlineResolver swept(module_), fresh(module_);
  expect_sweep_agrees(swept, fresh);
}

TEST_F(DwarfFrames, SweepGivesFramesAnswerEverywhereOnADwarfOpenedApart) {
  Dwarf_Addr bias = 0;
  Dwarf* dwarf = dwfl_module_getdwarf(module_, &bias);
  ASSERT_EQ(bias, 0u);
  InlineResolver swept(dwarf), fresh(dwarf);
  expect_sweep_agrees(swept, fresh);
}

TEST_F(DwarfFrames, SweepMergesNeighboursWithTheSameAnswer) {
  InlineResolver resolver(module_);
  std::vector<SweptInterval> intervals = sweep_all(resolver);
  // Touching intervals share an answer only where two functions or line
  // rows of different file name strings meet: rarely.
  size_t touching_equal = 0;
  for (size_t i = 1; i < intervals.size(); ++i) {
    touching_equal += intervals[i - 1].high == intervals[i].low && intervals[i - 1].chain == intervals[i].chain;
  }
  EXPECT_LT(touching_equal * 10, intervals.size()) << touching_equal << " of " << intervals.size();
}

}  // namespace
}  // namespace hprof
