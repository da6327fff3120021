// --proto on the command line: one output format per run, binary only on
// stdout (never a terminal), one file per profile with --output-suffix.
// run() in-process; the bytes are read back with libprotobuf.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli_harness.h"
#include "pprof_decoding.h"

namespace hprof {
namespace {

using testing::decode_pprof;
using testing::frame_names;
using testing::kHeader;
using testing::Outcome;
using testing::read_file;
using testing::run_with;
using testing::str;
using testing::structure_errors;
using testing::two_objects_profile;
using CliProto = testing::CliTest;
namespace pb = perftools::profiles;

pb::Profile decoded(const Outcome& o) {
  EXPECT_EQ(o.status, 0) << o.err;
  pb::Profile p = decode_pprof(o.out);
  EXPECT_EQ(structure_errors(p), std::vector<std::string>{});
  return p;
}

// The names of each sample's frames, leaf first ("[libgone.so.1]").
std::vector<std::vector<std::string>> stacks(const pb::Profile& p) {
  std::vector<std::vector<std::string>> out;
  for (const pb::Sample& s : p.sample()) out.push_back(frame_names(p, s));
  return out;
}

TEST_F(CliProto, StdoutIsTheGzippedProfileAndNothingElse) {
  // Objects that are not on disk: a warning on stderr, placeholders as names.
  Outcome o = run_with({"--proto", write("a.heap", two_objects_profile("3000", "1000", 0x7f0000000000))});
  const pb::Profile p = decoded(o);
  EXPECT_EQ(stacks(p), (std::vector<std::vector<std::string>>{{"[libgone.so.1]"}, {"[libother.so]"}}));
  EXPECT_EQ(p.sample(0).value(3), 3000);
  EXPECT_EQ(p.sample(1).value(3), 1000);
  std::vector<std::string> files;
  for (const pb::Mapping& m : p.mapping()) files.push_back(str(p, m.filename()));
  EXPECT_EQ(files, (std::vector<std::string>{"/nonexistent/libgone.so.1", "/nonexistent/libother.so"}));
  for (const pb::Mapping& m : p.mapping()) {
    EXPECT_TRUE(m.has_functions());    // the placeholders are final: pprof must not look again
    EXPECT_FALSE(m.has_filenames());   // but no file was read
    EXPECT_EQ(str(p, m.build_id()), "");
  }
  EXPECT_NE(o.err.find("hprof-text: warning: "), std::string::npos);
}

TEST_F(CliProto, SampleIndexOptionIsTheDefaultSampleType) {
  const std::string path = write("a.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  const pb::Profile by_default = decoded(run_with({"--proto", path}));
  EXPECT_EQ(str(by_default, by_default.default_sample_type()), "inuse_space");
  const pb::Profile p = decoded(run_with({"--proto", "--alloc_objects", path}));
  EXPECT_EQ(str(p, p.default_sample_type()), "alloc_objects");
}

TEST_F(CliProto, FocusLeavesTheOtherStacksOut) {
  const pb::Profile p = decoded(
      run_with({"--proto", "--focus=libother", write("a.heap", two_objects_profile("3000", "1000", 0x7f0000000000))}));
  EXPECT_EQ(stacks(p), (std::vector<std::vector<std::string>>{{"[libother.so]"}}));
}

TEST_F(CliProto, BaseOfAnotherRunCancelsTheStacksThatDidNotChange) {
  std::string now = write("now.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  std::string before = write("before.heap", two_objects_profile("1000", "1000", 0x7f5500000000));
  const pb::Profile p = decoded(run_with({"--proto", "--base=" + before, now}));
  // libother.so's stack cancels; libgone.so.1's does not, and its objects'
  // sizes differ (3000 and 1000 bytes), so it stays two samples, as in the
  // Go pprof's own -base (its "bytes" label tells them apart).
  EXPECT_EQ(stacks(p), (std::vector<std::vector<std::string>>{{"[libgone.so.1]"}, {"[libgone.so.1]"}}));
  EXPECT_EQ(p.sample(0).value(3) + p.sample(1).value(3), 2000);
  EXPECT_EQ(p.location_size(), 2);  // the base's addresses relocated onto the profile's
}

TEST_F(CliProto, EmptyStacksAreOneWarningAsInTheTextReport) {
  std::string path = write("empty-stack.heap", std::string(kHeader) + "   1:  1000 [   1:  1000] @\n"
                                                                      "\nMAPPED_LIBRARIES:\n");
  Outcome o = run_with({"--proto", path});
  EXPECT_EQ(decoded(o).sample_size(), 1);
  EXPECT_NE(o.err.find("1 record(s) have an empty stack"), std::string::npos) << o.err;
}

TEST_F(CliProto, TwoOutputFormatsAreAUsageError) {
  Outcome o = run_with({"--text", "--proto", write("a.heap", kHeader)});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_NE(o.err.find("--text and --proto are both output modes"), std::string::npos) << o.err;
}

TEST_F(CliProto, TextLayoutOptionsAreUsageErrors) {
  const std::string path = write("a.heap", kHeader);
  for (const char* option : {"--functions", "--lines", "--addresses", "--files", "--cum", "--show_bytes",
                             "--drop_negative"}) {
    Outcome o = run_with({"--proto", option, path});
    EXPECT_EQ(o.status, 2) << option;
    EXPECT_EQ(o.out, "") << option;
    EXPECT_NE(o.err.find(std::string(option) + " shapes the text report"), std::string::npos) << o.err;
  }
}

TEST_F(CliProto, ATerminalStdoutIsRefused) {
  const std::string path = write("a.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  std::vector<const char*> argv{"hprof-text", "--proto", path.c_str()};
  std::ostringstream out, err;
  EXPECT_EQ(run(static_cast<int>(argv.size()), argv.data(), out, err, false, /*out_is_terminal=*/true), 2);
  EXPECT_EQ(out.str(), "");
  EXPECT_NE(err.str().find("stdout is a terminal"), std::string::npos) << err.str();
}

TEST_F(CliProto, OutputSuffixWritesOneProfilePerDumpEvenFromATerminal) {
  const std::string a = write("a.heap", two_objects_profile("3000", "1000", 0x7f0000000000));
  const std::string b = write("b.heap", two_objects_profile("5000", "1000", 0x7f0000000000));
  std::vector<const char*> argv{"hprof-text", "--proto", "--output-suffix=.pb.gz", a.c_str(), b.c_str()};
  std::ostringstream out, err;
  EXPECT_EQ(run(static_cast<int>(argv.size()), argv.data(), out, err, false, /*out_is_terminal=*/true), 0) << err.str();
  EXPECT_EQ(out.str(), "");
  EXPECT_EQ(decode_pprof(read_file(a + ".pb.gz")).sample(0).value(3), 3000);
  EXPECT_EQ(decode_pprof(read_file(b + ".pb.gz")).sample(0).value(3), 5000);
}

}  // namespace
}  // namespace hprof
