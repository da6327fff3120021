// gzip_compress, checked by zlib's own gunzip.
#include "report/gzip.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "pprof_decoding.h"

namespace hprof {
namespace {

TEST(Gzip, ZlibsGunzipGivesTheBytesBack) {
  std::string mixed;
  for (uint32_t i = 0; i < 300000; ++i) mixed += static_cast<char>((i * 7919u) % 251u);  // with NULs, hardly compressible
  for (const std::string& bytes : {std::string(), std::string("hprof"), std::string(1 << 20, 'x'), mixed}) {
    const std::string gz = gzip_compress(bytes);
    EXPECT_EQ(gz.substr(0, 2), "\x1f\x8b");
    EXPECT_EQ(testing::gunzip(gz), bytes);
  }
}

TEST(Gzip, RepetitiveDataShrinks) { EXPECT_LT(gzip_compress(std::string(1 << 20, 'x')).size(), 10000u); }

}  // namespace
}  // namespace hprof
