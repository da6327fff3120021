// Which colour class a frame's object falls in (the flame graph's legend).
#include "report/object_kind.h"

#include <gtest/gtest.h>

namespace hprof {
namespace {

TEST(ObjectKind, JitCodeIsAnonymousExecutableMemory) {
  EXPECT_EQ(object_kind("[anon:jit]"), ObjectKind::kJit);
}

TEST(ObjectKind, LibrariesAreKnownByTheirNameWhateverTheVersion) {
  EXPECT_EQ(object_kind("/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so"), ObjectKind::kLibjvm);
  EXPECT_EQ(object_kind("/usr/lib/x86_64-linux-gnu/libz.so.1.2.13"), ObjectKind::kLibz);
  EXPECT_EQ(object_kind("/usr/lib/x86_64-linux-gnu/libc.so.6"), ObjectKind::kLibc);
  EXPECT_EQ(object_kind("/lib/x86_64-linux-gnu/libc-2.31.so"), ObjectKind::kLibc);
  EXPECT_EQ(object_kind("/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30"), ObjectKind::kLibc);
  EXPECT_EQ(object_kind("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"), ObjectKind::kLibc);
}

TEST(ObjectKind, ANameThatOnlyStartsLikeAKnownLibraryIsAnother) {
  // The JDK's libzip is not zlib; libcrypto is not libc.
  EXPECT_EQ(object_kind("/usr/lib/jvm/java-17-openjdk-amd64/lib/libzip.so"), ObjectKind::kOther);
  EXPECT_EQ(object_kind("/usr/lib/x86_64-linux-gnu/libcrypto.so.3"), ObjectKind::kOther);
  EXPECT_EQ(object_kind("/usr/lib/x86_64-linux-gnu/libmanagement.so"), ObjectKind::kOther);
}

TEST(ObjectKind, AFileThatIsNotASharedObjectIsTheProgram) {
  EXPECT_EQ(object_kind("/usr/lib/jvm/java-17-openjdk-amd64/bin/java"), ObjectKind::kProgram);
  EXPECT_EQ(object_kind("/build/tests/e2e/e2e_workload"), ObjectKind::kProgram);
  EXPECT_EQ(object_kind("/srv/app/server.sock-helper"), ObjectKind::kProgram);
}

TEST(ObjectKind, PseudoMappingsAndNoMappingAreOther) {
  EXPECT_EQ(object_kind("[vdso]"), ObjectKind::kOther);
  EXPECT_EQ(object_kind(""), ObjectKind::kOther);
  EXPECT_EQ(object_kind("/usr/lib/libfoo.so"), ObjectKind::kOther);
}

TEST(ObjectKind, EveryKindHasALabelOfItsOwn) {
  EXPECT_EQ(object_kind_label(ObjectKind::kJit), "Java/JIT");
  EXPECT_EQ(object_kind_label(ObjectKind::kLibjvm), "libjvm");
  EXPECT_EQ(object_kind_label(ObjectKind::kLibz), "libz");
  EXPECT_EQ(object_kind_label(ObjectKind::kLibc), "libc/libstdc++");
  EXPECT_EQ(object_kind_label(ObjectKind::kProgram), "program");
  EXPECT_EQ(object_kind_label(ObjectKind::kOther), "other");
}

}  // namespace
}  // namespace hprof
