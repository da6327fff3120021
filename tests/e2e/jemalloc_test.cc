// Dumps written by jemalloc's own profiler ("heap_v2/N", which the Go pprof
// cannot read): the C++ workload with every allocation sampled, reported to
// the byte, compared with jeprof; and the JVM scenario as users record it.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "harness.h"
#include "jemalloc_recording.h"
#include "reference_runs.h"

namespace e2e {
namespace {

// jemalloc records usable sizes: the size classes of the workload's requests.
constexpr int64_t k100000 = 114688, k8000 = 8192, k4000 = 4096, k30000 = 32768, k50000 = 57344, k10000 = 10240;

// hprof-text's reports, in bytes (or objects).
TextReport workload_report(const std::vector<std::string>& options = {}) {
  return bytes_report(options, E2E_WORKLOAD, {jemalloc_workload_dump()});
}

TextReport jvm_report() { return bytes_report({}, java_program(), {jemalloc_jvm_dump()}); }

std::string jeprof_text(std::vector<std::string> options, const std::string& program, const std::string& dump) {
  options.insert(options.begin(), {JEPROF, "--text"});
  options.insert(options.end(), {program, dump});
  CommandResult r = run_reference(options);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  return r.out;
}

// jeprof's report of `dump`, in bytes (or objects).
TextReport jeprof_report(std::vector<std::string> options, const std::string& program, const std::string& dump) {
  options.push_back("--show_bytes");
  return parse_text_report(jeprof_text(options, program, dump));
}

// The names libjemalloc exports, as jeprof prints them (nm -D, demangled).
const std::set<std::string>& jemalloc_exports() {
  static const std::set<std::string> names = [] {
    CommandResult nm = run_command({"nm", "-DC", "--defined-only", JEMALLOC});
    std::set<std::string> out;
    std::istringstream in(nm.out);
    for (std::string line; std::getline(in, line);) {
      if (line.size() > 19) out.insert(line.substr(19));  // "ADDRESS T name"
    }
    return out;
  }();
  return names;
}

std::map<std::string, int> rows_per_function(const TextReport& report) {
  std::map<std::string, int> count;
  for (const auto& [name, row] : report.rows) ++count[function_of(name)];
  return count;
}

// ------------------------------------------------------------- the workload

TEST(JemallocReport, NamesAndExactBytesOfTheWorkload) {
  TextReport report = workload_report();
  EXPECT_EQ(report.rows["leak_malloc (inline)"].flat, 3000 * 4096);
  EXPECT_EQ(report.rows["(anonymous namespace)::Anon::make"].flat, 5 * k100000);
  EXPECT_EQ(report.rows["work::Pool::grab"].flat, 10 * k8000 + 4 * k4000);
  EXPECT_EQ(report.rows["work::lib_leak"].flat, 7 * k30000);
  EXPECT_EQ(report.rows["recurse"].flat, 8 * 262144);
  EXPECT_EQ(report.rows["recurse"].cum, 8 * 262144);
  EXPECT_EQ(report.rows["stripped_entry"].cum, 6 * k50000);
  EXPECT_EQ(report.rows.count("churn"), 0u);
}

TEST(JemallocReport, AllocSpaceCountsFreedMemory) {
  // prof_accum:true fills the bracketed pair; churn() frees all it takes.
  TextReport report = workload_report({"--alloc_space"});
  EXPECT_EQ(report.rows["churn"].flat, 100 * k10000);
  EXPECT_EQ(report.rows["leak_malloc (inline)"].flat, 3000 * 4096);
  TextReport objects = workload_report({"--alloc_objects"});
  EXPECT_EQ(objects.rows["churn"].flat, 100);
}

TEST(JemallocReport, NoRowIsInsideJemalloc) {
  // Its profiler and malloc internals lead every stack; stripped, they would
  // be libjemalloc.so.2+0x... rows or its exports (docs/compat.md).
  const std::set<std::string>& exports = jemalloc_exports();
  ASSERT_TRUE(exports.count("malloc_usable_size"));
  for (const auto& options : std::vector<std::vector<std::string>>{{}, {"--alloc_space"}}) {
    for (const auto& name : workload_report(options).names) {
      EXPECT_EQ(name.find("libjemalloc"), std::string::npos) << name;
      EXPECT_EQ(exports.count(function_of(name)), 0u) << name;
    }
  }
}

TEST(JemallocReport, TotalEqualsTheDumpsOwnTotalsLine) {
  // Every allocation sampled: nothing is scaled, and Total is jemalloc's "t*:".
  std::ifstream in(jemalloc_workload_dump());
  std::string first, totals;
  std::getline(in, first);
  std::getline(in, totals);
  ASSERT_EQ(first, "heap_v2/1");
  const std::string inuse_bytes = totals.substr(totals.find(':', totals.find(':') + 1) + 1);
  EXPECT_EQ(total_of(workload_report()), std::stoll(inuse_bytes));
}

// ------------------------------------------------------- against jeprof

TEST(DifferentialJemalloc, TotalLineEqualsJeprof) {
  for (auto options : std::vector<std::vector<std::string>>{
           {}, {"--show_bytes"}, {"--inuse_objects"}, {"--alloc_space"}, {"--alloc_objects"}}) {
    SCOPED_TRACE(options.empty() ? "default" : options[0]);
    std::vector<std::string> args = options;
    args.push_back(E2E_WORKLOAD);
    args.push_back(jemalloc_workload_dump());
    CommandResult ours = hprof_text(args);
    ASSERT_EQ(ours.exit_status, 0) << ours.err;
    EXPECT_EQ(first_line(ours.out), first_line(jeprof_text(options, E2E_WORKLOAD, jemalloc_workload_dump())));
  }
}

// jeprof's skip list for heap profiles (the Perl pprof's): a PC named by
// one of these is dropped with every frame beneath it, and its flat goes to
// the frame above.
bool jeprof_skips(std::string name) {
  static const std::set<std::string> kSkip = {
      "calloc", "cfree", "malloc", "newImpl", "void* newImpl", "free", "memalign", "posix_memalign",
      "aligned_alloc", "pvalloc", "valloc", "realloc", "mallocx", "rallocx", "xallocx", "dallocx",
      "sdallocx", "sdallocx_noflags", "operator new", "operator new[]", "__builtin_new", "__builtin_delete"};
  if (const auto start = name.rfind('<'); start != std::string::npos && name.ends_with(">")) name.erase(start);
  if (const auto args = name.find('('); args != std::string::npos) name.erase(args);
  return kSkip.count(name) != 0;
}

// The PCs (as "0x%016x", the leaf's pc - 1) jeprof skips as allocator
// frames: it tests the first of its names for a PC, which its --raw symbol
// section prints as "0xPC first--...--last".  jeprof then dies ("can only
// dump remote profiles"), having printed the whole section.
std::set<std::string> pcs_jeprof_names_as_allocators(const std::string& program, const std::string& dump) {
  CommandResult r = run_reference({JEPROF, "--raw", program, dump});
  EXPECT_NE(r.out.find("\n---\n"), std::string::npos) << r.err;
  std::set<std::string> pcs;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line) && line != "---";) {
    const auto space = line.find(' ');
    if (!line.starts_with("0x") || space == std::string::npos) continue;
    const std::string names = line.substr(space + 1);
    if (jeprof_skips(names.substr(0, names.find("--")))) pcs.insert(line.substr(0, space));
  }
  return pcs;
}

// Glibc's ld.so inlines `calloc` (a wrapper of __rtld_calloc) into
// _dl_check_map_versions and others.  We prune as Go does, inside the
// location, so the function that allocated keeps the flat; jeprof names the
// PC "calloc", drops it whole and gives its flat to the caller
// (docs/compat.md).  This is the
// flat our --addresses report puts on such PCs.
int64_t flat_jeprof_gives_to_callers(const std::vector<std::string>& options, const std::string& program,
                                     const std::string& dump) {
  const std::set<std::string> pcs = pcs_jeprof_names_as_allocators(program, dump);
  std::vector<std::string> args = options;
  args.push_back("--addresses");
  int64_t flat = 0;
  for (const auto& [name, row] : bytes_report(args, program, {dump}).rows) {
    if (pcs.count(name.substr(0, name.find(' ')))) flat += row.flat;
  }
  return flat;
}

struct JeprofComparison {
  std::set<std::string> compared;  // names both reports give one row
  int64_t moved_flat = 0;        // flat that is ours but not jeprof's
  int64_t gained_flat = 0;       // flat that is jeprof's but not ours (beyond truncation)
  int64_t jeprof_allocator_flat = 0;  // flat jeprof gives to libjemalloc's exports
};

// jeprof skips jemalloc's frames only up to one it names "malloc" (etc.);
// stripped code after that keeps the name of the export before it (the
// library's operator new slow path is "malloc_usable_size") and takes the
// flat of its caller there.  A PC it names "calloc" outside the library
// (`given_to_callers`, above) gives its whole stack's flat to the next frame
// and takes that much cum from its own functions.  Apart from that, every
// function both name alike has jeprof's values, less at most `slack` - 1
// bytes: jeprof sums the unsampled values as doubles, each record is
// truncated here.
JeprofComparison compare_with_jeprof(const TextReport& ours, const TextReport& theirs, int64_t slack,
                                     int64_t given_to_callers) {
  JeprofComparison c;
  const std::set<std::string>& exports = jemalloc_exports();
  for (const auto& [name, row] : theirs.rows) {
    if (exports.count(name)) c.jeprof_allocator_flat += row.flat;
  }
  auto our_rows = rows_per_function(ours), their_rows = rows_per_function(theirs);
  for (const auto& [name, their] : theirs.rows) {
    auto it = ours.rows.find(name);
    if (it == ours.rows.end() || our_rows[function_of(name)] != 1 || their_rows[function_of(name)] != 1) continue;
    c.compared.insert(name);
    const Row& our = it->second;
    EXPECT_GE(their.cum - our.cum, -given_to_callers) << "cum of " << name;
    EXPECT_LT(their.cum - our.cum, slack) << "cum of " << name;
    if (our.flat > their.flat) {
      c.moved_flat += our.flat - their.flat;
    } else if (their.flat - our.flat >= slack) {
      c.gained_flat += their.flat - our.flat;
    }
  }
  EXPECT_LE(c.moved_flat, c.jeprof_allocator_flat + given_to_callers);
  EXPECT_LE(c.gained_flat, given_to_callers);
  return c;
}

TEST(DifferentialJemalloc, FunctionsEqualJeprofWhereNamesAgree) {
  for (const char* measure : {"--inuse_space", "--alloc_space"}) {
    SCOPED_TRACE(measure);
    TextReport ours = workload_report({measure});
    TextReport theirs = jeprof_report({measure}, E2E_WORKLOAD, jemalloc_workload_dump());
    // The workload has no inlined allocator: every flat must agree to the byte.
    JeprofComparison c = compare_with_jeprof(ours, theirs, 1, 0);
    EXPECT_EQ(c.moved_flat, c.jeprof_allocator_flat);
    EXPECT_GE(c.compared.size(), 7u);
  }
}

TEST(DifferentialJemalloc, JvmTotalAndFunctionsEqualJeprofUpToTruncation) {
  // 2^19 sampling: jeprof sums the scaled values as doubles; each record is
  // truncated here (as the Go pprof does), so ours is at most one byte per
  // stack smaller, in the total as in each function.  Which allocations are
  // sampled changes with every recording, ld.so's now and then.
  TextReport ours = jvm_report();
  TextReport theirs = jeprof_report({}, java_program(), jemalloc_jvm_dump());
  const int stacks = jemalloc_stack_count(jemalloc_jvm_dump());
  EXPECT_GE(total_of(theirs), total_of(ours));
  EXPECT_LT(total_of(theirs) - total_of(ours), stacks);
  const int64_t given_to_callers = flat_jeprof_gives_to_callers({}, java_program(), jemalloc_jvm_dump());
  JeprofComparison c = compare_with_jeprof(ours, theirs, stacks, given_to_callers);
  // libjvm (with its debug file), libzip and libz are named alike by both;
  // how many functions a recording samples varies (36 to 87 rows seen).
  EXPECT_TRUE(c.compared.count("deflateInit2_"));
  EXPECT_TRUE(c.compared.count("Java_java_util_zip_Deflater_init"));
  EXPECT_TRUE(std::any_of(c.compared.begin(), c.compared.end(),
                          [](const std::string& name) { return name.find("::") != std::string::npos; }));
  EXPECT_GE(2 * c.compared.size(), theirs.rows.size());
}

// ------------------------------------------------------------------ the JVM

TEST(JemallocJvm, NamesTheZlibAllocationAndItsJniCaller) {
  // 600 Deflaters never end()ed hold most of the native memory, through JNI.
  TextReport report = jvm_report();
  const int64_t zlib_state = report.rows["deflateInit2_"].flat;
  EXPECT_GT(zlib_state, total_of(report) / 2);
  EXPECT_GE(report.rows["Java_java_util_zip_Deflater_init"].cum, zlib_state);
  for (const auto& name : report.names) EXPECT_EQ(name.find("libjemalloc"), std::string::npos) << name;
}

}  // namespace
}  // namespace e2e
