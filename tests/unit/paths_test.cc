// The path helpers of common/paths.h.
#include "common/paths.h"

#include <gtest/gtest.h>

namespace hprof {
namespace {

TEST(IsSharedObject, FollowsTheGoPprofRule) {
  // `\.so$|\.so[._][0-9]+` on the file name.
  for (const char* path : {"/usr/lib/libz.so", "libz.so.1", "/lib/libz.so.1.2.13", "libc-2.31.so", "libfoo.so_1"}) {
    EXPECT_TRUE(is_shared_object(path)) << path;
  }
  for (const char* path : {"/usr/bin/java", "x.sock", "libfoo.so.old", "libfoo.so.", "/dir.so/program", ""}) {
    EXPECT_FALSE(is_shared_object(path)) << path;
  }
}

TEST(BasenameOf, IsTheLastComponent) {
  EXPECT_EQ(basename_of(std::string_view("/usr/lib/libz.so.1")), "libz.so.1");
  EXPECT_EQ(basename_of(std::string_view("libz.so.1")), "libz.so.1");
  EXPECT_EQ(basename_of(std::string_view("/usr/lib/")), "");
}

}  // namespace
}  // namespace hprof
