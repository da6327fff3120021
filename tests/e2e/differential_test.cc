// hprof-text against the reference tools on the same real dumps: the Total
// line equals the Perl pprof's, and per-function flat and cum equal the Go
// pprof's wherever the two name a function the same way.
#include <gtest/gtest.h>

#include "go_comparison.h"
#include "harness.h"
#include "reference_runs.h"

namespace e2e {
namespace {

// Every row both tools name must carry the same numbers.
GoComparison compare_with_go(const std::string& program, const std::string& dump) {
  CommandResult ours = hprof_text({"--show_bytes", program, dump});
  EXPECT_EQ(ours.exit_status, 0) << ours.err;
  CommandResult go = run_reference({GO_PPROF, "-text", "-nodefraction=0", "-unit=B", program, dump});
  EXPECT_EQ(go.exit_status, 0) << go.err;
  return compare_with_go_report(ours.out, go.out);
}

// The Perl pprof's Total leaves out the records with an empty stack; ours
// counts them, as the dump's header and the Go pprof do (compat.md).
void expect_same_total_as_perl(const std::string& program, const std::string& dump,
                               const std::vector<std::string>& sample_option, const std::string& unit) {
  std::vector<std::string> args{"--show_bytes"};
  args.insert(args.end(), sample_option.begin(), sample_option.end());
  args.push_back(program);
  args.push_back(dump);
  CommandResult ours = hprof_text(args);
  std::vector<std::string> perl{PERL_PPROF, "--text"};
  perl.insert(perl.end(), args.begin(), args.end());
  CommandResult theirs = run_reference(perl);
  ASSERT_EQ(ours.exit_status, 0) << ours.err;
  ASSERT_EQ(theirs.exit_status, 0) << theirs.err;
  const int64_t empty = empty_stack_value(dump, sample_option.empty() ? "" : sample_option[0]);
  ASSERT_GT(empty, 0) << "every recording of the harness has such a record";
  EXPECT_EQ(first_line(theirs.out), "Total: " + std::to_string(total_of(parse_text_report(ours.out)) - empty) + unit);
}

TEST(DifferentialCpp, TotalLineEqualsPerlPprofButForTheRecordsWithNoStack) {
  for (auto [options, unit] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{}, " B"}, {{"--inuse_objects"}, " objects"}, {{"--alloc_space"}, " B"}, {{"--alloc_objects"}, " objects"}}) {
    SCOPED_TRACE(options.empty() ? "--inuse_space" : options[0]);
    expect_same_total_as_perl(E2E_WORKLOAD, cpp_workload_dump(), options, unit);
  }
}

TEST(DifferentialCpp, EveryFunctionEqualsGoPprof) {
  GoComparison c = compare_with_go(E2E_WORKLOAD, cpp_workload_dump());
  EXPECT_GE(c.agreeing_names, 8);
  // Every function that holds memory is named as the Go pprof names it.
  EXPECT_TRUE(c.our_flat_rows_unknown_to_go.empty())
      << "first: " << (c.our_flat_rows_unknown_to_go.empty() ? "" : c.our_flat_rows_unknown_to_go[0]);
}

TEST(DifferentialCpp, PerlBlamesTheNearestExportWhereWeNameTheFunctionStart) {
  // libe2estripped.so keeps only .dynsym; internal_alloc follows the export
  // stripped_exported_first.  Perl credits it to that export (docs/compat.md).
  CommandResult perl = run_reference({PERL_PPROF, "--text", "--show_bytes", E2E_WORKLOAD, cpp_workload_dump()});
  CommandResult ours = hprof_text({"--show_bytes", E2E_WORKLOAD, cpp_workload_dump()});
  EXPECT_EQ(parse_text_report(perl.out).rows["stripped_exported_first"].flat, 6 * 50000);
  EXPECT_EQ(parse_text_report(ours.out).rows.count("stripped_exported_first"), 0u);
}

TEST(DifferentialJvm, TotalLineEqualsPerlPprofButForTheRecordsWithNoStack) {
  expect_same_total_as_perl(java_program(), jvm_dumps().back(), {}, " B");
}

TEST(DifferentialJvm, FunctionsEqualGoPprofWhereNamesAgree) {
  GoComparison c = compare_with_go(java_program(), jvm_dumps().back());
  // The JVM's C++ functions (libjvm with its debug file) and libc/zlib's
  // exported functions are named alike by both tools.
  EXPECT_GE(c.agreeing_names, 50);
}

TEST(DifferentialJvm, AFunctionWithAnInlinedCallocKeepsItsFlatAsInGoPprof) {
  // glibc's ld.so inlines its `calloc` wrapper into _dl_check_map_versions,
  // which allocates for every library the JVM dlopens (its name comes from
  // libc6-dbg).  Go and we prune inside the location and leave the flat
  // there; jeprof gives it to the caller (docs/compat.md).
  const std::string dump = jvm_dumps().back();
  TextReport ours = bytes_report({}, java_program(), {dump});
  CommandResult go = run_reference({GO_PPROF, "-text", "-nodefraction=0", "-unit=B", java_program(), dump});
  ASSERT_EQ(go.exit_status, 0) << go.err;
  auto go_rows = parse_go_report(go.out);
  EXPECT_GT(ours.rows["_dl_check_map_versions"].flat, 0);
  EXPECT_EQ(ours.rows["_dl_check_map_versions"].flat, go_rows["_dl_check_map_versions"].flat);
  EXPECT_EQ(ours.rows.count("calloc"), 0u);
  EXPECT_EQ(ours.rows.count("calloc (inline)"), 0u);
}

}  // namespace
}  // namespace e2e
