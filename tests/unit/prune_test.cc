#include "report/prune.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "fake_symbolizer.h"

namespace hprof {
namespace {

using ::hprof::testing::fn;

// Verbatim from google/pprof profile/legacy_profile.go (allocRxStr,
// allocSkipRxStr), joined with '|' as there.
const char* const kGoAllocRx =
    "calloc|cfree|malloc|free|memalign|do_memalign|(__)?posix_memalign|pvalloc|valloc|realloc|"
    "tcmalloc::.*|tc_calloc|tc_cfree|tc_malloc|tc_free|tc_memalign|tc_posix_memalign|tc_pvalloc|"
    "tc_valloc|tc_realloc|tc_new|tc_delete|tc_newarray|tc_deletearray|tc_new_nothrow|"
    "tc_newarray_nothrow|"
    "malloc_zone_malloc|malloc_zone_calloc|malloc_zone_valloc|malloc_zone_realloc|"
    "malloc_zone_memalign|malloc_zone_free|"
    "runtime\\..*|"
    "BaseArena::.*|(::)?do_malloc_no_errno|(::)?do_malloc_pages|(::)?do_malloc|DoSampledAllocation|"
    "MallocedMemBlock::MallocedMemBlock|_M_allocate|__builtin_(vec_)?delete|__builtin_(vec_)?new|"
    "__gnu_cxx::new_allocator::allocate|__libc_malloc|__malloc_alloc_template::allocate|allocate|"
    "cpp_alloc|operator new(\\[\\])?|simple_alloc::allocate";
const char* const kGoAllocSkipRx = "runtime\\.panic|runtime\\.reflectcall|runtime\\.call[0-9]*";

// What RemoveUninteresting computes: drop "^(list)$" and not keep "^(list)$".
bool go_reference_match(const std::string& name) {
  static const std::regex drop(std::string("^(") + kGoAllocRx + ")$");
  static const std::regex keep(std::string("^(") + kGoAllocSkipRx + ")$");
  return std::regex_match(name, drop) && !std::regex_match(name, keep);
}

// --- is_allocator_frame ---

TEST(Prune, MatchesPosixAndCxxAllocatorNames) {
  for (const char* name : {"malloc", "calloc", "realloc", "free", "posix_memalign", "__posix_memalign",
                           "operator new", "operator new[]", "__libc_malloc", "tc_newarray_nothrow",
                           "::do_malloc", "allocate", "_M_allocate"}) {
    EXPECT_TRUE(is_allocator_frame(name)) << name;
  }
}

TEST(Prune, MatchesPrefixEntries) {
  for (const char* name : {"tcmalloc::allocate_full_malloc_oom", "tcmalloc::", "runtime.mallocgc",
                           "BaseArena::AllocNewBlock"}) {
    EXPECT_TRUE(is_allocator_frame(name)) << name;
  }
}

TEST(Prune, IsAnchoredToTheWholeName) {
  for (const char* name : {"os::malloc", "std::__new_allocator::allocate", "malloc_trim", "my_malloc",
                           "xmalloc", "operator new[]x", "operator delete", "Malloc", "tcmalloc",
                           "ns::tcmalloc::f", "runtime", ""}) {
    EXPECT_FALSE(is_allocator_frame(name)) << name;
  }
}

TEST(Prune, KeepFramesAreNotAllocatorFrames) {
  for (const char* name : {"runtime.panic", "runtime.reflectcall", "runtime.call", "runtime.call32"}) {
    EXPECT_FALSE(is_allocator_frame(name)) << name;
  }
  EXPECT_TRUE(is_allocator_frame("runtime.call32x"));
  EXPECT_TRUE(is_allocator_frame("runtime.panicwrap"));
}

TEST(Prune, TrimsArgumentListAndLeadingDotLikeSimplifyFunc) {
  EXPECT_TRUE(is_allocator_frame("malloc(unsigned long)"));
  EXPECT_TRUE(is_allocator_frame("operator new(unsigned long, std::nothrow_t const&)"));
  EXPECT_TRUE(is_allocator_frame(".malloc"));
  EXPECT_FALSE(is_allocator_frame("..malloc"));
}

TEST(Prune, DoesNotCutAtReservedParenthesizedNames) {
  // simplifyFunc keeps "(anonymous namespace)" and "operator()", so these
  // this is not reduced to "allocate".
  EXPECT_FALSE(is_allocator_frame("allocate(anonymous namespace)"));
  EXPECT_TRUE(is_allocator_frame("allocate(int)"));
}

TEST(Prune, HandTableAgreesWithTheVerbatimGoRegex) {
  std::vector<std::string> corpus = {
      "calloc", "cfree", "malloc", "free", "memalign", "do_memalign", "posix_memalign",
      "__posix_memalign", "_posix_memalign", "pvalloc", "valloc", "realloc", "tcmalloc::x",
      "tcmalloc::", "tcmalloc:", "tc_calloc", "tc_cfree", "tc_malloc", "tc_free", "tc_memalign",
      "tc_posix_memalign", "tc_pvalloc", "tc_valloc", "tc_realloc", "tc_new", "tc_delete",
      "tc_newarray", "tc_deletearray", "tc_new_nothrow", "tc_newarray_nothrow", "tc_newarray_nothro",
      "malloc_zone_malloc", "malloc_zone_calloc", "malloc_zone_valloc", "malloc_zone_realloc",
      "malloc_zone_memalign", "malloc_zone_free", "malloc_zone_", "runtime.x", "runtime.", "runtimeX",
      "runtime.panic", "runtime.reflectcall", "runtime.call", "runtime.call0", "runtime.call12345",
      "runtime.callx", "BaseArena::", "BaseArena::Alloc", "BaseArena", "do_malloc_no_errno",
      "::do_malloc_no_errno", "do_malloc_pages", "::do_malloc_pages", "do_malloc", "::do_malloc",
      ":do_malloc", "DoSampledAllocation", "MallocedMemBlock::MallocedMemBlock", "MallocedMemBlock",
      "_M_allocate", "__builtin_delete", "__builtin_vec_delete", "__builtin_new",
      "__builtin_vec_new", "__builtin_vec_", "__gnu_cxx::new_allocator::allocate",
      "std::__new_allocator::allocate", "__libc_malloc", "__malloc_alloc_template::allocate",
      "allocate", "cpp_alloc", "operator new", "operator new[]", "operator new[", "operator new[][]",
      "simple_alloc::allocate", "main", "os::malloc", "", "malloc ", " malloc", "mallocc",
      "tcmalloc::a\nb", "runtime.a\n",
  };
  for (const std::string& name : corpus) {
    EXPECT_EQ(is_allocator_frame(name), go_reference_match(name)) << "name: " << name;
  }
}

// --- prune_allocator_frames ---

// A profile whose locations are given explicitly (so sharing is visible).
struct P {
  Profile profile;
  uint32_t loc(FrameChain chain) {
    profile.locations.push_back(ProfileLocation{std::move(chain), 0x1000 + profile.locations.size(), {}});
    return static_cast<uint32_t>(profile.locations.size() - 1);
  }
  void sample(std::vector<uint32_t> leaf_first) {
    ProfileSample s;
    s.values = heap_values(HeapValues{0, 1, 0, 0});
    s.locations = std::move(leaf_first);
    profile.samples.push_back(std::move(s));
  }
};

TEST(Prune, RemovesAllocatorLocationsAtTheLeaf) {
  P p;
  uint32_t tc = p.loc({fn("tc_malloc")}), mal = p.loc({fn("malloc")}), leak = p.loc({fn("leak")}),
           main = p.loc({fn("main")});
  p.sample({tc, mal, leak, main});
  prune_allocator_frames(p.profile);
  EXPECT_EQ(p.profile.samples[0].locations, (std::vector<uint32_t>{leak, main}));
}

TEST(Prune, LeavesStacksWithoutAllocatorFramesAlone) {
  P p;
  uint32_t leak = p.loc({fn("leak")}), main = p.loc({fn("main")});
  p.sample({leak, main});
  prune_allocator_frames(p.profile);
  EXPECT_EQ(p.profile.samples[0].locations, (std::vector<uint32_t>{leak, main}));
}

TEST(Prune, CutsBeneathTheFirstMatchFromTheRoot) {
  // Go scans root -> leaf and cuts at the first match after a user frame,
  // dropping everything beneath it, user frames included.
  P p;
  uint32_t leak = p.loc({fn("leak")}), mal = p.loc({fn("malloc")}), wrap = p.loc({fn("wrap")}),
           main = p.loc({fn("main")});
  p.sample({leak, mal, wrap, main});
  prune_allocator_frames(p.profile);
  EXPECT_EQ(p.profile.samples[0].locations, (std::vector<uint32_t>{wrap, main}));
}

TEST(Prune, KeepsAllocatorFramesAtTheRootBeforeAnyUserFrame) {
  P p;
  uint32_t leak = p.loc({fn("leak")}), op = p.loc({fn("operator new")});
  p.sample({leak, op});
  prune_allocator_frames(p.profile);
  EXPECT_EQ(p.profile.samples[0].locations, (std::vector<uint32_t>{leak, op}));
}

TEST(Prune, NeverPrunesAnAllAllocatorStackToEmpty) {
  P p;
  uint32_t a = p.loc({fn("malloc")}), b = p.loc({fn("tc_malloc")});
  p.sample({a, b});
  prune_allocator_frames(p.profile);
  EXPECT_EQ(p.profile.samples[0].locations, (std::vector<uint32_t>{a, b}));
}

TEST(Prune, RootAllocatorFramesThenUserThenAllocatorLeaf) {
  // The Go runtime shape: runtime.main at the root is skipped (no user frame
  // yet), then main.f is the user frame, then runtime.newobject cuts.
  P p;
  uint32_t gc = p.loc({fn("runtime.mallocgc")}), no = p.loc({fn("runtime.newobject")}),
           f = p.loc({fn("main.f")}), rm = p.loc({fn("runtime.main")});
  p.sample({gc, no, f, rm});
  prune_allocator_frames(p.profile);
  EXPECT_EQ(p.profile.samples[0].locations, (std::vector<uint32_t>{f, rm}));
}

TEST(Prune, KeepFramesCountAsUserFrames) {
  P p;
  uint32_t gc = p.loc({fn("runtime.mallocgc")}), call = p.loc({fn("runtime.call32")}),
           f = p.loc({fn("main.f")}), rm = p.loc({fn("runtime.main")});
  p.sample({gc, call, f, rm});
  prune_allocator_frames(p.profile);
  EXPECT_EQ(p.profile.samples[0].locations, (std::vector<uint32_t>{call, f, rm}));
}

TEST(Prune, InlinedAllocatorInsideUserFunctionKeepsOnlyOuterFrames) {
  // Chains are innermost first: operator new inlined into make_buffer.
  P p;
  uint32_t mb = p.loc({fn("operator new", true), fn("make_buffer")}), main = p.loc({fn("main")});
  p.sample({mb, main});
  prune_allocator_frames(p.profile);
  EXPECT_EQ(p.profile.samples[0].locations, (std::vector<uint32_t>{mb, main}));
  EXPECT_EQ(p.profile.locations[mb].frames, (FrameChain{fn("make_buffer")}));
}

TEST(Prune, OutermostMatchingFrameOfALocationWins) {
  // Scanning outermost -> innermost, malloc (index 1) matches first, so only
  // the frames outer to it stay, although leak_inner is a user frame.
  P p;
  uint32_t l = p.loc({fn("leak_inner", true), fn("malloc", true), fn("b", true), fn("c")});
  uint32_t main = p.loc({fn("main")});
  p.sample({l, main});
  prune_allocator_frames(p.profile);
  EXPECT_EQ(p.profile.locations[l].frames, (FrameChain{fn("b", true), fn("c")}));
  EXPECT_EQ(p.profile.samples[0].locations, (std::vector<uint32_t>{l, main}));
}

TEST(Prune, LocationWhoseOutermostFrameMatchesIsDroppedWhole) {
  P p;
  uint32_t l = p.loc({fn("user_inline", true), fn("malloc")});
  uint32_t main = p.loc({fn("main")});
  p.sample({l, main});
  prune_allocator_frames(p.profile);
  EXPECT_EQ(p.profile.samples[0].locations, (std::vector<uint32_t>{main}));
  // Go leaves the chain of a fully pruned location untouched.
  EXPECT_EQ(p.profile.locations[l].frames, (FrameChain{fn("user_inline", true), fn("malloc")}));
}

TEST(Prune, PruneBeneathLocationIsTrimmedEvenWhereNotCut) {
  // The location's chain is edited in place once, so a sample that keeps it
  // before any user frame also sees the trimmed chain (as in Go).
  P p;
  uint32_t mb = p.loc({fn("malloc", true), fn("wrap")});
  uint32_t main = p.loc({fn("main")});
  p.sample({mb});
  p.sample({mb, main});
  prune_allocator_frames(p.profile);
  EXPECT_EQ(p.profile.locations[mb].frames, (FrameChain{fn("wrap")}));
  EXPECT_EQ(p.profile.samples[0].locations, (std::vector<uint32_t>{mb}));
  EXPECT_EQ(p.profile.samples[1].locations, (std::vector<uint32_t>{mb, main}));
}

TEST(Prune, SharedLocationIsPrunedInEverySample) {
  P p;
  uint32_t mal = p.loc({fn("malloc")}), a = p.loc({fn("a")}), b = p.loc({fn("b")});
  p.sample({mal, a});
  p.sample({mal, b});
  prune_allocator_frames(p.profile);
  EXPECT_EQ(p.profile.samples[0].locations, (std::vector<uint32_t>{a}));
  EXPECT_EQ(p.profile.samples[1].locations, (std::vector<uint32_t>{b}));
}

TEST(Prune, FramesWithEmptyNamesNeverMatch) {
  P p;
  uint32_t l = p.loc({fn(""), fn("leak")});
  uint32_t main = p.loc({fn("main")});
  p.sample({l, main});
  prune_allocator_frames(p.profile);
  EXPECT_EQ(p.profile.locations[l].frames, (FrameChain{fn(""), fn("leak")}));
}

TEST(Prune, EmptyStacksStayEmpty) {
  P p;
  p.loc({fn("malloc")});
  p.sample({});
  prune_allocator_frames(p.profile);
  EXPECT_TRUE(p.profile.samples[0].locations.empty());
}

}  // namespace
}  // namespace hprof
