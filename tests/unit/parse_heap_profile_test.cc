// parse_heap_profile / read_heap_profile: gperftools .heap text files, as the
// Go pprof's legacy parser reads them (profile/legacy_profile.go, parseHeap).
// Also jemalloc's own dumps (jeprof's ReadThreadedHeapProfile), at the end.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"
#include "parse/parse_heap_profile.h"

namespace hprof {
namespace {

constexpr const char* kSource = "t.heap";
constexpr const char* kExactHeader = "heap profile: 1: 2 [ 3: 4] @ heapprofile\n";
constexpr const char* kSampledHeader = "heap profile: 1: 100 [ 1: 100] @ heap_v2/524288\n";

struct Parsed {
  HeapProfile profile;
  std::string warnings;
};

Parsed parse(const std::string& text) {
  std::istringstream in(text);
  std::ostringstream sink;
  Diagnostics diags(sink);
  HeapProfile profile = parse_heap_profile(in, kSource, diags);
  return {std::move(profile), sink.str()};
}

// The InputError that parsing `text` throws (a test failure if none).
InputError parse_error(const std::string& text) {
  try {
    parse(text);
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "no InputError for:\n" << text;
  return InputError("", 0, "");
}

InputError read_error(const std::string& path) {
  std::ostringstream sink;
  Diagnostics diags(sink);
  try {
    read_heap_profile(path, diags);
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "no InputError for " << path;
  return InputError("", 0, "");
}

// ---------------------------------------------------------------- header

TEST(ParseHeader, HeapprofileIsExactCounts) {
  const HeapHeader h = parse(kExactHeader).profile.header;
  EXPECT_EQ(h.tag, "heapprofile");
  EXPECT_EQ(h.sampling, Sampling::kNone);
  EXPECT_EQ(h.period, 1u);
}

TEST(ParseHeader, HeapV2IsPoissonSampledWithItsPeriod) {
  const HeapHeader h = parse("heap profile: 1: 2 [3: 4] @ heap_v2/524288\n").profile.header;
  EXPECT_EQ(h.tag, "heap_v2");
  EXPECT_EQ(h.sampling, Sampling::kPoisson);
  EXPECT_EQ(h.period, 524288u);
}

TEST(ParseHeader, HeapzV2IsPoissonSampledWithItsPeriod) {
  const HeapHeader h = parse("heap profile: 1: 2 [3: 4] @ heapz_v2/1000\n").profile.header;
  EXPECT_EQ(h.tag, "heapz_v2");
  EXPECT_EQ(h.sampling, Sampling::kPoisson);
  EXPECT_EQ(h.period, 1000u);
}

TEST(ParseHeader, OldHeapTagHalvesThePeriod) {
  const HeapHeader h = parse("heap profile: 1: 2 [3: 4] @ heap/1048576\n").profile.header;
  EXPECT_EQ(h.tag, "heap");
  EXPECT_EQ(h.sampling, Sampling::kPoisson);
  EXPECT_EQ(h.period, 524288u);
}

TEST(ParseHeader, GrowthIsExactCounts) {
  const HeapHeader h = parse("heap profile: 1: 2 [3: 4] @ growth\n").profile.header;
  EXPECT_EQ(h.tag, "growth");
  EXPECT_EQ(h.sampling, Sampling::kNone);
}

TEST(ParseHeader, GrowthzIsExactCounts) {
  const HeapHeader h = parse("heap profile: 1: 2 [3: 4] @ growthz\n").profile.header;
  EXPECT_EQ(h.tag, "growthz");
  EXPECT_EQ(h.sampling, Sampling::kNone);
}

TEST(ParseHeader, TotalsAreKeptRaw) {
  const HeapHeader h = parse("heap profile:   10:  2000 [  30:  4000] @ heap_v2/524288\n").profile.header;
  EXPECT_EQ(h.totals, (HeapValues{10, 2000, 30, 4000}));
}

TEST(ParseHeader, UnsupportedTypeIsNamed) {
  const InputError e = parse_error("heap profile: 1: 2 [3: 4] @ heap_v3/524288\n");
  EXPECT_EQ(e.file(), kSource);
  EXPECT_EQ(e.line(), 1u);
  EXPECT_EQ(e.reason(), "unsupported heap profile type 'heap_v3'");
}

TEST(ParseHeader, HeapzWithoutV2IsUnsupported) {
  EXPECT_EQ(parse_error("heap profile: 1: 2 [3: 4] @ heapz\n").reason(), "unsupported heap profile type 'heapz'");
}

TEST(ParseHeader, MalformedHeaderIsAnErrorOnItsLine) {
  const InputError e = parse_error("\nheap profile: 1: 2 @ heap_v2/524288\n");
  EXPECT_EQ(e.line(), 2u);
  EXPECT_NE(e.reason().find("malformed header"), std::string::npos) << e.reason();
}

TEST(ParseHeader, OverflowingTotalIsOutOfRange) {
  const InputError e = parse_error("heap profile: 99999999999999999999: 2 [3: 4] @ heapprofile\n");
  EXPECT_EQ(e.line(), 1u);
  EXPECT_NE(e.reason().find("number out of range"), std::string::npos) << e.reason();
}

// ---------------------------------------------------------------- before the header

TEST(ParsePrelude, WarnCommandBecomesALocatedWarning) {
  const Parsed p = parse(std::string("%warn binary was rebuilt\n") + kExactHeader);
  EXPECT_NE(p.warnings.find("t.heap:1: binary was rebuilt"), std::string::npos) << p.warnings;
}

TEST(ParsePrelude, UnknownCommandIsIgnoredWithAWarning) {
  const Parsed p = parse(std::string("%frobnicate now\n") + kExactHeader);
  EXPECT_NE(p.warnings.find("t.heap:1: ignoring unknown profile command '%frobnicate'"), std::string::npos)
      << p.warnings;
  EXPECT_EQ(p.profile.header.tag, "heapprofile");
}

TEST(ParsePrelude, BlankLinesBeforeHeaderAreSkipped) {
  EXPECT_EQ(parse(std::string("\n   \n") + kExactHeader).profile.header.tag, "heapprofile");
}

TEST(ParsePrelude, CrlfLineEndingsAreAccepted) {
  const Parsed p = parse(
      "%warn crlf\r\n"
      "heap profile: 1: 2 [3: 4] @ heap_v2/524288\r\n"
      "1: 2 [3: 4] @ 0x10 0x20\r\n"
      "\r\n"
      "MAPPED_LIBRARIES:\r\n"
      "400000-452000 r-xp 00000000 08:02 17 /bin/x\r\n");
  EXPECT_NE(p.warnings.find("t.heap:1: crlf\n"), std::string::npos) << p.warnings;
  EXPECT_EQ(p.profile.header.period, 524288u);
  ASSERT_EQ(p.profile.samples.size(), 1u);
  EXPECT_EQ(p.profile.samples[0].stack, (std::vector<uint64_t>{0x10, 0x20}));
  ASSERT_EQ(p.profile.mappings.size(), 1u);
  EXPECT_EQ(p.profile.mappings[0].path, "/bin/x");
}

// ---------------------------------------------------------------- records

TEST(ParseRecord, ValuesAndStackInFileOrder) {
  const HeapProfile p = parse(std::string(kExactHeader) +
                              "     2:      200 [     5:      500] @ 0x4005d1 0x7f00aa 0x400123\n"
                              "     1:       10 [     1:       10] @ 0x10\n")
                            .profile;
  ASSERT_EQ(p.samples.size(), 2u);
  EXPECT_EQ(p.samples[0].values, (HeapValues{2, 200, 5, 500}));
  EXPECT_EQ(p.samples[0].stack, (std::vector<uint64_t>{0x4005d1, 0x7f00aa, 0x400123}));
  EXPECT_EQ(p.samples[1].values, (HeapValues{1, 10, 1, 10}));
}

TEST(ParseRecord, LineNumbersCountBlankAndCommentLines) {
  const HeapProfile p = parse(std::string(kExactHeader) +
                              "\n"
                              "# a comment\n"
                              "1: 10 [1: 10] @ 0x10\n")
                            .profile;
  ASSERT_EQ(p.samples.size(), 1u);
  EXPECT_EQ(p.samples[0].line, 4u);
}

TEST(ParseRecord, EmptyStackIsLegal) {
  const HeapProfile p = parse(std::string(kExactHeader) + "1: 10 [1: 10] @\n").profile;
  ASSERT_EQ(p.samples.size(), 1u);
  EXPECT_TRUE(p.samples[0].stack.empty());
}

TEST(ParseRecord, UppercaseHexDigitsAreAccepted) {
  const HeapProfile p = parse(std::string(kExactHeader) + "1: 10 [1: 10] @ 0x7F00AB 0xdeadBEEF\n").profile;
  EXPECT_EQ(p.samples[0].stack, (std::vector<uint64_t>{0x7f00ab, 0xdeadbeef}));
}

TEST(ParseRecord, FullWidthAddressesParse) {
  const HeapProfile p = parse(std::string(kExactHeader) + "1: 10 [1: 10] @ 0xffffffffffffffff\n").profile;
  EXPECT_EQ(p.samples[0].stack, (std::vector<uint64_t>{0xffffffffffffffffu}));
}

TEST(ParseRecord, NegativeInUseValuesAreAllowed) {
  const HeapProfile p = parse(std::string(kExactHeader) + "-2: -200 [5: 500] @ 0x10\n").profile;
  EXPECT_EQ(p.samples[0].values, (HeapValues{-2, -200, 5, 500}));
}

TEST(ParseRecord, MalformedLineIsAnErrorWithItsLineNumber) {
  const InputError e = parse_error(std::string(kExactHeader) + "1: 10 [1: 10] @ 0x10\nthis is not a record\n");
  EXPECT_EQ(e.file(), kSource);
  EXPECT_EQ(e.line(), 3u);
  EXPECT_EQ(e.reason(), "malformed record: expected 'count: bytes [count: bytes] @ addresses'");
}

TEST(ParseRecord, MissingAtSignIsMalformed) {
  EXPECT_EQ(parse_error(std::string(kExactHeader) + "1: 10 [1: 10] 0x10\n").reason(),
            "malformed record: expected 'count: bytes [count: bytes] @ addresses'");
}

TEST(ParseRecord, AddressWithoutHexPrefixIsMalformed) {
  const InputError e = parse_error(std::string(kExactHeader) + "1: 10 [1: 10] @ 0x10 4005d1\n");
  EXPECT_EQ(e.line(), 2u);
  EXPECT_EQ(e.reason(), "malformed address '4005d1'");
}

TEST(ParseRecord, AddressWithNonHexDigitIsMalformed) {
  EXPECT_EQ(parse_error(std::string(kExactHeader) + "1: 10 [1: 10] @ 0x10g\n").reason(),
            "malformed address '0x10g'");
}

TEST(ParseRecord, OverflowingCountIsOutOfRange) {
  const InputError e = parse_error(std::string(kExactHeader) + "99999999999999999999: 10 [1: 10] @ 0x10\n");
  EXPECT_EQ(e.line(), 2u);
  EXPECT_EQ(e.reason(), "number out of range '99999999999999999999'");
}

TEST(ParseRecord, OverflowingAddressIsOutOfRange) {
  EXPECT_EQ(parse_error(std::string(kExactHeader) + "1: 10 [1: 10] @ 0x10000000000000000\n").reason(),
            "number out of range '0x10000000000000000'");
}

TEST(ParseRecord, InUseCountZeroWithBytesIsAnError) {
  const InputError e = parse_error(std::string(kExactHeader) + "0: 10 [1: 10] @ 0x10\n");
  EXPECT_EQ(e.line(), 2u);
  EXPECT_EQ(e.reason(), "in-use count is 0 but in-use bytes is 10");
}

TEST(ParseRecord, AllocatedCountZeroWithBytesIsAnError) {
  EXPECT_EQ(parse_error(std::string(kExactHeader) + "1: 10 [0: 30] @ 0x10\n").reason(),
            "allocated count is 0 but allocated bytes is 30");
}

TEST(ParseRecord, NegativeAllocatedValueIsAnError) {
  EXPECT_EQ(parse_error(std::string(kExactHeader) + "1: 10 [-1: 10] @ 0x10\n").reason(),
            "negative allocated count -1");
  EXPECT_EQ(parse_error(std::string(kExactHeader) + "1: 10 [1: -10] @ 0x10\n").reason(),
            "negative allocated bytes -10");
}

TEST(ParseRecord, VeryLongLinesAreRead) {
  // 50 MB of comment, then a record: the reader must not choke on line length.
  std::string text = std::string(kExactHeader) + "#" + std::string(50 << 20, 'x') + "\n1: 10 [1: 10] @ 0x10\n";
  const HeapProfile p = parse(text).profile;
  ASSERT_EQ(p.samples.size(), 1u);
  EXPECT_EQ(p.samples[0].line, 3u);
}

TEST(ParseRecord, VeryDeepStacksAreRead) {
  std::string record = "1: 10 [1: 10] @";
  for (int i = 0; i < 1000000; ++i) record += " 0xabcdef";
  const HeapProfile p = parse(std::string(kExactHeader) + record + "\n").profile;
  ASSERT_EQ(p.samples.size(), 1u);
  EXPECT_EQ(p.samples[0].stack.size(), 1000000u);
}

// ---------------------------------------------------------------- unsampling

TEST(ParseUnsampling, HeapV2RecordsAreUnsampledPerPair) {
  const HeapProfile p = parse(std::string(kSampledHeader) + "1: 100 [1: 100] @ 0x10\n").profile;
  EXPECT_EQ(p.samples[0].values, (HeapValues{5243, 524338, 5243, 524338}));
}

TEST(ParseUnsampling, PairsAreScaledIndependently) {
  const HeapProfile p = parse(std::string(kSampledHeader) + "0: 0 [20000: 2000000] @ 0x10\n").profile;
  EXPECT_EQ(p.samples[0].values, (HeapValues{0, 0, 104867600, 10486760031}));
}

TEST(ParseUnsampling, OldHeapTagUnsamplesWithHalfThePeriod) {
  const HeapProfile p =
      parse("heap profile: 1: 100 [1: 100] @ heap/1048576\n1: 100 [1: 100] @ 0x10\n").profile;
  EXPECT_EQ(p.samples[0].values, (HeapValues{5243, 524338, 5243, 524338}));
}

TEST(ParseUnsampling, ExactProfilesAreNotScaled) {
  const HeapProfile p = parse(std::string(kExactHeader) + "1: 100 [1: 100] @ 0x10\n").profile;
  EXPECT_EQ(p.samples[0].values, (HeapValues{1, 100, 1, 100}));
}

// ---------------------------------------------------------------- maps section

TEST(ParseMaps, MappedLibrariesSectionIsParsedWithLineNumbers) {
  const HeapProfile p = parse(std::string(kExactHeader) +
                              "1: 10 [1: 10] @ 0x400100\n"
                              "\n"
                              "MAPPED_LIBRARIES:\n"
                              "00400000-00452000 r-xp 00000000 08:02 173521 /usr/bin/server\n"
                              "00651000-00652000 rw-p 00051000 08:02 173521 /usr/bin/server\n")
                            .profile;
  EXPECT_TRUE(p.has_maps_section);
  ASSERT_EQ(p.mappings.size(), 2u);
  EXPECT_EQ(p.mappings[0].line, 5u);
  EXPECT_TRUE(p.mappings[0].executable());
  EXPECT_EQ(p.mappings[1].line, 6u);
  EXPECT_FALSE(p.mappings[1].executable());
}

TEST(ParseMaps, MemoryMapSentinelAlsoStartsTheSection) {
  const HeapProfile p = parse(std::string(kExactHeader) +
                              "--- Memory map: ---\n"
                              "02e00000-02e8a000: /foo/bin (@2a00000)\n")
                            .profile;
  EXPECT_TRUE(p.has_maps_section);
  ASSERT_EQ(p.mappings.size(), 1u);
  EXPECT_EQ(p.mappings[0].path, "/foo/bin");
}

TEST(ParseMaps, UnparseableMapsLinesAreIgnored) {
  const HeapProfile p = parse(std::string(kExactHeader) +
                              "MAPPED_LIBRARIES:\n"
                              "build=/tmp/x\n"
                              "garbage\n"
                              "00400000-00452000 r-xp 00000000 08:02 173521 /usr/bin/server\n")
                            .profile;
  ASSERT_EQ(p.mappings.size(), 1u);
  EXPECT_EQ(p.mappings[0].line, 5u);
}

// The paths of the mappings that `maps`, a maps section, holds.
std::vector<std::string> mapped_paths(const std::string& maps) {
  std::vector<std::string> paths;
  for (const Mapping& m : parse(std::string(kExactHeader) + maps).profile.mappings) paths.push_back(m.path);
  return paths;
}

TEST(ParseMaps, AnAttributeLineNamesAPartOfThePathsAfterIt) {
  // google/pprof's profile/testdata/cppbench.heap.
  EXPECT_EQ(mapped_paths("--- Memory map: ---\n"
                         "\tsource=/home\n"
                         "  00400000-00fcb000: $source/cppbench_server_main\n"
                         "  7f47a4b73000-7f47a4d21000: /lib/libc-2.15.so\n"),
            (std::vector<std::string>{"/home/cppbench_server_main", "/lib/libc-2.15.so"}));
}

TEST(ParseMaps, AnAttributeAppliesOnlyToTheLinesAfterIt) {
  EXPECT_EQ(mapped_paths("MAPPED_LIBRARIES:\n"
                         "00400000-00452000 r-xp 00000000 08:02 17 $bin/server\n"
                         "bin=/srv/bin\n"
                         "7f0000000000-7f0000001000 r-xp 00000000 08:02 18 $bin/libx.so\n"),
            (std::vector<std::string>{"$bin/server", "/srv/bin/libx.so"}));
}

TEST(ParseMaps, AnAttributesValueMayUseAnEarlierAttribute) {
  EXPECT_EQ(mapped_paths("MAPPED_LIBRARIES:\n"
                         "root=/srv\n"
                         "bin=$root/bin\n"
                         "00400000-00452000 r-xp 00000000 08:02 17 $bin/server\n"),
            std::vector<std::string>{"/srv/bin/server"});
}

TEST(ParseMaps, ARelativePathIsKeptAsWritten) {
  // google/pprof's profile/testdata/cppbench.growth.
  EXPECT_EQ(mapped_paths("--- Memory map: ---\n"
                         "  00400000-00fcb000: cppbench_server_main\n"),
            std::vector<std::string>{"cppbench_server_main"});
}

TEST(ParseMaps, ProfileWithoutMapsSectionHasNone) {
  const HeapProfile p = parse(std::string(kExactHeader) + "1: 10 [1: 10] @ 0x10\n").profile;
  EXPECT_FALSE(p.has_maps_section);
  EXPECT_TRUE(p.mappings.empty());
  EXPECT_EQ(p.samples.size(), 1u);
}

// ---------------------------------------------------------------- cut-short files

TEST(ParseTruncation, IncompleteLastRecordIsSkippedWithAWarning) {
  const Parsed p = parse(std::string(kExactHeader) + "1: 10 [1: 10] @ 0x10\n2: 20 [2:");
  ASSERT_EQ(p.profile.samples.size(), 1u);
  EXPECT_NE(p.warnings.find("t.heap:3: last record is incomplete (file cut short?); it was skipped"),
            std::string::npos)
      << p.warnings;
}

TEST(ParseTruncation, LastRecordWithoutNewlineIsSkippedThoughItReadsAsOne) {
  // "0x10" may be the start of "0x10a8f3": gperftools ends every record with
  // a newline, so a line without one was cut short.
  const Parsed p = parse(std::string(kExactHeader) + "1: 10 [1: 10] @ 0x10\n2: 20 [2: 20] @ 0x10");
  ASSERT_EQ(p.profile.samples.size(), 1u);
  EXPECT_NE(p.warnings.find("t.heap:3: last record is incomplete (file cut short?); it was skipped"),
            std::string::npos)
      << p.warnings;
}

TEST(ParseTruncation, MalformedLastLineWithNewlineIsStillAnError) {
  EXPECT_EQ(parse_error(std::string(kExactHeader) + "2: 20 [2:\n").line(), 2u);
}

TEST(ParseTruncation, IncompleteLastMapsLineIsSkippedWithAWarning) {
  const Parsed p = parse(std::string("heap profile: 1: 10 [1: 10] @ heapprofile\n") +
                         "1: 10 [1: 10] @ 0x10\n\nMAPPED_LIBRARIES:\n" +
                         "00400000-00401000 r-xp 00000000 08:01 42 /bin/app\n00500000-005");
  ASSERT_EQ(p.profile.mappings.size(), 1u);
  EXPECT_EQ(p.warnings,
            "hprof-text: warning: t.heap:6: last memory map line is incomplete (file cut short?); it was skipped\n");
}

TEST(ParseTruncation, HeaderOnlyIsAnEmptyProfile) {
  const HeapProfile p = parse(kExactHeader).profile;
  EXPECT_TRUE(p.samples.empty());
  EXPECT_FALSE(p.has_maps_section);
}

// ---------------------------------------------------------------- not a heap profile

TEST(ParseFirstLine, EmptyFileIsAnErrorForTheWholeFile) {
  const InputError e = parse_error("");
  EXPECT_EQ(e.line(), 0u);
  EXPECT_EQ(e.reason(), "empty file, not a heap profile");
}

TEST(ParseFirstLine, OnlyCommandsIsAnEmptyFile) {
  const InputError e = parse_error("%warn hello\n%warn again\n");
  EXPECT_EQ(e.line(), 0u);
  EXPECT_EQ(e.reason(), "empty file, not a heap profile");
}

TEST(ParseFirstLine, ElfFileSuggestsTheArgumentOrder) {
  const InputError e = parse_error(std::string("\x7f" "ELF\x02\x01\x01\0\0\0\0", 12) + "\n\x02\0>\0");
  EXPECT_EQ(e.line(), 1u);
  EXPECT_EQ(e.reason(),
            "this is an ELF file, not a heap profile; the program goes first: hprof-text PROGRAM PROFILE");
}

TEST(ParseFirstLine, JemallocFirstLineSelectsTheJemallocReader) {
  // The jemalloc reader itself: "jemalloc dumps" below.
  const HeapProfile p = parse("heap_v2/524288\n  t*: 28106: 56637512 [0: 0]\n").profile;
  EXPECT_EQ(p.header.format, ProfileFormat::kJemalloc);
  EXPECT_EQ(parse(kExactHeader).profile.header.format, ProfileFormat::kGperftools);
}

TEST(ParseFirstLine, BinaryDataIsRecognised) {
  EXPECT_EQ(parse_error(std::string("\x01\x02\0\0", 4)).reason(), "binary data, not a text heap profile");
}

TEST(ParseFirstLine, GperftoolsCpuProfileIsNamedInEveryWordSizeAndByteOrder) {
  // Header words 0, 3, 0, period (10000 = 0x2710), 0.
  const std::string word64_little = std::string(8, '\0') + std::string("\3\0\0\0\0\0\0\0", 8) + std::string(8, '\0') +
                                    std::string("\x10\x27\0\0\0\0\0\0", 8) + std::string(8, '\0');
  const std::string word32_little = std::string(4, '\0') + std::string("\3\0\0\0", 4) + std::string(4, '\0') +
                                    std::string("\x10\x27\0\0", 4) + std::string(4, '\0');
  const std::string word64_big = std::string(8, '\0') + std::string("\0\0\0\0\0\0\0\3", 8) + std::string(8, '\0') +
                                 std::string("\0\0\0\0\0\0\x27\x10", 8) + std::string(8, '\0');
  for (const std::string& header : {word64_little, word32_little, word64_big}) {
    EXPECT_EQ(parse_error(header).reason(),
              "this is a gperftools CPU profile, not a heap profile (heap profiles are the .heap files written "
              "under HEAPPROFILE=PREFIX)");
  }
  // Version 1 instead of 0: not the CPU profile header.
  EXPECT_EQ(parse_error(std::string(8, '\0') + std::string("\3\0\0\0\0\0\0\0\1", 9) + std::string(15, '\0')).reason(),
            "binary data, not a text heap profile");
}

TEST(ParseFirstLine, GzipDataIsNamedAsPprofsFormat) {
  EXPECT_EQ(parse_error(std::string("\x1f\x8b\x08\0\0\0", 6)).reason(),
            "this is gzip-compressed data, such as a pprof protobuf profile, not a heap profile: hprof-text reads "
            "the text heap profiles that gperftools and jemalloc write (gunzip a compressed one first)");
}

TEST(ParseFirstLine, OtherTextIsNotAHeapProfile) {
  const InputError e = parse_error("\n--- contentionz 1 ---\n");
  EXPECT_EQ(e.line(), 2u);
  EXPECT_EQ(e.reason(),
            "not a heap profile (the first line is neither gperftools' 'heap profile: ...' nor jemalloc's 'heap_v2/N')");
}

TEST(ParseFirstLine, EndlessZerosAnswerAtOnce) {
  // Without a bounded look at the first line this would read /dev/zero forever.
  std::ifstream zeros("/dev/zero", std::ios::binary);
  ASSERT_TRUE(zeros);
  std::ostringstream sink;
  Diagnostics diags(sink);
  try {
    parse_heap_profile(zeros, "/dev/zero", diags);
    ADD_FAILURE() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.reason(), "binary data, not a text heap profile");
  }
}

// ---------------------------------------------------------------- jemalloc dumps
// jemalloc's own format ("heap_v2/N", "@ stack", then "t*:" and per-thread
// "tN:" lines), which jeprof reads (ReadThreadedHeapProfile) and the Go
// pprof does not.

// Every allocation sampled (lg_prof_sample:0): the values are exact.
constexpr const char* kJemallocExactHead =
    "heap_v2/1\n"
    "  t*: 3: 300 [5: 500]\n"
    "  t0: 3: 300 [5: 500]\n";

// Shaped as jemalloc 5.3 writes it (prof_dump_header, prof_dump_gctx, the
// blank line and prof_dump_maps), shortened.
constexpr const char* kJemallocRealDump =
    "heap_v2/524288\n"
    "  t*: 2: 82434 [0: 0]\n"
    "  t0: 2: 82434 [0: 0]\n"
    "  t1: 0: 0 [0: 0]\n"
    "@ 0x7fa4308a2630 0x7fa4308a2d21 0x7fa430895f24 0x55d0c0a1b2c3\n"
    "  t*: 1: 82338 [0: 0]\n"
    "  t0: 1: 82338 [0: 0]\n"
    "@ 0x7fa4308a2630 0x7fa4308a2d21 0x55d0c0a1b400\n"
    "  t*: 1: 96 [0: 0]\n"
    "  t0: 1: 96 [0: 0]\n"
    "\n"
    "MAPPED_LIBRARIES:\n"
    "55d0c0a1a000-55d0c0a1c000 r-xp 00001000 fe:00 42   /usr/bin/prog\n"
    "7fa430809000-7fa4308af000 r-xp 00009000 fe:00 43   /usr/lib/x86_64-linux-gnu/libjemalloc.so.2\n";

TEST(JemallocProfile, FirstLineGivesThePoissonPeriod) {
  const HeapHeader h = parse("heap_v2/524288\n").profile.header;
  EXPECT_EQ(h.format, ProfileFormat::kJemalloc);
  EXPECT_EQ(h.tag, "heap_v2");
  EXPECT_EQ(h.sampling, Sampling::kPoisson);
  EXPECT_EQ(h.period, 524288u);
}

TEST(JemallocProfile, FirstLineMayFollowBlankLinesAndCarrySpaces) {
  const Parsed p = parse("\n  heap_v2/8 \r\n");
  EXPECT_EQ(p.profile.header.format, ProfileFormat::kJemalloc);
  EXPECT_EQ(p.profile.header.period, 8u);
}

TEST(JemallocProfile, FirstLineWithoutDigitsIsNotAHeapProfile) {
  for (const char* first : {"heap_v2/\n", "heap_v2/12x\n", "heap_v2\n", "heap_v3/1\n"}) {
    const InputError e = parse_error(first);
    EXPECT_EQ(e.line(), 1u) << first;
    EXPECT_NE(e.reason().find("not a heap profile"), std::string::npos) << first << e.reason();
  }
}

TEST(JemallocProfile, PeriodOutOfRangeNamesTheLine) {
  const InputError e = parse_error("heap_v2/99999999999999999999999\n");
  EXPECT_EQ(e.file(), kSource);
  EXPECT_EQ(e.line(), 1u);
  EXPECT_EQ(e.reason(), "number out of range '99999999999999999999999'");
}

TEST(JemallocProfile, FirstTotalsLineIsTheHeaderNotASample) {
  const HeapProfile p = parse(kJemallocExactHead).profile;
  EXPECT_EQ(p.header.totals, (HeapValues{3, 300, 5, 500}));
  EXPECT_TRUE(p.samples.empty());
}

TEST(JemallocProfile, EachStackTakesItsAllThreadsLine) {
  const HeapProfile p = parse(std::string(kJemallocExactHead) +
                              "@ 0x10 0x20 0x30\n"
                              "  t*: 2: 200 [4: 400]\n"
                              "  t0: 1: 100 [3: 300]\n"
                              "  t7: 1: 100 [1: 100]\n"
                              "@ 0x40\n"
                              "  t*: 1: 100 [1: 100]\n"
                              "  t3: 1: 100 [1: 100]\n")
                            .profile;
  ASSERT_EQ(p.samples.size(), 2u);
  EXPECT_EQ(p.samples[0].stack, (std::vector<uint64_t>{0x10, 0x20, 0x30}));  // leaf first, as written
  EXPECT_EQ(p.samples[0].values, (HeapValues{2, 200, 4, 400}));
  EXPECT_EQ(p.samples[0].line, 4u);  // the stack's line
  EXPECT_EQ(p.samples[1].stack, (std::vector<uint64_t>{0x40}));
  EXPECT_EQ(p.samples[1].values, (HeapValues{1, 100, 1, 100}));
  EXPECT_EQ(p.samples[1].line, 8u);
}

TEST(JemallocProfile, PerThreadLinesNeverCountEvenWhenTheyComeFirst) {
  const HeapProfile p = parse(std::string(kJemallocExactHead) +
                              "@ 0x10\n"
                              "  t5: 9: 900 [9: 900]\n"
                              "  t*: 1: 100 [1: 100]\n")
                            .profile;
  ASSERT_EQ(p.samples.size(), 1u);
  EXPECT_EQ(p.samples[0].values, (HeapValues{1, 100, 1, 100}));
}

TEST(JemallocProfile, UnsamplesEachPairAsGoDoes) {
  // jeprof's AdjustSamples for heap_v2 is the same per-pair formula without
  // the truncation: 5243.0..., 524338.3... there; 5243, 524338 here.
  const HeapProfile p = parse("heap_v2/524288\n  t*: 1: 100 [1: 100]\n@ 0x10\n  t*: 1: 100 [1: 100]\n").profile;
  ASSERT_EQ(p.samples.size(), 1u);
  EXPECT_EQ(p.samples[0].values, (HeapValues{5243, 524338, 5243, 524338}));
  EXPECT_EQ(p.header.totals, (HeapValues{1, 100, 1, 100}));  // raw
}

TEST(JemallocProfile, PeriodOneIsExactUnlikeJeprof) {
  // lg_prof_sample:0 samples every allocation.  jeprof still scales a 1-byte
  // average by 1/(1-e^-1) (158 of 100 objects); the counts are exact.
  const HeapProfile p = parse("heap_v2/1\n  t*: 100: 100 [0: 0]\n@ 0x10\n  t*: 100: 100 [0: 0]\n").profile;
  ASSERT_EQ(p.samples.size(), 1u);
  EXPECT_EQ(p.samples[0].values, (HeapValues{100, 100, 0, 0}));
}

TEST(JemallocProfile, EmptyStackIsASample) {
  const HeapProfile p = parse(std::string(kJemallocExactHead) + "@\n  t*: 1: 10 [1: 10]\n").profile;
  ASSERT_EQ(p.samples.size(), 1u);
  EXPECT_TRUE(p.samples[0].stack.empty());
}

TEST(JemallocProfile, RealDumpShapeWithItsMaps) {
  const Parsed p = parse(kJemallocRealDump);
  EXPECT_TRUE(p.warnings.empty()) << p.warnings;
  ASSERT_EQ(p.profile.samples.size(), 2u);
  EXPECT_EQ(p.profile.samples[0].stack.front(), 0x7fa4308a2630u);
  EXPECT_EQ(p.profile.samples[0].stack.back(), 0x55d0c0a1b2c3u);
  // 82338 bytes at 2^19: scale 6.88 (jeprof: 6.88 objects, 566534.14 bytes).
  EXPECT_EQ(p.profile.samples[0].values, (HeapValues{6, 566534, 0, 0}));
  EXPECT_TRUE(p.profile.has_maps_section);
  ASSERT_EQ(p.profile.mappings.size(), 2u);
  EXPECT_EQ(p.profile.mappings[1].path, "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");
  EXPECT_EQ(p.profile.mappings[1].line, 14u);
}

TEST(JemallocProfile, WithoutMapsSection) {
  const HeapProfile p = parse(std::string(kJemallocExactHead) + "@ 0x10\n  t*: 1: 10 [0: 0]\n").profile;
  EXPECT_FALSE(p.has_maps_section);
  EXPECT_EQ(p.samples.size(), 1u);
}

TEST(JemallocProfile, CommentsAndWindowsLineEndsAreAccepted) {
  const HeapProfile p = parse("heap_v2/1\r\n  t*: 1: 10 [0: 0]\r\n# note\r\n@ 0x10\r\n  t*: 1: 10 [0: 0]\r\n").profile;
  ASSERT_EQ(p.samples.size(), 1u);
  EXPECT_EQ(p.samples[0].values.inuse_bytes, 10);
}

TEST(JemallocProfile, MalformedLinesNameTheirLine) {
  // Where jeprof silently skips what it cannot read, each is an error.
  const std::string values = "malformed jemalloc line: expected 't*: count: bytes [count: bytes]'";
  struct Case {
    std::string after_head;  // lines 4...
    std::size_t line;
    std::string reason;
  };
  for (const Case& c : std::vector<Case>{
           {"@ 0x10\n  t*: 1: 10 [0 0]\n", 5, values},
           {"@ 0x10\n  t*: 1: 10 [0: 0] junk\n", 5, values},
           {"@ 0x10\n  t*: 1: 10 [0: 0]\n  tx: 1: 10 [0: 0]\n", 6, values},
           {"@ 0x10 zz\n  t*: 1: 10 [0: 0]\n", 4, "malformed address 'zz'"},
           {"1: 10 [0: 0] @ 0x10\n", 4,
            "malformed jemalloc line: expected '@ 0x...' or 't*: count: bytes [count: bytes]'"},
           // The stack is named when its values never come.
           {"@ 0x10\n  t0: 1: 10 [0: 0]\n@ 0x20\n  t*: 1: 10 [0: 0]\n", 4, "stack without a 't*:' line"},
           {"@ 0x10\n\nMAPPED_LIBRARIES:\n", 4, "stack without a 't*:' line"},
           {"@ 0x10\n  t*: 1: 10 [0: 0]\n  t*: 1: 10 [0: 0]\n", 6, "a second 't*:' line for the same stack"},
           {"  t*: 3: 300 [5: 500]\n", 4, "a second 't*:' totals line before the first stack"},
           // The value checks of gperftools records.
           {"@ 0x10\n  t*: 0: 10 [0: 0]\n", 5, "in-use count is 0 but in-use bytes is 10"},
           {"@ 0x10\n  t*: 1: 10 [-1: -10]\n", 5, "negative allocated count -1"},
       }) {
    const InputError e = parse_error(kJemallocExactHead + c.after_head);
    EXPECT_EQ(e.file(), kSource) << c.after_head;
    EXPECT_EQ(e.line(), c.line) << c.after_head;
    EXPECT_EQ(e.reason(), c.reason) << c.after_head;
  }
}

TEST(JemallocProfile, RecordCutShortAtTheEndIsAWarning) {
  // A stack cut inside its addresses, or inside its values line.
  for (const auto& [tail, line] : std::vector<std::pair<std::string, std::string>>{
           {"@ 0x20 0x3", "t.heap:6:"}, {"@ 0x20\n  t*: 1: 1", "t.heap:7:"}}) {
    const Parsed p = parse(std::string(kJemallocExactHead) + "@ 0x10\n  t*: 1: 10 [0: 0]\n" + tail);
    EXPECT_EQ(p.profile.samples.size(), 1u) << tail;
    EXPECT_NE(p.warnings.find(line + std::string(" last record is incomplete")), std::string::npos) << p.warnings;
  }
}

// ---------------------------------------------------------------- read_heap_profile

class ParseHeapFile : public ::testing::Test {
 protected:
  std::filesystem::path dir_ = std::filesystem::path(::testing::TempDir()) /
                               ("hprof_parse_test_" + std::to_string(::getpid()));
  void SetUp() override { std::filesystem::create_directories(dir_); }
  void TearDown() override {
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add);
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      std::filesystem::permissions(entry.path(), std::filesystem::perms::owner_all,
                                   std::filesystem::perm_options::add);
    }
    std::filesystem::remove_all(dir_);
  }
  std::string write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
};

TEST_F(ParseHeapFile, ReadsARegularFileAndNamesItsSource) {
  const std::string path = write("a.heap", std::string(kExactHeader) + "1: 10 [1: 10] @ 0x10\n");
  std::ostringstream sink;
  Diagnostics diags(sink);
  const HeapProfile p = read_heap_profile(path, diags);
  EXPECT_EQ(p.source, path);
  EXPECT_EQ(p.samples.size(), 1u);
}

TEST_F(ParseHeapFile, ErrorsNameTheFilePath) {
  const std::string path = write("bad.heap", std::string(kExactHeader) + "oops\n");
  const InputError e = read_error(path);
  EXPECT_EQ(e.file(), path);
  EXPECT_EQ(e.line(), 2u);
}

TEST_F(ParseHeapFile, MissingFileSaysSo) {
  const std::string path = (dir_ / "missing.heap").string();
  const InputError e = read_error(path);
  EXPECT_EQ(e.file(), path);
  EXPECT_EQ(e.line(), 0u);
  EXPECT_EQ(e.reason(), "No such file or directory");
}

TEST_F(ParseHeapFile, DirectoryIsRefused) {
  const InputError e = read_error(dir_.string());
  EXPECT_EQ(e.line(), 0u);
  EXPECT_EQ(e.reason(), "is a directory");
}

TEST_F(ParseHeapFile, CharacterDeviceIsRefused) {
  EXPECT_EQ(read_error("/dev/zero").reason(), "not a regular file");
  EXPECT_EQ(read_error("/dev/null").reason(), "not a regular file");
}

TEST_F(ParseHeapFile, UnreachableFileGivesTheSystemReason) {
  // A path through a regular file fails for root too (ENOTDIR).
  const std::string file = write("plain.heap", kExactHeader);
  const InputError e = read_error(file + "/x.heap");
  EXPECT_EQ(e.file(), file + "/x.heap");
  EXPECT_EQ(e.line(), 0u);
  EXPECT_EQ(e.reason(), "Not a directory");
  // Only others than root are refused a file without read permission.
  if (::geteuid() != 0) {
    const std::string secret = write("secret.heap", kExactHeader);
    ASSERT_EQ(::chmod(secret.c_str(), 0), 0);
    EXPECT_EQ(read_error(secret).reason(), "Permission denied");
  }
}

}  // namespace
}  // namespace hprof
