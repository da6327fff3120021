// Records lost from a dump (docs/errors.md): a dump whose records do not add
// up to its header's totals is one warning with the figures, and a last
// record cut short is warned about and never counted, wherever the cut is.
#include <gtest/gtest.h>

#include <cstddef>
#include <string>

#include "cli_harness.h"
#include "parse/record_losses.h"

namespace hprof {
namespace {

using testing::Outcome;
using testing::run_with;

const std::string kWarning = "hprof-text: warning: ";

// Three records of 3000, 2000 and 1000 bytes in use, and 1000 more bytes
// allocated and freed on the first stack: what the header says.
constexpr const char* kWhole =
    "heap profile:    6:     6000 [     7:     7000] @ heapprofile\n"
    "   3:     3000 [     4:     4000] @ 0x1000\n"
    "   2:     2000 [     2:     2000] @ 0x2000\n"
    "   1:     1000 [     1:     1000] @ 0x3000\n"
    "\nMAPPED_LIBRARIES:\n";

class CliLosses : public testing::CliTest {
 protected:
  Outcome report(const std::string& name, const std::string& text) {
    return run_with({"--show_bytes", "--no-cache", write(name, text)});
  }
};

std::string without(std::string text, const std::string& line) {
  text.erase(text.find(line), line.size());
  return text;
}

TEST_F(CliLosses, RecordsThatAddUpToTheHeaderAreNoWarning) {
  const Outcome o = report("whole.heap", kWhole);
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.err, "");
}

TEST_F(CliLosses, ALineCutOutOfTheMiddleIsOneWarningWithTheShareLost) {
  const std::string path = write("damaged.heap", without(kWhole, "   2:     2000 [     2:     2000] @ 0x2000\n"));
  const Outcome o = run_with({"--show_bytes", "--no-cache", path});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.err, kWarning + path +
                       ": the records add up to less than the header's totals: in-use 4000 of 6000 bytes (33.3% "
                       "lost), allocated 5000 of 7000 bytes (28.6% lost); the report shows the records (lines are "
                       "missing from the dump: a damaged or edited copy?)\n");
}

TEST_F(CliLosses, RecordsAddingUpToMoreThanTheHeaderAreOneWarning) {
  const std::string path = write("more.heap", std::string(kWhole).insert(std::string(kWhole).find("\nMAPPED"),
                                                                       "   1:      600 [     1:      600] @ 0x4000\n"));
  const Outcome o = run_with({"--show_bytes", "--no-cache", path});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.err, kWarning + path +
                       ": the records add up to more than the header's totals: in-use 6600 of 6000 bytes (10.0% "
                       "more), allocated 7600 of 7000 bytes (8.6% more); the report shows the records (the header "
                       "does not count them all: records added by hand, or gperftools' HEAP_PROFILE_MMAP, whose mmap "
                       "records the header leaves out)\n");
}

TEST_F(CliLosses, OnlyAllocatedBytesLostIsSaidWithInUseAllThere) {
  // A freed-only record (0 in use) is gone: only the allocated figures lack it.
  const std::string text = std::string("heap profile:    1:     1000 [     3:     3000] @ heapprofile\n") +
                           "   1:     1000 [     1:     1000] @ 0x1000\n\nMAPPED_LIBRARIES:\n";
  const std::string path = write("freed.heap", text);
  const Outcome o = run_with({"--show_bytes", "--no-cache", path});
  EXPECT_NE(o.err.find(": the records add up to less than the header's totals: in-use 1000 of 1000 bytes (all "
                       "there), allocated 1000 of 3000 bytes (66.7% lost);"),
            std::string::npos)
      << o.err;
}

// As gperftools up to 2.15 writes a dump that filled its 1 MiB buffer: the
// header's totals count every bucket, the records stop short of 1 MiB.
std::string capped_dump(std::size_t size) {
  std::string text = "heap profile:   100:   999999 [   200: 99999999] @ heapprofile\n";
  const std::string maps = "\nMAPPED_LIBRARIES:\n";
  const std::string record = "     1:      100 [     1:      100] @ 0x00001000 0x00002000\n";
  while (text.size() + record.size() + maps.size() <= size) text += record;
  text.append(size - text.size() - maps.size(), '\n');
  return text + maps;
}

TEST_F(CliLosses, ADumpThatFilledGperftoolsBufferSaysItIsCappedThere) {
  const std::size_t size = parse_internal::kGperftoolsDumpBuffer - 100;
  const std::string path = write("capped.heap", capped_dump(size));
  const Outcome o = run_with({"--show_bytes", "--no-cache", path});
  EXPECT_EQ(o.status, 0);
  EXPECT_NE(o.err.find(fmt::format("the report shows the records (the dump is {} bytes, gperftools' limit: up to "
                                   "2.15 it writes at most 1 MiB per dump and leaves out the records with the least "
                                   "in-use bytes, those whose objects are all freed first, so allocated figures "
                                   "(--alloc_space) lack more than in-use ones)\n",
                                   size)),
            std::string::npos)
      << o.err;
}

TEST_F(CliLosses, ASmallerDumpShortOfItsTotalsIsNotSaidToBeCapped) {
  const std::string path = write("small.heap", capped_dump(parse_internal::kGperftoolsDumpBuffer / 2));
  const Outcome o = run_with({"--show_bytes", "--no-cache", path});
  EXPECT_NE(o.err.find("(lines are missing from the dump: a damaged or edited copy?)"), std::string::npos) << o.err;
}

TEST(GperftoolsBuffer, OnlyADumpWithinOneRecordOfOneMebibyteFilledIt) {
  EXPECT_TRUE(parse_internal::fills_gperftools_buffer((1u << 20) - 1));
  EXPECT_TRUE(parse_internal::fills_gperftools_buffer((1u << 20) - 1024));
  EXPECT_FALSE(parse_internal::fills_gperftools_buffer((1u << 20) - 1025));
  EXPECT_FALSE(parse_internal::fills_gperftools_buffer(1u << 20));  // gperftools 2.16 and later: no limit
}

// jemalloc: the "t*:" line before the first stack holds the totals.
constexpr const char* kJemalloc =
    "heap_v2/1\n"
    "  t*: 3: 3000 [0: 0]\n"
    "@ 0x1000\n"
    "  t*: 1: 1000 [0: 0]\n"
    "@ 0x2000\n"
    "  t*: 2: 2000 [0: 0]\n"
    "\nMAPPED_LIBRARIES:\n";

TEST_F(CliLosses, AJemallocDumpWhoseStacksAddUpToItsTotalsIsNoWarning) {
  EXPECT_EQ(report("whole.prof", kJemalloc).err, "");
}

TEST_F(CliLosses, AJemallocDumpMissingAStackIsOneWarning) {
  const std::string path = write("damaged.prof", without(kJemalloc, "@ 0x2000\n  t*: 2: 2000 [0: 0]\n"));
  const Outcome o = run_with({"--show_bytes", "--no-cache", path});
  EXPECT_EQ(o.err, kWarning + path +
                       ": the records add up to less than the header's totals: in-use 1000 of 3000 bytes (66.7% "
                       "lost), allocated 0 of 0 bytes (all there); the report shows the records (lines are missing "
                       "from the dump: a damaged or edited copy?)\n");
}

TEST_F(CliLosses, AJemallocDumpWithoutATotalsLineIsNotCompared) {
  EXPECT_EQ(report("nototals.prof", without(kJemalloc, "  t*: 3: 3000 [0: 0]\n")).err, "");
}

// A dump cut at every byte of its last record: the record is warned about and
// never counted, whether what is left reads as a record or not.
TEST_F(CliLosses, ADumpCutAnywhereInItsLastRecordSkipsItWithAWarning) {
  const std::string head = "heap profile:    3:     3000 [     3:     3000] @ heapprofile\n"
                           "   1:     1000 [     1:     1000] @ 0x00001000\n";
  const std::string last = "   2:     2000 [     2:     2000] @ 0x00002000 0x00003000\n";
  for (std::size_t cut = 1; cut < last.size(); ++cut) {
    if (last.substr(0, cut).find_first_not_of(' ') == std::string::npos) continue;  // only blanks: no record yet
    const std::string path = write("cut.heap", head + last.substr(0, cut));
    const Outcome o = run_with({"--show_bytes", "--no-cache", path});
    EXPECT_EQ(o.status, 0);
    EXPECT_NE(o.err.find(path + ":3: last record is incomplete (file cut short?); it was skipped\n"), std::string::npos)
        << "cut after " << cut << " bytes: " << o.err;
    EXPECT_NE(o.out.find("Total: 1000 B\n"), std::string::npos) << "cut after " << cut << " bytes: " << o.out;
  }
}

TEST_F(CliLosses, ADumpCutShortSaysTheRecordsAfterTheCutAreMissing) {
  const std::string whole = kWhole;
  const std::string path = write("cut.heap", whole.substr(0, whole.find("   2:")));
  const Outcome o = run_with({"--show_bytes", "--no-cache", path});
  EXPECT_EQ(o.status, 0);
  EXPECT_NE(o.err.find(kWarning + path +
                       ": the records add up to less than the header's totals: in-use 3000 of 6000 bytes (50.0% "
                       "lost), allocated 4000 of 7000 bytes (42.9% lost); the report shows the records (the dump was "
                       "cut short before its memory map: the records after the cut are missing)\n"),
            std::string::npos)
      << o.err;
}

TEST_F(CliLosses, AJemallocDumpCutAnywhereInItsLastValuesSkipsTheStack) {
  const std::string head = "heap_v2/1\n  t*: 3: 3000 [0: 0]\n@ 0x1000\n  t*: 1: 1000 [0: 0]\n@ 0x2000\n";
  const std::string last = "  t*: 2: 2000 [0: 0]\n";
  for (std::size_t cut = 3; cut < last.size(); ++cut) {
    const std::string path = write("cut.prof", head + last.substr(0, cut));
    const Outcome o = run_with({"--show_bytes", "--no-cache", path});
    EXPECT_NE(o.err.find("last record is incomplete (file cut short?); it was skipped\n"), std::string::npos)
        << "cut after " << cut << " bytes: " << o.err;
    EXPECT_NE(o.out.find("Total: 1000 B\n"), std::string::npos) << "cut after " << cut << " bytes: " << o.out;
  }
}

}  // namespace
}  // namespace hprof
