// Whole reports pinned: every output mode, in-process, over the profiles of
// golden_inputs.h, compared byte for byte with testdata/golden/.  A change to
// any report shows here as a diff of files.  Two things of this run alone are
// written as fixed text: the inputs' directory ("PREFIX") and the hash of a
// file's path in its symbol index's name ("PATHHASH").  A --proto report is
// pinned as protobuf's text form of what it decodes to.
//
// To write the files anew after a deliberate change (then read the diff):
//   HPROF_UPDATE_GOLDENS=1 build/tests/unit_tests --gtest_filter='Golden*'
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <google/protobuf/text_format.h>
#include <re2/re2.h>

#include "cli/run.h"
#include "golden_inputs.h"
#include "pprof_decoding.h"

namespace hprof::testing {
namespace {

namespace fs = std::filesystem;

struct GoldenCase {
  const char* name;  // also the file under testdata/golden/: NAME.out (stdout), NAME.err (stderr, when any)
  std::vector<std::string> args;
};

// Every mode on the C++ dumps; the kinds of dump (jemalloc, JVM with a perf
// map) in the modes where they differ.
const GoldenCase kCases[] = {
    {"cpp_functions", {"cpp-0003.heap"}},
    {"cpp_lines", {"--lines", "cpp-0003.heap"}},
    {"cpp_addresses", {"--addresses", "cpp-0003.heap"}},
    {"cpp_files", {"--files", "cpp-0003.heap"}},
    {"cpp_inuse_objects", {"--inuse_objects", "cpp-0003.heap"}},
    {"cpp_alloc_space_cum", {"--alloc_space", "--cum", "cpp-0003.heap"}},
    {"cpp_alloc_objects_lines", {"--alloc_objects", "--lines", "cpp-0003.heap"}},
    {"cpp_show_bytes", {"--show_bytes", "cpp-0003.heap"}},
    {"cpp_program", {"PREFIX/opt/golden/bin/golden-app", "cpp-0002.heap"}},
    {"cpp_sum", {"cpp-0001.heap", "cpp-0002.heap"}},
    {"cpp_focus", {"--focus=Deflater", "cpp-0003.heap"}},
    {"cpp_ignore_lines", {"--ignore=grow_table", "--lines", "cpp-0003.heap"}},
    {"cpp_base", {"--base=cpp-0001.heap", "cpp-0003.heap"}},
    {"cpp_base_addresses", {"--base=cpp-0001.heap", "--addresses", "cpp-0003.heap"}},
    {"cpp_base_drop_negative", {"--base=cpp-0001.heap", "--drop_negative", "--show_bytes", "cpp-0003.heap"}},
    {"cpp_verbose", {"--verbose", "cpp-0003.heap"}},
    {"cpp_collapsed", {"--collapsed", "cpp-0003.heap"}},
    {"cpp_collapsed_base", {"--collapsed", "--base=cpp-0001.heap", "cpp-0003.heap"}},
    {"cpp_flamegraph", {"--flamegraph", "cpp-0003.heap"}},
    {"cpp_flamegraph_base", {"--flamegraph", "--base=cpp-0001.heap", "cpp-0003.heap"}},
    {"cpp_proto", {"--proto", "cpp-0003.heap"}},
    {"cpp_proto_alloc_base", {"--proto", "--alloc_space", "--base=cpp-0001.heap", "cpp-0003.heap"}},
    {"cpp_trend", {"--trend", "cpp-0001.heap", "cpp-0002.heap", "cpp-0003.heap"}},
    {"cpp_trend_lines", {"--trend", "--lines", "--drop_negative", "cpp-0001.heap", "cpp-0002.heap", "cpp-0003.heap"}},
    {"cpp_trend_chart", {"--trend-chart", "cpp-0001.heap", "cpp-0002.heap", "cpp-0003.heap"}},
    {"jemalloc_functions", {"jemalloc.heap"}},
    {"jemalloc_addresses", {"--addresses", "jemalloc.heap"}},
    {"jemalloc_alloc_space", {"--alloc_space", "jemalloc.heap"}},
    {"jemalloc_collapsed", {"--collapsed", "jemalloc.heap"}},
    {"jemalloc_proto", {"--proto", "jemalloc.heap"}},
    {"jvm_functions", {"--perf-map=jvm.map", "jvm.heap"}},
    {"jvm_lines", {"--perf-map=jvm.map", "--lines", "jvm.heap"}},
    {"jvm_addresses", {"--perf-map=jvm.map", "--addresses", "jvm.heap"}},
    {"jvm_files", {"--perf-map=jvm.map", "--files", "jvm.heap"}},
    {"jvm_focus", {"--perf-map=jvm.map", "--focus=java\\.util\\.zip", "jvm.heap"}},
    {"jvm_without_map", {"jvm.heap"}},
    {"jvm_verbose", {"--verbose", "--perf-map=jvm.map", "jvm.heap"}},
    {"jvm_collapsed", {"--perf-map=jvm.map", "--collapsed", "jvm.heap"}},
    {"jvm_flamegraph", {"--perf-map=jvm.map", "--flamegraph", "jvm.heap"}},
    {"jvm_proto", {"--perf-map=jvm.map", "--proto", "jvm.heap"}},
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

bool updating() {
  const char* update = std::getenv("HPROF_UPDATE_GOLDENS");
  return update != nullptr && *update != '\0' && std::string(update) != "0";
}

class Golden : public ::testing::TestWithParam<GoldenCase> {
 protected:
  // The inputs, once for every case.
  static void SetUpTestSuite() {
    inputs_ = fs::temp_directory_path() / ("hprof-golden-" + std::to_string(getpid()));
    fs::create_directories(inputs_);
    write_golden_inputs(HPROF_GOLDEN_FIXTURE, inputs_);
  }
  static void TearDownTestSuite() { fs::remove_all(inputs_); }

  // The report as run() prints it, from the inputs' directory (so that
  // profiles are named as given), with the inputs' path written "PREFIX".
  struct Printed {
    int status;
    std::string out, err;
  };
  static Printed report(const GoldenCase& c, const fs::path& cache) {
    std::vector<std::string> args = {"hprof-text", "--lib_prefix=" + inputs_.string(), "--cache-dir=" + cache.string()};
    for (std::string arg : c.args) {
      replace_all(arg, "PREFIX", inputs_.string());
      args.push_back(arg);
    }
    std::vector<const char*> argv;
    for (const std::string& arg : args) argv.push_back(arg.c_str());
    const fs::path before = fs::current_path();
    fs::current_path(inputs_);
    std::ostringstream out, err;
    const int status = run(static_cast<int>(argv.size()), argv.data(), out, err, false);
    fs::current_path(before);
    Printed printed{status, out.str(), err.str()};
    if (status == 0 && std::find(args.begin(), args.end(), "--proto") != args.end()) {
      printed.out = proto_text(printed.out);
    }
    for (std::string* text : {&printed.out, &printed.err}) {
      replace_all(*text, inputs_.string(), "PREFIX");
      RE2::GlobalReplace(text, R"(([0-9a-f]{40})-[0-9a-f]{16}\.idx)", R"(\1-PATHHASH.idx)");
    }
    return printed;
  }

  // The profile.proto that `gz` holds, in protobuf's text form.
  static std::string proto_text(const std::string& gz) {
    std::string text;
    google::protobuf::TextFormat::PrintToString(decode_pprof(gz), &text);
    return text;
  }

  static fs::path inputs_;
};

fs::path Golden::inputs_;

TEST_P(Golden, ReportIsTheGoldenFile) {
  const GoldenCase& c = GetParam();
  const fs::path golden = fs::path(HPROF_TESTDATA) / "golden" / c.name;
  const fs::path out_file = golden.string() + ".out", err_file = golden.string() + ".err";
  const fs::path cache = inputs_ / (std::string("cache-") + c.name);
  const Printed cold = report(c, cache);
  ASSERT_EQ(cold.status, 0) << cold.err;
  if (updating()) {
    fs::create_directories(golden.parent_path());
    std::ofstream(out_file, std::ios::binary) << cold.out;
    if (cold.err.empty()) {
      fs::remove(err_file);
    } else {
      std::ofstream(err_file, std::ios::binary) << cold.err;
    }
    return;
  }
  ASSERT_TRUE(fs::exists(out_file)) << out_file << " is missing: write it with HPROF_UPDATE_GOLDENS=1";
  EXPECT_TRUE(cold.out == read_file(out_file)) << "stdout differs from " << out_file << ":\n" << cold.out;
  const std::string expected_err = fs::exists(err_file) ? read_file(err_file) : "";
  EXPECT_EQ(cold.err, expected_err) << "stderr differs from " << err_file;
  // Again, from the symbol index the first run wrote: the same report.
  const Printed warm = report(c, cache);
  EXPECT_EQ(warm.status, 0) << warm.err;
  EXPECT_TRUE(warm.out == cold.out) << "the report from the symbol index differs:\n" << warm.out;
}

// The text report's invariants, on a dump with no empty stack, in every
// granularity and sample type, in exact integers: the rows' flat add up to
// the Total, and 0 <= flat <= cum <= Total for each row.
struct Row {
  int64_t flat = 0, cum = 0;
};
struct TextReport {
  int64_t total = 0;
  std::vector<Row> rows;
};

TextReport parse_text_report(const std::string& text) {
  TextReport report;
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(std::sscanf(line.c_str(), "Total: %ld", &report.total), 1) << line;
  while (std::getline(lines, line)) {
    Row row;
    double flat_percent = 0, sum_percent = 0;
    EXPECT_EQ(std::sscanf(line.c_str(), "%ld %lf%% %lf%% %ld", &row.flat, &flat_percent, &sum_percent, &row.cum), 4)
        << line;
    report.rows.push_back(row);
  }
  return report;
}

TEST_F(Golden, RowsAddUpToTheTotalAndCumBoundsFlat) {
  for (const char* granularity : {"--functions", "--lines", "--addresses", "--files"}) {
    for (const char* type : {"--inuse_space", "--inuse_objects", "--alloc_space", "--alloc_objects"}) {
      const GoldenCase c{"invariants", {"--show_bytes", granularity, type, "cpp-0002.heap"}};
      const Printed printed = report(c, inputs_ / "cache-invariants");
      ASSERT_EQ(printed.status, 0) << printed.err;
      const TextReport text = parse_text_report(printed.out);
      int64_t flat_sum = 0;
      for (const Row& row : text.rows) {
        flat_sum += row.flat;
        EXPECT_LE(0, row.flat) << granularity << " " << type;
        EXPECT_LE(row.flat, row.cum) << granularity << " " << type;
        EXPECT_LE(row.cum, text.total) << granularity << " " << type;
      }
      EXPECT_EQ(flat_sum, text.total) << granularity << " " << type << "\n" << printed.out;
      EXPECT_GT(text.rows.size(), 3u) << printed.out;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Reports, Golden, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<GoldenCase>& param) { return std::string(param.param.name); });

}  // namespace
}  // namespace hprof::testing
