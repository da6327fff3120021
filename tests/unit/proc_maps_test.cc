// parse_maps_line: one /proc/PID/maps line, or gperftools' brief form.
#include <gtest/gtest.h>

#include "parse/proc_maps.h"

namespace hprof {
namespace {

TEST(ProcMaps, ParsesEveryFieldOfALibraryLine) {
  const auto m = parse_maps_line(
      "7f926aa44000-7f926ab9a000 r-xp 00026000 08:01 332835      /usr/lib/x86_64-linux-gnu/libc.so.6");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->start, 0x7f926aa44000u);
  EXPECT_EQ(m->limit, 0x7f926ab9a000u);
  EXPECT_EQ(m->perms, "r-xp");
  EXPECT_EQ(m->offset, 0x26000u);
  EXPECT_EQ(m->inode, 332835u);
  EXPECT_EQ(m->path, "/usr/lib/x86_64-linux-gnu/libc.so.6");
  EXPECT_FALSE(m->deleted);
  EXPECT_TRUE(m->executable());
}

TEST(ProcMaps, PathKeepsInnerSpaces) {
  const auto m = parse_maps_line("00400000-00452000 r-xp 00000000 08:02 173521   /opt/My App/bin/my server");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->path, "/opt/My App/bin/my server");
}

TEST(ProcMaps, DeletedSuffixIsRemovedAndFlagged) {
  const auto m = parse_maps_line("00400000-00452000 r-xp 00000000 08:02 173521 /usr/bin/server (deleted)");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->path, "/usr/bin/server");
  EXPECT_TRUE(m->deleted);
}

TEST(ProcMaps, AnonymousMemoryHasEmptyPath) {
  // The kernel pads anonymous lines with a trailing space.
  const auto m = parse_maps_line("7f5c2c000000-7f5c2c021000 rw-p 00000000 00:00 0 ");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->path, "");
  EXPECT_EQ(m->inode, 0u);
}

TEST(ProcMaps, BracketedPseudoPathsAreKeptVerbatim) {
  EXPECT_EQ(parse_maps_line("7ffd5b5f2000-7ffd5b5f4000 r-xp 00000000 00:00 0  [vdso]")->path, "[vdso]");
  EXPECT_EQ(parse_maps_line("01c5e000-01c7f000 rw-p 00000000 00:00 0  [heap]")->path, "[heap]");
  EXPECT_EQ(parse_maps_line("7f00-7f10 rw-p 00000000 00:00 0  [anon:foo bar]")->path, "[anon:foo bar]");
}

TEST(ProcMaps, NonExecutableMappingsParseButAreNotExecutable) {
  const auto m = parse_maps_line("7f926ab9a000-7f926abef000 r--p 0017c000 08:01 332835 /usr/lib/libc.so.6");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->perms, "r--p");
  EXPECT_FALSE(m->executable());
}

TEST(ProcMaps, SharedMappingPermsAreAccepted) {
  EXPECT_EQ(parse_maps_line("7f00-7f10 rw-s 00000000 00:05 1234 /dev/shm/x")->perms, "rw-s");
}

TEST(ProcMaps, BriefFormWithOffsetIsExecutable) {
  const auto m = parse_maps_line("  02e00000-02e8a000: /foo/bin (@2a00000)");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->start, 0x2e00000u);
  EXPECT_EQ(m->limit, 0x2e8a000u);
  EXPECT_EQ(m->offset, 0x2a00000u);
  EXPECT_EQ(m->path, "/foo/bin");
  EXPECT_EQ(m->perms, "r-xp");
  EXPECT_TRUE(m->executable());
}

TEST(ProcMaps, BriefFormWithoutOffsetHasOffsetZero) {
  const auto m = parse_maps_line("02e00000-02e8a000: /foo/bin");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->offset, 0u);
  EXPECT_EQ(m->path, "/foo/bin");
}

TEST(ProcMaps, AddressesMayCarry0xPrefix) {
  const auto m = parse_maps_line("0x400000-0x452000 r-xp 00000000 08:02 17 /bin/x");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->start, 0x400000u);
  EXPECT_EQ(m->limit, 0x452000u);
}

TEST(ProcMaps, TrailingCarriageReturnIsNotPartOfThePath) {
  EXPECT_EQ(parse_maps_line("400000-452000 r-xp 00000000 08:02 17 /bin/x\r")->path, "/bin/x");
}

TEST(ProcMaps, OverflowingNumbersAreRejected) {
  EXPECT_FALSE(parse_maps_line("10000000000000000-10000000000000001 r-xp 00000000 08:02 17 /bin/x"));
  EXPECT_FALSE(parse_maps_line("400000-452000 r-xp 00000000 08:02 99999999999999999999 /bin/x"));
}

TEST(ProcMaps, OtherTextIsRejected) {
  EXPECT_FALSE(parse_maps_line(""));
  EXPECT_FALSE(parse_maps_line("MAPPED_LIBRARIES:"));
  EXPECT_FALSE(parse_maps_line("build=/tmp/foo"));
  EXPECT_FALSE(parse_maps_line("400000-452000"));
  EXPECT_FALSE(parse_maps_line("400000-452000 r-xp"));
  EXPECT_FALSE(parse_maps_line("400000-452000 r-xp 00000000 08:02"));
  EXPECT_FALSE(parse_maps_line("400000-452000 r-xp 00000000 0802 17 /bin/x"));
  EXPECT_FALSE(parse_maps_line("400000-452000 r-xp 00000000 08:02 17x /bin/x"));
}

}  // namespace
}  // namespace hprof
