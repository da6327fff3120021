#include "symbolize/resolve.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "fake_symbolizer.h"

namespace hprof {
namespace {

using ::hprof::testing::FakeSymbolizer;
using ::hprof::testing::fn;

std::vector<uint64_t> sorted(std::vector<uint64_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

Sample make_sample(std::vector<uint64_t> stack, int64_t inuse_bytes = 1) {
  Sample s;
  s.values.inuse_bytes = inuse_bytes;
  s.stack = std::move(stack);
  return s;
}

TEST(Resolve, LooksUpEveryPcAtPcMinusOne) {
  HeapProfile profile;
  profile.samples.push_back(make_sample({0x1000, 0x2000}));
  FakeSymbolizer sym;
  resolve_profile(profile, sym);
  EXPECT_EQ(sorted(sym.lookups()), (std::vector<uint64_t>{0xfff, 0x1fff}));
}

TEST(Resolve, LooksUpEachDistinctPcOnceAcrossSamples) {
  HeapProfile profile;
  profile.samples.push_back(make_sample({0x10, 0x20, 0x30}));
  profile.samples.push_back(make_sample({0x40, 0x20, 0x30}));
  profile.samples.push_back(make_sample({0x10, 0x10}));
  FakeSymbolizer sym;
  resolve_profile(profile, sym);
  EXPECT_EQ(sorted(sym.lookups()), (std::vector<uint64_t>{0x0f, 0x1f, 0x2f, 0x3f}));
}

TEST(Resolve, RepeatedPcSharesOneLocation) {
  HeapProfile profile;
  profile.samples.push_back(make_sample({0x10, 0x20}));
  profile.samples.push_back(make_sample({0x30, 0x20}));
  FakeSymbolizer sym;
  Profile r = resolve_profile(profile, sym);
  ASSERT_EQ(r.samples.size(), 2u);
  ASSERT_EQ(r.samples[0].locations.size(), 2u);
  ASSERT_EQ(r.samples[1].locations.size(), 2u);
  EXPECT_EQ(r.samples[0].locations[1], r.samples[1].locations[1]);
  EXPECT_NE(r.samples[0].locations[0], r.samples[1].locations[0]);
  EXPECT_EQ(r.locations.size(), 3u);
}

TEST(Resolve, LocationsKeepLeafFirstOrderAndChains) {
  HeapProfile profile;
  profile.samples.push_back(make_sample({0x101, 0x201}));
  FakeSymbolizer sym;
  sym.add(0x100, {fn("leak_malloc", true), fn("main")});
  sym.add(0x200, {fn("__libc_start_main")});
  Profile r = resolve_profile(profile, sym);
  ASSERT_EQ(r.samples.size(), 1u);
  ASSERT_EQ(r.samples[0].locations.size(), 2u);
  EXPECT_EQ(r.locations[r.samples[0].locations[0]].frames, (FrameChain{fn("leak_malloc", true), fn("main")}));
  EXPECT_EQ(r.locations[r.samples[0].locations[1]].frames, (FrameChain{fn("__libc_start_main")}));
}

TEST(Resolve, LocationKeepsTheLookedUpAddressAndItsOrigin) {
  HeapProfile profile;
  profile.samples.push_back(make_sample({0x101}));
  FakeSymbolizer sym;
  Profile r = resolve_profile(profile, sym);
  ASSERT_EQ(r.locations.size(), 1u);
  EXPECT_EQ(r.locations[0].address, 0x100u);
  EXPECT_EQ(r.locations[0].origin, (LocationOrigin{"", 0x100}));  // the default origin
}

TEST(Resolve, CopiesSampleValues) {
  HeapProfile profile;
  Sample s = make_sample({0x10});
  s.values = HeapValues{3, 300, 7, 700};
  profile.samples.push_back(s);
  FakeSymbolizer sym;
  Profile r = resolve_profile(profile, sym);
  ASSERT_EQ(r.samples.size(), 1u);
  EXPECT_EQ(r.samples[0].values, heap_values(HeapValues{3, 300, 7, 700}));
}

TEST(Resolve, EmptyStackStaysAnEmptySample) {
  HeapProfile profile;
  profile.samples.push_back(make_sample({}, 42));
  FakeSymbolizer sym;
  Profile r = resolve_profile(profile, sym);
  ASSERT_EQ(r.samples.size(), 1u);
  EXPECT_TRUE(r.samples[0].locations.empty());
  EXPECT_EQ(r.samples[0].values[static_cast<std::size_t>(HeapValue::kInuseSpace)], 42);
  EXPECT_TRUE(sym.lookups().empty());
}

}  // namespace
}  // namespace hprof
