// A transcription of google/pprof profile/prune.go (Prune, simplifyFunc) with
// DropFrames = allocRxStr and KeepFrames = allocSkipRxStr from
// profile/legacy_profile.go, both compiled there as "^(" + list + ")$".
//
// The regular expressions are matched by hand (a table of whole names and of
// `prefix.*` entries, the optional groups expanded) rather than with
// std::regex, whose recursive matcher is slow and can exhaust the stack on
// very long names.  tests/unit/prune_test.cc checks this table against
// std::regex compiled from the verbatim Go strings.
#include "report/prune.h"

#include <algorithm>
#include <string>
#include <vector>

namespace hprof {
namespace {

// allocRxStr, alternatives without a ".*", optional groups expanded.
constexpr std::string_view kAllocExact[] = {
    // POSIX entry points.
    "calloc", "cfree", "malloc", "free", "memalign", "do_memalign", "posix_memalign",
    "__posix_memalign", "pvalloc", "valloc", "realloc",
    // TC malloc (tcmalloc::.* is a prefix below).
    "tc_calloc", "tc_cfree", "tc_malloc", "tc_free", "tc_memalign", "tc_posix_memalign",
    "tc_pvalloc", "tc_valloc", "tc_realloc", "tc_new", "tc_delete", "tc_newarray",
    "tc_deletearray", "tc_new_nothrow", "tc_newarray_nothrow",
    // Memory-allocation routines on OS X.
    "malloc_zone_malloc", "malloc_zone_calloc", "malloc_zone_valloc", "malloc_zone_realloc",
    "malloc_zone_memalign", "malloc_zone_free",
    // Other misc. memory allocation routines (BaseArena::.* is a prefix below).
    "do_malloc_no_errno", "::do_malloc_no_errno", "do_malloc_pages", "::do_malloc_pages",
    "do_malloc", "::do_malloc", "DoSampledAllocation", "MallocedMemBlock::MallocedMemBlock",
    "_M_allocate", "__builtin_delete", "__builtin_vec_delete", "__builtin_new",
    "__builtin_vec_new", "__gnu_cxx::new_allocator::allocate", "__libc_malloc",
    "__malloc_alloc_template::allocate", "allocate", "cpp_alloc", "operator new",
    "operator new[]", "simple_alloc::allocate",
};

// allocRxStr, the `prefix.*` alternatives: tcmalloc::.*, runtime\..*, BaseArena::.*
constexpr std::string_view kAllocPrefix[] = {"tcmalloc::", "runtime.", "BaseArena::"};

// RE2's and ECMAScript's '.' do not match a newline, so "prefix.*$" needs a
// newline-free rest.
bool matches_prefix_any(std::string_view name, std::string_view prefix) {
  return name.substr(0, prefix.size()) == prefix &&
         name.find('\n', prefix.size()) == std::string_view::npos;
}

// allocSkipRxStr: runtime\.panic | runtime\.reflectcall | runtime\.call[0-9]*
bool is_keep_frame(std::string_view name) {
  if (name == "runtime.panic" || name == "runtime.reflectcall") return true;
  constexpr std::string_view kCall = "runtime.call";
  if (name.substr(0, kCall.size()) != kCall) return false;
  return std::all_of(name.begin() + kCall.size(), name.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

// simplifyFunc: drop a leading '.', then cut at the first '(' that does not
// start "(anonymous namespace)" and is not inside "operator()".
std::string_view simplify_func(std::string_view name) {
  if (!name.empty() && name.front() == '.') name.remove_prefix(1);
  constexpr std::string_view kAnon = "(anonymous namespace)";
  constexpr std::string_view kCallOp = "operator()";
  std::size_t i = 0;
  while (i < name.size()) {
    std::string_view rest = name.substr(i);
    if (rest.substr(0, kAnon.size()) == kAnon) {
      i += kAnon.size();
    } else if (rest.substr(0, kCallOp.size()) == kCallOp) {
      i += kCallOp.size();
    } else if (name[i] == '(') {
      return name.substr(0, i);
    } else {
      ++i;
    }
  }
  return name;
}

bool matches_drop(std::string_view name) {
  for (std::string_view exact : kAllocExact) {
    if (name == exact) return true;
  }
  for (std::string_view prefix : kAllocPrefix) {
    if (matches_prefix_any(name, prefix)) return true;
  }
  return false;
}

}  // namespace

bool is_allocator_frame(std::string_view simplified_name) {
  const std::string_view name = simplify_func(simplified_name);
  return matches_drop(name) && !is_keep_frame(name);
}

void prune_allocator_frames(Profile& profile) {
  // Per location: is it in the kind's allocator library, and Go's mark.  A
  // kPruneBeneath location loses the frames inner to the match.
  enum : uint8_t { kNone = 0, kPruneBeneath = 1, kPrune = 2 };
  const auto is_allocator_library = profile.kind->is_allocator_library;
  std::vector<uint8_t> in_library(profile.locations.size(), 0);
  std::vector<uint8_t> mark(profile.locations.size(), kNone);

  for (std::size_t l = 0; l < profile.locations.size(); ++l) {
    if (is_allocator_library != nullptr) in_library[l] = is_allocator_library(profile.locations[l].origin.object);
    FrameChain& chain = profile.locations[l].frames;  // innermost first, like Go's Location.Line
    std::size_t i = chain.size();              // scan outermost -> innermost
    bool found = false;
    while (i > 0) {
      --i;
      const std::string& fn = chain[i].function;
      if (!fn.empty() && is_allocator_frame(fn)) {
        found = true;
        break;
      }
    }
    if (!found) continue;
    if (i == chain.size() - 1) {
      mark[l] = kPrune;  // the outermost frame matched: the whole location goes
    } else {
      mark[l] = kPruneBeneath;  // keep only the frames outer to the match
      chain.erase(chain.begin(), chain.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    }
  }

  for (ProfileSample& sample : profile.samples) {
    std::vector<uint32_t>& locs = sample.locations;  // leaf first
    // First the leaf-side run in the allocator library, unless the whole
    // stack is in it (then nothing else would name the memory).
    std::size_t library = 0;
    while (library < locs.size() && in_library[locs[library]] != 0) ++library;
    if (library == locs.size()) library = 0;
    // Then Go's Prune on the rest: from the root, the first marked location
    // below user code cuts: Location[i+1:] for prune, Location[i:] for pruneBeneath.
    std::size_t cut = library;
    bool found_user = false;
    for (std::size_t i = locs.size(); i > library;) {
      --i;
      const uint8_t m = mark[locs[i]];
      if (m == kNone) {
        found_user = true;
      } else if (found_user) {
        cut = (m == kPrune) ? i + 1 : i;
        break;
      }
    }
    locs.erase(locs.begin(), locs.begin() + static_cast<std::ptrdiff_t>(cut));
  }
}

}  // namespace hprof
