// --proto read by the Go pprof: on the real dumps, `pprof -text` of our
// profile.proto shows the Total and, function by function, the flat and cum
// of our text report, in each sample type.  Go runs with -symbolize=none and
// PPROF_BINARY_PATH=/nonexistent (and one test lets it symbolize, to show
// that it keeps our names); nothing goes to the network.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "harness.h"
#include "jemalloc_recording.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;

struct GoReport {
  int64_t total = 0;                // "... of TOTAL total"
  std::map<std::string, Row> rows;  // by name, inline label included
  std::string text;
};

// A file of this test's own, removed when the test is done with it.
struct ProtoFile {
  explicit ProtoFile(std::string file) : path(std::move(file)) {}
  ProtoFile(const ProtoFile&) = delete;
  ~ProtoFile() { fs::remove(path); }
  operator const std::string&() const { return path; }
  std::string path;
};

// `hprof-text --proto ARGS` written to a file.
ProtoFile proto_of(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"--proto"};
  argv.insert(argv.end(), args.begin(), args.end());
  CommandResult r = hprof_text(argv);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, 2), "\x1f\x8b") << "not gzip data";
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  static int counter = 0;
  fs::path path = fs::path(scratch_dir()) / ("proto-" + std::string(test->name()) + "." + std::to_string(getpid()) +
                                             "." + std::to_string(counter++) + ".pb.gz");
  std::ofstream(path, std::ios::binary) << r.out;
  return ProtoFile{path.string()};
}

// `pprof -text` of a profile, every node and edge kept (an edge decides its
// node's inline label), values in bytes (or counts).
GoReport go_text(const std::vector<std::string>& options, const std::string& profile,
                 const std::string& symbolize = "-symbolize=none") {
  std::vector<std::string> argv{GO_PPROF, symbolize, "-text", "-nodecount=100000", "-nodefraction=0",
                                "-edgefraction=0", "-unit=B"};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.push_back(profile);
  CommandResult r = run_command(argv, {"PPROF_BINARY_PATH=/nonexistent"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  GoReport report;
  report.text = r.out;
  report.rows = parse_go_report(r.out);
  static const std::regex total(R"(of (-?[0-9]+)B? total)");
  std::smatch m;
  EXPECT_TRUE(std::regex_search(r.out, m, total)) << r.out;
  if (!m.empty()) report.total = std::stoll(m[1]);
  return report;
}

// The function a row stands for: Go labels a node " (inline)" or
// " (partial-inline)" from its edges; ours marks an inlined frame's row.
std::string function_of_row(const std::string& name) {
  for (const std::string label : {" (inline)", " (partial-inline)"}) {
    if (name.ends_with(label)) return name.substr(0, name.size() - label.size());
  }
  return name;
}

// Every function of ours is a Go node with the sum of our rows' flat; where
// we have one row for it, Go's node has its cum and its inline label.  (A
// function inlined in some places and called in others is two rows here and
// one node there, whose cum is not a sum: docs/compat.md row 5.)  Under a
// --base, `labels` is false: a row whose changes cancel leaves our report,
// but its edges stay in Go's graph and still label the node.  Returns how
// many functions had their cum compared.
int expect_same_functions(const TextReport& ours, const GoReport& go, bool labels = true) {
  struct Function {
    int64_t flat = 0;
    int rows = 0;
    std::string row_name;
    Row row;
  };
  std::map<std::string, Function> functions;
  for (const auto& [name, row] : ours.rows) {
    Function& f = functions[function_of_row(name)];
    f.flat += row.flat;
    ++f.rows;
    f.row_name = name;
    f.row = row;
  }
  int compared = 0;
  std::set<std::string> in_go;
  for (const auto& [name, go_row] : go.rows) {
    const std::string function = function_of_row(name);
    in_go.insert(function);
    auto it = functions.find(function);
    if (it == functions.end()) {
      ADD_FAILURE() << "Go shows " << name << ", our report has no row for it";
      continue;
    }
    EXPECT_EQ(go_row.flat, it->second.flat) << "flat of " << function;
    if (it->second.rows == 1) {
      EXPECT_EQ(go_row.cum, it->second.row.cum) << "cum of " << function;
      if (labels) {
        EXPECT_EQ(name, it->second.row_name) << "inline label";
      }
      ++compared;
    }
  }
  for (const auto& [function, f] : functions) {
    // Two rows that cancel (a --base) leave Go's node empty, and Go drops it.
    if (f.rows > 1 && f.flat == 0) continue;
    EXPECT_TRUE(in_go.count(function)) << "our row " << f.row_name << " is not in Go's report";
  }
  return compared;
}

// Our text report and Go's report of our --proto, in one sample type.
void expect_go_reads_our_report(const std::string& program, const std::string& dump, const std::string& sample_type,
                                int min_functions) {
  SCOPED_TRACE(sample_type);
  const TextReport ours = report_of({"--show_bytes", "--" + sample_type, program, dump});
  // The profile holds every sample type; Go picks one.
  const GoReport go = go_text({"-sample_index=" + sample_type}, proto_of({program, dump}));
  EXPECT_EQ(go.total, total_of(ours));
  EXPECT_GE(expect_same_functions(ours, go), min_functions) << go.text;
}

TEST(ProtoCpp, GoPprofShowsOurTotalAndFunctionsInEverySampleType) {
  for (const char* type : {"inuse_space", "inuse_objects", "alloc_space", "alloc_objects"}) {
    expect_go_reads_our_report(E2E_WORKLOAD, cpp_workload_dump(), type, 8);
  }
}

TEST(ProtoCpp, GoPprofKeepsOurNamesWhenAllowedToSymbolize) {
  // The binaries are on disk at the profile's paths, so Go would re-symbolize
  // (and re-demangle) any mapping we did not mark as symbolized.
  const ProtoFile profile = proto_of({E2E_WORKLOAD, cpp_workload_dump()});
  const GoReport with_symbolizer = go_text({}, profile, "-symbolize=local");
  EXPECT_EQ(with_symbolizer.text, go_text({}, profile).text);
  // Names Go's own demangling heuristics would cut.
  EXPECT_TRUE(with_symbolizer.rows.count("(anonymous namespace)::Anon::make")) << with_symbolizer.text;
}

TEST(ProtoCpp, TheMainExecutableAndItsBuildIdHeadGosReport) {
  const GoReport go = go_text({}, proto_of({cpp_workload_dump()}));
  EXPECT_EQ(go.text.substr(0, go.text.find("\nType:")),
            "File: " + fs::path(E2E_WORKLOAD).filename().string() + "\nBuild ID: " + build_id_of(E2E_WORKLOAD));
}

TEST(ProtoCpp, BaseFromAnotherRunCancelsInGosReportToo) {
  // Another recording of the same binaries: other addresses, equal stacks.
  const GoReport go = go_text({}, proto_of({"--base=" + cpp_workload_dump("b"), E2E_WORKLOAD, cpp_workload_dump()}));
  EXPECT_EQ(go.total, 0) << go.text;
  EXPECT_TRUE(go.rows.empty()) << go.text;
}

TEST(ProtoJemalloc, GoPprofReadsAJemallocDumpThroughOurProto) {
  // The Go pprof cannot read jemalloc's format itself.
  for (const char* type : {"inuse_space", "alloc_objects"}) {
    expect_go_reads_our_report(E2E_WORKLOAD, jemalloc_workload_dump(), type, 8);
  }
}

TEST(ProtoJvm, GoPprofShowsOurTotalAndFunctions) {
  for (const char* type : {"inuse_space", "alloc_space"}) {
    expect_go_reads_our_report(java_program(), jvm_dumps().back(), type, 50);
  }
}

TEST(ProtoJvm, FocusedProfileHoldsOnlyTheFocusedStacks) {
  const std::vector<std::string> args{"--focus=Deflater_init", java_program(), jvm_dumps().back()};
  std::vector<std::string> text_args{"--show_bytes"};
  text_args.insert(text_args.end(), args.begin(), args.end());
  const TextReport ours = report_of(text_args);
  const GoReport go = go_text({}, proto_of(args));
  // Go's total is what the kept stacks hold: all of them pass through the JNI entry.
  ASSERT_TRUE(ours.rows.count("Java_java_util_zip_Deflater_init"));
  EXPECT_EQ(go.total, ours.rows.at("Java_java_util_zip_Deflater_init").cum);
  EXPECT_LT(go.total, total_of(ours));
  EXPECT_GE(expect_same_functions(ours, go), 5) << go.text;
}

TEST(ProtoJvm, BaseHasOurRowsAndGosOwnBaseTotal) {
  const std::vector<std::string> dumps = jvm_dumps();
  ASSERT_GE(dumps.size(), 2u);
  const std::vector<std::string> args{"--base=" + dumps.front(), java_program(), dumps.back()};
  std::vector<std::string> text_args{"--show_bytes"};
  text_args.insert(text_args.end(), args.begin(), args.end());
  const GoReport go = go_text({}, proto_of(args));
  EXPECT_GE(expect_same_functions(report_of(text_args), go, /*labels=*/false), 20) << go.text;
  // Go's Total of a diff is the sum of |change| per stack (docs/compat.md
  // row 19): equal stacks must have been merged as its own -base merges them.
  const GoReport own = go_text({"-base=" + dumps.front(), java_program()}, dumps.back(), "-symbolize=local");
  EXPECT_EQ(go.total, own.total);
}

TEST(ProtoJvm, OutputSuffixFilesAreTheBytesOfSingleRuns) {
  const std::vector<std::string> dumps = jvm_dumps();
  const fs::path dir = fs::path(scratch_dir()) / ("proto-batch." + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::vector<std::string> args{"--proto", "--output-suffix=.pb.gz", java_program()};
  for (const std::string& dump : dumps) {
    args.push_back((dir / fs::path(dump).filename()).string());
    fs::copy_file(dump, args.back());
  }
  CommandResult batch = hprof_text(args);
  EXPECT_EQ(batch.exit_status, 0) << batch.err;
  EXPECT_EQ(batch.out, "");
  for (std::size_t i = 3; i < args.size(); ++i) {
    CommandResult single = hprof_text({"--proto", java_program(), args[i]});
    ASSERT_EQ(single.exit_status, 0) << single.err;
    EXPECT_TRUE(read_file(args[i] + ".pb.gz") == single.out) << args[i];
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace e2e
