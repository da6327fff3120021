// parse_perf_map, PerfMap and read_perf_maps: Linux perf maps as HotSpot
// writes them (JDK 17, -XX:+DumpPerfMapAtExit; lines copied from a real map)
// and as other JITs do (no "0x"), malformed lines, overlapping entries in
// one map (a log: the later names) and across maps (a conflict).
#include "parse/perf_map.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/error.h"

namespace hprof {
namespace {

struct Parsed {
  std::vector<PerfMapEntry> entries;
  std::string warnings;
};

Parsed parse(const std::string& text) {
  std::istringstream in(text);
  std::ostringstream sink;
  Diagnostics diags(sink);
  std::vector<PerfMapEntry> entries = parse_perf_map(in, "perf-1.map", 0, diags);
  return {std::move(entries), sink.str()};
}

// One map's table; the warnings are not looked at.
PerfMap table(const std::string& text) {
  std::ostringstream sink;
  Diagnostics diags(sink);
  std::istringstream in(text);
  return PerfMap({"perf-1.map"}, parse_perf_map(in, "perf-1.map", 0, diags));
}

// The name `map` gives `address`; "-" when uncovered, "?" on a conflict.
std::string name_at(const PerfMap& map, uint64_t address) {
  PerfMap::Hit hit = map.find(address);
  if (hit.kind == PerfMap::Hit::kUncovered) return "-";
  if (hit.kind == PerfMap::Hit::kConflict) return "?";
  return hit.entry->name;
}

// The names `map` gives `addresses`, as name_at says them.
std::vector<std::string> names_at(const PerfMap& map, const std::vector<uint64_t>& addresses) {
  std::vector<std::string> names;
  for (uint64_t address : addresses) names.push_back(name_at(map, address));
  return names;
}
using Names = std::vector<std::string>;

TEST(PerfMapParse, HotSpotLinesGiveStartSizeNameAndLine) {
  Parsed p = parse(
      "0x00007f8843a08b80 0x0000000000015860 Interpreter\n"
      "0x00007f8843a00c00 0x0000000000007530 StubRoutines (1)\n"
      "0x00007f8843b063e0 0x00000000000003b0 void java.util.zip.Deflater.<init>(int, boolean)\n");
  EXPECT_EQ(p.warnings, "");
  ASSERT_EQ(p.entries.size(), 3u);
  EXPECT_EQ(p.entries[0].start, 0x7f8843a08b80u);
  EXPECT_EQ(p.entries[0].size, 0x15860u);
  EXPECT_EQ(p.entries[0].name, "Interpreter");
  EXPECT_EQ(p.entries[0].line, 1u);
  EXPECT_EQ(p.entries[1].name, "StubRoutines (1)");
  EXPECT_EQ(p.entries[2].name, "void java.util.zip.Deflater.<init>(int, boolean)");
  EXPECT_EQ(p.entries[2].line, 3u);
}

TEST(PerfMapParse, HexWithoutPrefixAsOtherJitsWriteIt) {
  Parsed p = parse("7fa50d966060 1d flush_icache_stub\n41187e2a 1a JIT_PPC_b804a33fc\n");
  EXPECT_EQ(p.warnings, "");
  ASSERT_EQ(p.entries.size(), 2u);
  EXPECT_EQ(p.entries[0].start, 0x7fa50d966060u);
  EXPECT_EQ(p.entries[0].size, 0x1du);
  EXPECT_EQ(p.entries[1].name, "JIT_PPC_b804a33fc");
}

TEST(PerfMapParse, LastLineWithoutNewlineAndCrlfLineEndsAreEntries) {
  Parsed p = parse("10 8 first\r\n20 8 last with spaces  ");
  EXPECT_EQ(p.warnings, "");
  ASSERT_EQ(p.entries.size(), 2u);
  EXPECT_EQ(p.entries[0].name, "first");
  EXPECT_EQ(p.entries[1].name, "last with spaces");
}

TEST(PerfMapParse, BlankLinesAreSkippedSilentlyAndCountInLineNumbers) {
  Parsed p = parse("\n10 8 a\n   \n20 8 b\n");
  EXPECT_EQ(p.warnings, "");
  ASSERT_EQ(p.entries.size(), 2u);
  EXPECT_EQ(p.entries[1].line, 4u);
}

TEST(PerfMapParse, MalformedLinesAreSkippedWithOneWarningNamingTheFirstAndCountingTheRest) {
  Parsed p = parse(
      "10 8 good\n"
      "zz 8 bad start\n"
      "20 8 good too\n"
      "30 8\n"
      "40 q9 bad size\n");
  ASSERT_EQ(p.entries.size(), 2u);
  EXPECT_EQ(p.entries[0].name, "good");
  EXPECT_EQ(p.entries[1].name, "good too");
  EXPECT_EQ(p.warnings,
            "hprof-text: warning: perf-1.map:2: START 'zz' is not a hex number in 'zz 8 bad start': line skipped (a "
            "perf map line is 'START SIZE NAME', START and SIZE in hex); 2 more malformed line(s) skipped\n");
}

TEST(PerfMapParse, EachKindOfMalformedLineSaysWhatIsWrong) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"10 8", "no NAME"},
      {"10", "no SIZE"},
      {"10 0x name", "SIZE '0x' is not a hex number"},
      {"-10 8 name", "START '-10' is not a hex number"},
      {"10 8x name", "SIZE '8x' is not a hex number"},
      {"1ffffffffffffffff 8 name", "START '1ffffffffffffffff' does not fit in 64 bits"},
      {"10 10000000000000000 name", "SIZE '10000000000000000' does not fit in 64 bits"},
      {"ffffffffffffffff 1 name", "START + SIZE is past the end of the address space"},
  };
  for (const auto& [line, why] : cases) {
    Parsed p = parse(line + "\n");
    EXPECT_TRUE(p.entries.empty()) << line;
    EXPECT_NE(p.warnings.find("perf-1.map:1: " + why + " in '"), std::string::npos) << line << "\n" << p.warnings;
  }
}

TEST(PerfMapParse, HugeValuesThatFitAreEntries) {
  Parsed p = parse("0xfffffffffffffff0 0xf top\n0 0xffffffffffffffff everything\n");
  EXPECT_EQ(p.warnings, "");
  ASSERT_EQ(p.entries.size(), 2u);
  EXPECT_EQ(p.entries[0].limit(), 0xffffffffffffffffu);
  EXPECT_EQ(p.entries[1].size, 0xffffffffffffffffu);
}

TEST(PerfMapParse, EmptyMapIsOneWarning) {
  Parsed p = parse("");
  EXPECT_TRUE(p.entries.empty());
  EXPECT_EQ(p.warnings, "hprof-text: warning: perf-1.map: the perf map has no entries; it names nothing\n");
}

TEST(PerfMapTable, AnAddressIsNamedByTheEntryThatCoversIt) {
  PerfMap map = table("0x1000 0x100 Interpreter\n0x1200 0x10 void a.B.c()\n");
  EXPECT_EQ(name_at(map, 0xfff), "-");
  EXPECT_EQ(name_at(map, 0x1000), "Interpreter");
  EXPECT_EQ(name_at(map, 0x10ff), "Interpreter");
  EXPECT_EQ(name_at(map, 0x1100), "-");  // the end is exclusive
  EXPECT_EQ(name_at(map, 0x1205), "void a.B.c()");
  EXPECT_EQ(name_at(map, 0x1210), "-");
  EXPECT_EQ(map.where(*map.find(0x1205).entry), "perf-1.map:2");
}

TEST(PerfMapTable, UnsortedEntriesAreFound) {
  PerfMap map = table("0x3000 0x10 c\n0x1000 0x10 a\n0x2000 0x10 b\n");
  EXPECT_EQ(name_at(map, 0x1008), "a");
  EXPECT_EQ(name_at(map, 0x2008), "b");
  EXPECT_EQ(name_at(map, 0x3008), "c");
}

TEST(PerfMapTable, SizeZeroCoversNothing) {
  PerfMap map = table("0x1000 0 empty\n");
  EXPECT_EQ(name_at(map, 0x1000), "-");
}

// Two maps as one table, as read_perf_maps makes it (a.map is file 0).
PerfMap tables(const std::string& a, const std::string& b) {
  std::ostringstream sink;
  Diagnostics diags(sink);
  std::istringstream in_a(a), in_b(b);
  std::vector<PerfMapEntry> entries = parse_perf_map(in_a, "a.map", 0, diags);
  std::vector<PerfMapEntry> more = parse_perf_map(in_b, "b.map", 1, diags);
  entries.insert(entries.end(), more.begin(), more.end());
  return PerfMap({"a.map", "b.map"}, std::move(entries));
}

TEST(PerfMapTable, InOneMapALaterEntryNamesWhatItCoversOfAnEarlierOne) {
  // A log (V8's --perf-basic-prof): the JIT freed old code and put new code
  // at part of its addresses.
  PerfMap map = table("0x1000 0x100 old\n0x1080 0x100 new\n");
  EXPECT_EQ(names_at(map, {0x107f, 0x1080, 0x117f, 0x1180}), (Names{"old", "new", "new", "-"}));
  EXPECT_EQ(map.superseded(0), 1u);
}

TEST(PerfMapTable, InOneMapAnEarlierEntryKeepsWhatALaterOneInsideItLeaves) {
  PerfMap map = table("0x1000 0x100 outer\n0x1040 0x10 inner\n");
  EXPECT_EQ(names_at(map, {0x1030, 0x1048, 0x1050}), (Names{"outer", "inner", "outer"}));
}

TEST(PerfMapTable, InOneMapTheLatestOfSeveralEntriesAtOneAddressNamesIt) {
  PerfMap map = table("0x2000 0x40 first\n0x2000 0x40 second\n0x1ff0 0x20 third\n0x2000 0x10 fourth\n");
  EXPECT_EQ(names_at(map, {0x1ff0, 0x2008, 0x2010, 0x203f}), (Names{"third", "fourth", "second", "second"}));
  EXPECT_EQ(map.superseded(0), 3u) << "first (by second), second (by third and fourth), third (by fourth)";
}

TEST(PerfMapTable, AMapOfOneMomentHasNothingSuperseded) {
  PerfMap map = table("0x1000 0x100 a\n0x1100 0x100 b\n0x1000 0x100 a\n");
  EXPECT_EQ(map.superseded(0), 0u);
  EXPECT_EQ(name_at(map, 0x1080), "a");
}

TEST(PerfMapTable, AcrossMapsOverlapWithAnotherNameIsAConflictOnlyWhereBothCover) {
  // Maps written at different times: either could be right.
  PerfMap map = tables("0x1000 0x100 void old.Code.run()\n", "0x1080 0x100 void new.Code.run()\n");
  EXPECT_EQ(names_at(map, {0x107f, 0x1080, 0x10ff, 0x1100}),
            (Names{"void old.Code.run()", "?", "?", "void new.Code.run()"}));
  PerfMap::Hit hit = map.find(0x1090);
  ASSERT_EQ(hit.kind, PerfMap::Hit::kConflict);
  EXPECT_NE(hit.entry->name, hit.other->name);
  EXPECT_EQ(map.superseded(0) + map.superseded(1), 0u);
}

TEST(PerfMapTable, AcrossMapsEachMapsLatestEntryIsWhatIsCompared) {
  // a.map's log ends with `b` at 0x1000, which b.map says too: no conflict.
  PerfMap map = tables("0x1000 0x10 a\n0x1000 0x10 b\n", "0x1000 0x10 b\n");
  EXPECT_EQ(name_at(map, 0x1008), "b");
}

TEST(PerfMapTable, OverlapWithTheSameNameNamesTheAddress) {
  PerfMap map = table("0x1000 0x100 Interpreter\n0x1000 0x100 Interpreter\n0x1080 0x100 Interpreter\n");
  EXPECT_EQ(name_at(map, 0x1000), "Interpreter");
  EXPECT_EQ(name_at(map, 0x1090), "Interpreter");
  EXPECT_EQ(name_at(map, 0x117f), "Interpreter");
}

TEST(PerfMapTable, AnEntryEndingAtTheTopOfTheAddressSpaceIsFound) {
  PerfMap map = table("0xfffffffffffffff0 0xf top\n");
  EXPECT_EQ(name_at(map, 0xfffffffffffffffe), "top");
  EXPECT_EQ(name_at(map, 0xffffffffffffffff), "-");
}

TEST(PerfMapRead, MapsOfSeveralFilesAreOneTableAndSayWhichFile) {
  auto dir = std::filesystem::temp_directory_path() / ("hprof-perf-map-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string a = (dir / "a.map").string(), b = (dir / "b.map").string();
  std::ofstream(a) << "0x1000 0x10 void a.A.a()\n";
  std::ofstream(b) << "\n0x2000 0x10 void b.B.b()\n";
  std::ostringstream sink;
  Diagnostics diags(sink);
  PerfMap map = read_perf_maps({a, b}, diags);
  EXPECT_EQ(map.entry_count(), 2u);
  EXPECT_EQ(name_at(map, 0x1000), "void a.A.a()");
  EXPECT_EQ(map.where(*map.find(0x2000).entry), b + ":2");
  std::filesystem::remove_all(dir);
}

TEST(PerfMapRead, MissingOrDirectoryMapIsAnInputErrorNamingIt) {
  std::ostringstream sink;
  Diagnostics diags(sink);
  for (const std::string path : {"/nonexistent/perf-1.map", "/"}) {
    try {
      read_perf_maps({path}, diags);
      ADD_FAILURE() << path << " was read";
    } catch (const InputError& e) {
      EXPECT_EQ(e.file(), path);
      EXPECT_NE(e.reason().find("cannot read the perf map"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace hprof
