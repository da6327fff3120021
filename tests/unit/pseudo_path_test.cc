// is_pseudo_path: which paths of a memory map name no file to open.
#include <gtest/gtest.h>

#include "symbolize/pseudo_path.h"

namespace hprof {
namespace {

TEST(PseudoPath, AnonymousMemoryAndTheKernelsBracketedNamesArePseudo) {
  for (const char* path : {"", "[heap]", "[stack]", "[vdso]", "[vsyscall]", "[anon:v8 code]", "/[aio]"}) {
    EXPECT_TRUE(is_pseudo_path(path)) << path;
  }
}

TEST(PseudoPath, TheKernelsNamesForFilesWithoutAPathArePseudo) {
  for (const char* path : {"anon_inode:[perf_event]", "anon_inode:i915.gem", "memfd:jit-cache", "socket:[4026]",
                           "pipe:[77]"}) {
    EXPECT_TRUE(is_pseudo_path(path)) << path;
  }
}

TEST(PseudoPath, PerfsNameForTheVdsoIsPseudo) { EXPECT_TRUE(is_pseudo_path("linux-vdso.so.1")); }

TEST(PseudoPath, DevicesSharedMemoryProcAndSysArePseudo) {
  for (const char* path : {"/dev/zero", "/dev/dri/renderD128", "/memfd:doublemapper", "/SYSV00000000", "//anon",
                           "/proc/self/exe", "/sys/kernel/x"}) {
    EXPECT_TRUE(is_pseudo_path(path)) << path;
  }
}

TEST(PseudoPath, AbsoluteAndRelativeFilesAreNot) {
  for (const char* path : {"/usr/lib/libc.so.6", "/opt/My App/bin/server", "cppbench_server_main", "bin/server",
                           "./server", "../lib/libfoo.so", "Server-2:1", "lib/x:y.so"}) {
    EXPECT_FALSE(is_pseudo_path(path)) << path;
  }
}

}  // namespace
}  // namespace hprof
