// merge_sweeps: the DWARF part of an index from sweeps over some units each.
#include "symbolize/index/sweep_merge.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace hprof {
namespace {

using Interval = IndexPart::Interval;
constexpr uint32_t kNotSwept = IndexContents::kNotSwept;
constexpr uint32_t kAsk = IndexContents::kAskDwarf;

// "[start, end) chain" per interval, "not-swept" and "ask" for the markers.
std::string text_of(const std::vector<Interval>& intervals) {
  std::string out;
  for (const Interval& i : intervals) {
    std::ostringstream line;
    line << std::hex << "[0x" << i.start << ", 0x" << i.end << ") ";
    if (i.chain == kNotSwept) {
      line << "not-swept";
    } else if (i.chain == kAsk) {
      line << "ask";
    } else {
      line << std::dec << i.chain;
    }
    out += line.str() + "\n";
  }
  return out;
}

std::string merged(const std::vector<UnitSweep>& sweeps) { return text_of(merge_sweeps(sweeps)); }

TEST(MergeSweeps, OneSweepIsItsAnswersAndWhatItSkippedAsNotSwept) {
  UnitSweep sweep{{{0x100, 0x140, 0}, {0x140, 0x180, kAsk}}, {{0x0, 0x100}, {0x200, 0x300}}};
  EXPECT_EQ(merged({sweep}),
            "[0x0, 0x100) not-swept\n"
            "[0x100, 0x140) 0\n"
            "[0x140, 0x180) ask\n"
            "[0x200, 0x300) not-swept\n");
}

TEST(MergeSweeps, WhatOneSweepAnsweredAnotherSkippedIsAnswered) {
  // Two batches of units: each skipped the other's unit and the unit nobody read.
  UnitSweep a{{{0x100, 0x180, 0}}, {{0x200, 0x300}, {0x300, 0x400}}};
  UnitSweep b{{{0x200, 0x240, 1}}, {{0x100, 0x200}, {0x300, 0x400}}};
  EXPECT_EQ(merged({a, b}),
            "[0x100, 0x180) 0\n"
            "[0x200, 0x240) 1\n"
            "[0x300, 0x400) not-swept\n");
}

TEST(MergeSweeps, AGapInAUnitASweepReadHasNoFramesAndNoInterval) {
  UnitSweep a{{{0x100, 0x120, 0}}, {}};
  UnitSweep b{{}, {{0x100, 0x200}}};
  EXPECT_EQ(merged({a, b}), "[0x100, 0x120) 0\n");
}

TEST(MergeSweeps, AUnitTwoSweepsReadIsAnsweredOnce) {
  UnitSweep a{{{0x100, 0x180, 0}}, {}};
  EXPECT_EQ(merged({a, a}), "[0x100, 0x180) 0\n");
}

TEST(MergeSweeps, NoSweepIsNoInterval) { EXPECT_EQ(merged({}), ""); }

}  // namespace
}  // namespace hprof
