// unsample_pair: Poisson unsampling exactly as Go's scaleHeapSample
// (google/pprof profile/legacy_profile.go), vectors checked against Go.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "parse/heap_profile.h"

namespace hprof {
namespace {

constexpr uint64_t kPeriod = 524288;

TEST(Unsample, OneSmallObjectAtDefaultPeriod) {
  // Go: scaleHeapSample(1, 100, 524288) = (5243, 524338)
  EXPECT_EQ(unsample_pair(1, 100, kPeriod), (CountBytes{5243, 524338}));
}

TEST(Unsample, TruncatesTowardZeroLikeGo) {
  // Exact products are 104867600.31790182 and 10486760031.790182.
  EXPECT_EQ(unsample_pair(20000, 2000000, kPeriod), (CountBytes{104867600, 10486760031}));
}

TEST(Unsample, NegativeInUseDifferencesTruncateTowardZero) {
  EXPECT_EQ(unsample_pair(-1, -100, kPeriod), (CountBytes{-5243, -524338}));
}

TEST(Unsample, ZeroCountGivesZero) { EXPECT_EQ(unsample_pair(0, 100, kPeriod), (CountBytes{0, 0})); }

TEST(Unsample, ZeroBytesGivesZero) { EXPECT_EQ(unsample_pair(7, 0, kPeriod), (CountBytes{0, 0})); }

TEST(Unsample, PeriodOneLeavesPairUnchanged) { EXPECT_EQ(unsample_pair(3, 300, 1), (CountBytes{3, 300})); }

TEST(Unsample, UnknownPeriodZeroLeavesPairUnchanged) { EXPECT_EQ(unsample_pair(3, 300, 0), (CountBytes{3, 300})); }

TEST(Unsample, LargeObjectsBarelyScale) {
  // 1 MiB objects at a 512 KiB period: scale = 1/(1-e^-2) = 1.1565...
  EXPECT_EQ(unsample_pair(10, 10485760, kPeriod), (CountBytes{11, 12126966}));
}

TEST(Unsample, InfiniteScaleSaturatesInsteadOfOverflowing) {
  // Average size ~1e-19 bytes: 1 - exp(-tiny) is 0, so the scale is infinite.
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(unsample_pair(kMax, 1, kPeriod), (CountBytes{kMax, kMax}));
}

}  // namespace
}  // namespace hprof
