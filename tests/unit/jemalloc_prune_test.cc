// The allocator-library rule of prune_allocator_frames: a jemalloc dump's
// stacks start inside libjemalloc (prof_backtrace, malloc's slow path, its
// operator new), which Debian's stripped library cannot name; those leaf-side
// frames go by the object they are in, whatever they are called.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fake_symbolizer.h"
#include "report/prune.h"

namespace hprof {
namespace {

using ::hprof::testing::fn;

constexpr const char* kJemalloc = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";

constexpr const char* kProgram = "/usr/bin/prog";

struct Location {
  std::string function;
  std::string object;
};

// A jemalloc dump (or a dump of `kind`) of `locations` (numbered in order)
// and of one sample per stack (location numbers, leaf first), pruned.
Profile pruned(const std::vector<Location>& locations, std::vector<std::vector<uint32_t>> stacks,
               const ProfileKind& kind = jemalloc_heap_kind()) {
  Profile profile;
  profile.kind = &kind;
  for (const Location& l : locations) {
    const uint64_t address = 0x1000 + profile.locations.size();
    profile.locations.push_back(ProfileLocation{{fn(l.function)}, address, LocationOrigin{l.object, address}});
  }
  for (auto& stack : stacks) profile.samples.push_back(ProfileSample{heap_values(HeapValues{1, 1, 1, 1}), std::move(stack)});
  prune_allocator_frames(profile);
  return profile;
}

using Stack = std::vector<uint32_t>;

TEST(JemallocPrune, LibraryIsRecognisedByItsFileName) {
  EXPECT_TRUE(is_jemalloc_library(kJemalloc));
  EXPECT_TRUE(is_jemalloc_library("libjemalloc.so"));
  EXPECT_TRUE(is_jemalloc_library("/opt/app/lib/libjemalloc.so.2.5"));
  EXPECT_FALSE(is_jemalloc_library("/usr/lib/x86_64-linux-gnu/libtcmalloc.so.4"));
  EXPECT_FALSE(is_jemalloc_library("/srv/libjemalloc.so.2/bin/app"));  // a directory, not the object
  EXPECT_FALSE(is_jemalloc_library("/usr/bin/libjemalloc-user"));
  EXPECT_FALSE(is_jemalloc_library(""));
}

TEST(JemallocPrune, LeafSideFramesInTheLibraryGoWhateverTheirNames) {
  // As Debian's stripped libjemalloc.so.2 names them: by start offset, or by
  // the nearest export, which allocRxStr does not list.
  const Profile p = pruned({{"libjemalloc.so.2+0xa2600", kJemalloc},
                                    {"libjemalloc.so.2+0x95ed0", kJemalloc},
                                    {"malloc_usable_size", kJemalloc},
                                    {"work::Pool::grab", "/usr/lib/libwork.so"},
                                    {"main", kProgram}},
                                   {{0, 1, 2, 3, 4}});
  EXPECT_EQ(p.samples[0].locations, (Stack{3, 4}));
}

TEST(JemallocPrune, GoListStillAppliesAfterTheLibrary) {
  // jemalloc without its own operator new: libstdc++'s calls malloc.
  const Profile p = pruned({{"libjemalloc.so.2+0xa2600", kJemalloc},
                                    {"operator new", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6"},
                                    {"user", kProgram}},
                                   {{0, 1, 2}});
  EXPECT_EQ(p.samples[0].locations, (Stack{2}));
}

TEST(JemallocPrune, StackEntirelyInTheLibraryIsKept) {
  // jemalloc's own allocations (e.g. at thread start): nothing else names them.
  const Profile p =
      pruned({{"libjemalloc.so.2+0xa2600", kJemalloc}, {"libjemalloc.so.2+0x21e80", kJemalloc}}, {{0, 1}});
  EXPECT_EQ(p.samples[0].locations, (Stack{0, 1}));
}

TEST(JemallocPrune, LibraryFramesAboveUserCodeStay) {
  // Only the leaf side is the allocator's: a hook that jemalloc calls (e.g.
  // extent hooks) allocating keeps the jemalloc frames that called it.
  const Profile p = pruned({{"libjemalloc.so.2+0xa2600", kJemalloc},
                                    {"my_extent_alloc", kProgram},
                                    {"libjemalloc.so.2+0x50000", kJemalloc},
                                    {"user", kProgram}},
                                   {{0, 1, 2, 3}});
  EXPECT_EQ(p.samples[0].locations, (Stack{1, 2, 3}));
}

TEST(JemallocPrune, SharedLocationsArePrunedPerSample) {
  const Profile p =
      pruned({{"libjemalloc.so.2+0xa2600", kJemalloc}, {"a", kProgram}, {"b", kProgram}}, {{0, 1}, {0, 2, 1}, {0}});
  EXPECT_EQ(p.samples[0].locations, (Stack{1}));
  EXPECT_EQ(p.samples[1].locations, (Stack{2, 1}));
  EXPECT_EQ(p.samples[2].locations, (Stack{0}));
}

TEST(JemallocPrune, OnlyJemallocDumpsArePrunedByLibrary) {
  // A gperftools dump of a program that also loads libjemalloc (e.g. a plugin
  // linked against it): tcmalloc recorded the stack, and the frames in
  // libjemalloc are the program's own calls, named by nothing in allocRxStr.
  const Profile p = pruned({{"libjemalloc.so.2+0xa2600", kJemalloc}, {"user", kProgram}}, {{0, 1}},
                                   gperftools_heap_kind());
  EXPECT_EQ(p.samples[0].locations, (Stack{0, 1}));
}

TEST(JemallocPrune, TheGoListCutsOnceAfterTheLibrary) {
  // Library frames, then malloc (Go's prune) below user code: one cut, at user.
  const Profile p = pruned({{"libjemalloc.so.2+0xa2600", kJemalloc},
                                    {"malloc", "/usr/lib/x86_64-linux-gnu/libc.so.6"},
                                    {"operator new", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6"},
                                    {"user", kProgram},
                                    {"main", kProgram}},
                                   {{0, 1, 2, 3, 4}, {1, 3}});
  EXPECT_EQ(p.samples[0].locations, (Stack{3, 4}));
  EXPECT_EQ(p.samples[1].locations, (Stack{3}));
}

}  // namespace
}  // namespace hprof
