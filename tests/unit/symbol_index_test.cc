// SymbolIndex: what an index file answers after a round trip (the same as
// SymbolTable and FdeExtents would), which files it refuses and why, how it
// is written (atomically, directories created), and where it lives.
#include "symbolize/index/cache_dir.h"
#include "symbolize/index/symbol_index.h"

#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <libdeflate.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "symbolize/elf/symbol_table.h"

namespace hprof {
namespace {

namespace fs = std::filesystem;

// Where the header keeps these, as symbolize/index/index_format.h lays out.
constexpr std::size_t kVersionOffset = 8;
constexpr std::size_t kChecksumOffset = 24;
constexpr std::size_t kFirstSectionOffset = 40;

using Symbol = IndexContents::Symbol;
using Interval = IndexContents::Interval;
constexpr uint32_t kAskDwarf = IndexContents::kAskDwarf;
// The name sources' parts, in names/name_order.h's order.
constexpr std::size_t kFilePart = 0, kDwarfPart = 1, kDebugPart = 2, kStartsPart = 3;

IndexKey key_of(std::string build_id, int64_t mtime_ns = 1700000000123456789) {
  return {std::move(build_id), {{"/opt/app/libfoo.so", 123456, mtime_ns}, {"/usr/lib/debug/libfoo.debug", 999, 42}}};
}

const IndexKey kKey = key_of("0123abcd");

Frame frame(std::string function, std::string file, uint32_t line, bool inlined) {
  return Frame{std::move(function), std::move(file), line, inlined};
}

// One of everything an index holds.
IndexContents sample_contents() {
  IndexContents c;
  // Finished order: sorted by start, one per start.  `inner` and `innermost`
  // nest in `outer`; nothing holds [0x1100, 0x2000).
  c.parts[kFilePart].symbols = {{0x1000, 0x100, "outer"}, {0x1040, 0x20, "inner"},
                                {0x1048, 0x8, "innermost"}, {0x2000, 0x10, "after"}};
  c.own_table = ".dynsym";
  c.parts[kDebugPart].symbols = {{0x1000, 0x100, "_ZN2ns5outerEv"}, {0x3000, 0x20, "_ZL6hiddenv"}};
  c.parts[kStartsPart].extents = {{0x1000, 0x1100}, {0x2000, 0x2010}, {0x3000, 0x3020}};
  EXPECT_EQ(c.add_chain({frame("ns::outer", "/src/a.cc", 10, false)}), 0u);
  EXPECT_EQ(c.add_chain({frame("leaf", "/src/b.h", 3, true), frame("middle", "/src/b.h", 20, true),
                         frame("ns::outer", "/src/a.cc", 12, false)}),
            1u);
  // [0x1060, 0x1080) is in no interval.
  c.parts[kDwarfPart].intervals = {{0x1000, 0x1040, 0}, {0x1040, 0x1060, 1}, {0x1080, 0x1100, kAskDwarf}};
  return c;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// Recomputes the checksum after a test patched the bytes, so that only the
// check the test aims at can fire.
void fix_checksum(std::string& bytes) {
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  uint32_t crc = libdeflate_crc32(0, data, kChecksumOffset);
  crc = libdeflate_crc32(crc, data + kChecksumOffset + 4, bytes.size() - kChecksumOffset - 4);
  std::memcpy(bytes.data() + kChecksumOffset, &crc, sizeof crc);
}

std::string name_or_none(std::optional<std::string_view> name) {
  return name ? std::string(*name) : "(none)";
}

// Sets (or, with nullopt, unsets) an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      setenv(name, value->c_str(), 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

class SymbolIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && tmp[0] != '\0' ? tmp : "/tmp") + "/hprof-index-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr) << std::strerror(errno);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ec);  // after a read-only test
    fs::remove_all(dir_, ec);
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // Writes the sample index for kKey and returns its path.
  std::string write_sample() {
    std::string p = path("sample.idx");
    SymbolIndex::write(p, kKey, sample_contents());
    return p;
  }

  std::unique_ptr<SymbolIndex> open_sample() {
    SymbolIndex::Opened opened = SymbolIndex::open(write_sample(), kKey);
    EXPECT_NE(opened.index, nullptr) << opened.reason;
    return std::move(opened.index);
  }

  std::vector<std::string> files_in_dir() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path dir_;
};

// ---- round trip ----

TEST_F(SymbolIndexTest, FileSymbolIsTheInnermostHolderAndNothingInAGap) {
  auto index = open_sample();
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(name_or_none(index->symbol(kFilePart, 0x1000)), "outer");
  EXPECT_EQ(name_or_none(index->symbol(kFilePart, 0x1044)), "inner");
  EXPECT_EQ(name_or_none(index->symbol(kFilePart, 0x104c)), "innermost");
  EXPECT_EQ(name_or_none(index->symbol(kFilePart, 0x1050)), "inner");  // past innermost, inside inner
  EXPECT_EQ(name_or_none(index->symbol(kFilePart, 0x1080)), "outer");  // past inner
  EXPECT_EQ(name_or_none(index->symbol(kFilePart, 0x1100)), "(none)");  // the gap
  EXPECT_EQ(name_or_none(index->symbol(kFilePart, 0x2004)), "after");
  EXPECT_EQ(name_or_none(index->symbol(kFilePart, 0x0fff)), "(none)");  // before the first
  EXPECT_EQ(name_or_none(index->symbol(kFilePart, 0x2010)), "(none)");  // past the last
}

TEST_F(SymbolIndexTest, DebugSymbolsAreTheirOwnTable) {
  auto index = open_sample();
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(name_or_none(index->symbol(kDebugPart, 0x1044)), "_ZN2ns5outerEv");
  EXPECT_EQ(name_or_none(index->symbol(kDebugPart, 0x3010)), "_ZL6hiddenv");
  EXPECT_EQ(name_or_none(index->symbol(kDebugPart, 0x2004)), "(none)");  // only in the file's table
  EXPECT_EQ(name_or_none(index->symbol(kFilePart, 0x3010)), "(none)");   // only in the debug table
}

TEST_F(SymbolIndexTest, OwnTableNameIsKept) {
  auto index = open_sample();
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->own_table(), ".dynsym");
}

TEST_F(SymbolIndexTest, FunctionStartIsTheStartOfTheFdeHoldingTheAddress) {
  auto index = open_sample();
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->function_start(kStartsPart, 0x1000), 0x1000u);
  EXPECT_EQ(index->function_start(kStartsPart, 0x10ff), 0x1000u);
  EXPECT_EQ(index->function_start(kStartsPart, 0x2008), 0x2000u);
  EXPECT_EQ(index->function_start(kStartsPart, 0x1100), std::nullopt);  // between FDEs
  EXPECT_EQ(index->function_start(kStartsPart, 0x0fff), std::nullopt);
  EXPECT_EQ(index->function_start(kStartsPart, 0x3020), std::nullopt);
}

TEST_F(SymbolIndexTest, DwarfFramesGiveTheInlineChainInnermostFirst) {
  auto index = open_sample();
  ASSERT_NE(index, nullptr);
  FrameChain expected = {frame("leaf", "/src/b.h", 3, true), frame("middle", "/src/b.h", 20, true),
                         frame("ns::outer", "/src/a.cc", 12, false)};
  EXPECT_EQ(index->frames(kDwarfPart, 0x1040), expected);
  EXPECT_EQ(index->frames(kDwarfPart, 0x105f), expected);
}

TEST_F(SymbolIndexTest, DwarfFramesOfASingleFrameInterval) {
  auto index = open_sample();
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->frames(kDwarfPart, 0x1000), FrameChain{frame("ns::outer", "/src/a.cc", 10, false)});
  EXPECT_EQ(index->frames(kDwarfPart, 0x103f), FrameChain{frame("ns::outer", "/src/a.cc", 10, false)});
}

TEST_F(SymbolIndexTest, AnAddressInNoIntervalHasNoDwarfFrames) {
  auto index = open_sample();
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->frames(kDwarfPart, 0x1060), FrameChain{});  // the gap between intervals
  EXPECT_EQ(index->frames(kDwarfPart, 0x0fff), FrameChain{});  // before the first
  EXPECT_EQ(index->frames(kDwarfPart, 0x1100), FrameChain{});  // past the last
}

TEST_F(SymbolIndexTest, AnAskDwarfIntervalSaysToAskTheDwarf) {
  auto index = open_sample();
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->frames(kDwarfPart, 0x1080), std::nullopt);
  EXPECT_EQ(index->frames(kDwarfPart, 0x10ff), std::nullopt);
}

// ---- an index that grows ----

// The sample with a unit no run has swept, [0x2000, 0x3000), beside one it
// has.
IndexContents grown_sample() {
  IndexContents c = sample_contents();
  c.parts[kDwarfPart].intervals.push_back({0x2000, 0x3000, IndexContents::kNotSwept});
  return c;
}

TEST_F(SymbolIndexTest, AnAddressNotSweptIsAskedOfTheDwarfAndOnlyThere) {
  SymbolIndex::write(path("grown.idx"), kKey, grown_sample());
  SymbolIndex::Opened opened = SymbolIndex::open(path("grown.idx"), kKey);
  ASSERT_NE(opened.index, nullptr) << opened.reason;
  const SymbolIndex& index = *opened.index;
  EXPECT_FALSE(index.swept(kDwarfPart, 0x2000));
  EXPECT_FALSE(index.swept(kDwarfPart, 0x2fff));
  EXPECT_EQ(index.frames(kDwarfPart, 0x2400), std::nullopt);
  EXPECT_TRUE(index.swept(kDwarfPart, 0x1040));  // a chain
  EXPECT_TRUE(index.swept(kDwarfPart, 0x1060));  // no frames, known
  EXPECT_TRUE(index.swept(kDwarfPart, 0x1080));  // ask the DWARF, known to be so
  EXPECT_TRUE(index.swept(kDwarfPart, 0x3000));  // past the unit
  EXPECT_TRUE(index.swept(kFilePart, 0x2400)) << "only the DWARF part grows";
}

TEST_F(SymbolIndexTest, AGrownCopyKeepsEveryPartAndLaysTheFreshSweepOverWhatWasNotSwept) {
  SymbolIndex::write(path("grown.idx"), kKey, grown_sample());
  SymbolIndex::Opened opened = SymbolIndex::open(path("grown.idx"), kKey);
  ASSERT_NE(opened.index, nullptr) << opened.reason;
  IndexContents next;
  // What this run's DWARF answered: frames in part of the unit not swept
  // before, a piece it did not sweep either, and an interval it swept again
  // in the part swept before (ignored there).
  const FrameChain fresh_chain = {frame("grown", "/src/c.cc", 7, false)};
  IndexPart fresh;
  fresh.intervals = {{0x1000, 0x1040, next.add_chain(fresh_chain)},
                     {0x2100, 0x2200, next.add_chain(fresh_chain)},
                     {0x2800, 0x2900, IndexContents::kNotSwept}};
  for (std::size_t part = 0; part < kIndexParts; ++part) {
    opened.index->copy_part(part, next, next.parts[part], part == kDwarfPart ? fresh : IndexPart{});
  }
  SymbolIndex::write(path("next.idx"), kKey, next);
  SymbolIndex::Opened reopened = SymbolIndex::open(path("next.idx"), kKey);
  ASSERT_NE(reopened.index, nullptr) << reopened.reason;
  const SymbolIndex& index = *reopened.index;
  EXPECT_EQ(index.frames(kDwarfPart, 0x1000), FrameChain{frame("ns::outer", "/src/a.cc", 10, false)})
      << "swept before: the old answer stays";
  EXPECT_EQ(index.frames(kDwarfPart, 0x1040)->size(), 3u);
  EXPECT_EQ(index.frames(kDwarfPart, 0x1080), std::nullopt);
  EXPECT_EQ(index.frames(kDwarfPart, 0x2150), fresh_chain);
  EXPECT_TRUE(index.swept(kDwarfPart, 0x2000)) << "swept now, no frames";
  EXPECT_EQ(index.frames(kDwarfPart, 0x2000), FrameChain{});
  EXPECT_FALSE(index.swept(kDwarfPart, 0x2850)) << "still not swept";
  EXPECT_EQ(name_or_none(index.symbol(kFilePart, 0x104c)), "innermost");
  EXPECT_EQ(name_or_none(index.symbol(kDebugPart, 0x3010)), "_ZL6hiddenv");
  EXPECT_EQ(index.function_start(kStartsPart, 0x2008), 0x2000u);
  EXPECT_EQ(index.own_table(), ".dynsym");
}

TEST(IndexContents, AChainReadBackIsTheChainAdded) {
  IndexContents c;
  const FrameChain chain = {frame("leaf", "/src/b.h", 3, true), frame("outer", "", 0, false)};
  c.add_chain({frame("other", "/src/a.cc", 1, false)});
  EXPECT_EQ(c.chain(c.add_chain(chain)), chain);
}

TEST_F(SymbolIndexTest, AnEmptyIndexAnswersNothing) {
  std::string p = path("empty.idx");
  SymbolIndex::write(p, kKey, IndexContents{});
  SymbolIndex::Opened opened = SymbolIndex::open(p, kKey);
  ASSERT_NE(opened.index, nullptr) << opened.reason;
  EXPECT_EQ(opened.index->symbol(kFilePart, 0x1000), std::nullopt);
  EXPECT_EQ(opened.index->symbol(kDebugPart, 0x1000), std::nullopt);
  EXPECT_EQ(opened.index->function_start(kStartsPart, 0x1000), std::nullopt);
  EXPECT_EQ(opened.index->frames(kDwarfPart, 0x1000), FrameChain{});
  EXPECT_EQ(opened.index->own_table(), "");
}

// Random tables, with duplicate starts, nesting and gaps, through SymbolTable
// and through an index of its finished symbols: the same name everywhere.
TEST_F(SymbolIndexTest, SymbolLookupsAgreeWithSymbolTableOnRandomTables) {
  std::mt19937_64 random(20240611);
  for (int round = 0; round < 20; ++round) {
    SymbolTable table;
    int count = 1 + static_cast<int>(random() % 300);
    for (int i = 0; i < count; ++i) {
      uint64_t start = 0x1000 + random() % 0x4000;
      uint64_t size = random() % 4 == 0 ? 0 : 1 + random() % (random() % 2 ? 0x20 : 0x400);
      table.add({start, size, std::to_string(i)});
    }
    table.finish();
    IndexContents contents;
    contents.parts[kFilePart].symbols = table.symbols();
    std::string p = path("random.idx");
    SymbolIndex::write(p, kKey, contents);
    SymbolIndex::Opened opened = SymbolIndex::open(p, kKey);
    ASSERT_NE(opened.index, nullptr) << opened.reason;
    for (uint64_t address = 0xff0; address < 0x5500; ++address) {
      const SymbolTable::Symbol* want = table.find(address);
      ASSERT_EQ(name_or_none(opened.index->symbol(kFilePart, address)), want != nullptr ? want->name : "(none)")
          << "round " << round << " address 0x" << std::hex << address;
    }
  }
}

// ---- what open() refuses ----

TEST_F(SymbolIndexTest, NoFileIsMissing) {
  SymbolIndex::Opened opened = SymbolIndex::open(path("none.idx"), kKey);
  EXPECT_EQ(opened.index, nullptr);
  EXPECT_EQ(opened.rejection, IndexRejection::kMissing);
}

TEST_F(SymbolIndexTest, FileCutByOneByteIsTruncated) {
  std::string p = write_sample();
  std::string bytes = read_bytes(p);
  write_bytes(p, bytes.substr(0, bytes.size() - 1));
  SymbolIndex::Opened opened = SymbolIndex::open(p, kKey);
  EXPECT_EQ(opened.index, nullptr);
  EXPECT_EQ(opened.rejection, IndexRejection::kTruncated);
  EXPECT_EQ(opened.reason, std::to_string(bytes.size() - 1) + " bytes, header says " + std::to_string(bytes.size()));
}

TEST_F(SymbolIndexTest, FileCutToHalfIsTruncated) {
  std::string p = write_sample();
  std::string bytes = read_bytes(p);
  write_bytes(p, bytes.substr(0, bytes.size() / 2));
  SymbolIndex::Opened opened = SymbolIndex::open(p, kKey);
  EXPECT_EQ(opened.index, nullptr);
  EXPECT_EQ(opened.rejection, IndexRejection::kTruncated);
}

TEST_F(SymbolIndexTest, OneFlippedByteIsAChecksumMismatch) {
  std::string p = write_sample();
  std::string bytes = read_bytes(p);
  bytes[bytes.size() / 2] ^= 0x10;
  write_bytes(p, bytes);
  SymbolIndex::Opened opened = SymbolIndex::open(p, kKey);
  EXPECT_EQ(opened.index, nullptr);
  EXPECT_EQ(opened.rejection, IndexRejection::kCorrupt);
  EXPECT_EQ(opened.reason, "checksum mismatch");
}

TEST_F(SymbolIndexTest, AnotherFormatVersionIsRefusedForItsVersion) {
  std::string p = write_sample();
  std::string bytes = read_bytes(p);
  uint32_t next = SymbolIndex::kFormatVersion + 1;
  std::memcpy(bytes.data() + kVersionOffset, &next, sizeof next);
  fix_checksum(bytes);
  write_bytes(p, bytes);
  SymbolIndex::Opened opened = SymbolIndex::open(p, kKey);
  EXPECT_EQ(opened.index, nullptr);
  EXPECT_EQ(opened.rejection, IndexRejection::kVersion);
  EXPECT_EQ(opened.reason, "format version " + std::to_string(next) + ", this hprof-text reads " +
                               std::to_string(SymbolIndex::kFormatVersion));
}

TEST_F(SymbolIndexTest, ASectionPastTheEndOfTheFileIsCorrupt) {
  std::string p = write_sample();
  std::string bytes = read_bytes(p);
  uint64_t past_the_end = bytes.size() + 8;  // the first section's (the sources') offset
  std::memcpy(bytes.data() + kFirstSectionOffset, &past_the_end, sizeof past_the_end);
  fix_checksum(bytes);
  write_bytes(p, bytes);
  SymbolIndex::Opened opened = SymbolIndex::open(p, kKey);
  EXPECT_EQ(opened.index, nullptr);
  EXPECT_EQ(opened.rejection, IndexRejection::kCorrupt);
  EXPECT_EQ(opened.reason, "sources out of bounds");
}

TEST_F(SymbolIndexTest, ASourceWithAnotherMtimeIsStale) {
  std::string p = write_sample();
  SymbolIndex::Opened opened = SymbolIndex::open(p, key_of("0123abcd", 1700000000999999999));
  EXPECT_EQ(opened.index, nullptr);
  EXPECT_EQ(opened.rejection, IndexRejection::kStale);
  EXPECT_EQ(opened.reason, "built from /opt/app/libfoo.so (mtime changed)");
  EXPECT_EQ(opened.changed_source, 0u);  // the key's first source
}

TEST_F(SymbolIndexTest, AnotherBuildIdIsStale) {
  std::string p = write_sample();
  SymbolIndex::Opened opened = SymbolIndex::open(p, key_of("4567ef01"));
  EXPECT_EQ(opened.index, nullptr);
  EXPECT_EQ(opened.rejection, IndexRejection::kStale);
  EXPECT_EQ(opened.changed_source, std::nullopt);  // no one source changed
  EXPECT_EQ(opened.reason, "build-id differs");
}

TEST_F(SymbolIndexTest, ASourceNoLongerUsedIsStale) {
  std::string p = write_sample();
  IndexKey without_debug_file = kKey;
  without_debug_file.sources.pop_back();
  SymbolIndex::Opened opened = SymbolIndex::open(p, without_debug_file);
  EXPECT_EQ(opened.rejection, IndexRejection::kStale);
  EXPECT_EQ(opened.reason, "built from /usr/lib/debug/libfoo.debug, no longer used");
}

TEST_F(SymbolIndexTest, AZeroLengthFileIsTruncated) {
  std::string p = path("zero.idx");
  write_bytes(p, "");
  SymbolIndex::Opened opened = SymbolIndex::open(p, kKey);
  EXPECT_EQ(opened.index, nullptr);
  EXPECT_EQ(opened.rejection, IndexRejection::kTruncated);
}

TEST_F(SymbolIndexTest, ATextFileIsNotAnIndexFile) {
  std::string p = path("text.idx");
  write_bytes(p, "This is not an index, but it is longer than a header would be. " + std::string(300, 'x') + "\n");
  SymbolIndex::Opened opened = SymbolIndex::open(p, kKey);
  EXPECT_EQ(opened.index, nullptr);
  EXPECT_EQ(opened.rejection, IndexRejection::kCorrupt);
  EXPECT_EQ(opened.reason, "not an index file");
}

TEST_F(SymbolIndexTest, ADirectoryIsUnreadable) {
  SymbolIndex::Opened opened = SymbolIndex::open(dir_.string(), kKey);
  EXPECT_EQ(opened.index, nullptr);
  EXPECT_EQ(opened.rejection, IndexRejection::kUnreadable);
}

// Any prefix of an index: refused, never a crash.
TEST_F(SymbolIndexTest, EveryPrefixOfAnIndexIsRefused) {
  std::string p = write_sample();
  std::string bytes = read_bytes(p);
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    write_bytes(p, bytes.substr(0, size));
    SymbolIndex::Opened opened = SymbolIndex::open(p, kKey);
    EXPECT_EQ(opened.index, nullptr) << size;
    EXPECT_EQ(opened.rejection, IndexRejection::kTruncated) << size;
  }
}

// Any one byte changed, with the checksum made to match it (as only a writer
// bug or a crafted file could): opened or refused, and lookups never crash.
TEST_F(SymbolIndexTest, AnyChangedByteWithAMatchingChecksumNeverCrashes) {
  std::string p = write_sample();
  const std::string bytes = read_bytes(p);
  for (std::size_t at = 0; at < bytes.size(); ++at) {
    if (at >= kChecksumOffset && at < kChecksumOffset + 4) continue;
    for (unsigned char value : {0x00, 0x01, 0x80, 0xff}) {
      std::string changed = bytes;
      changed[at] = static_cast<char>(value);
      fix_checksum(changed);
      write_bytes(p, changed);
      SymbolIndex::Opened opened = SymbolIndex::open(p, kKey);
      if (opened.index == nullptr) continue;
      for (uint64_t address : {0x0ull, 0x1000ull, 0x1044ull, 0x104cull, 0x1080ull, 0x2004ull, 0x3010ull}) {
        (void)opened.index->symbol(kFilePart, address);
        (void)opened.index->symbol(kDebugPart, address);
        (void)opened.index->function_start(kStartsPart, address);
        (void)opened.index->frames(kDwarfPart, address);
      }
      (void)opened.index->own_table();
    }
  }
}

// ---- writing ----

TEST_F(SymbolIndexTest, WriteCreatesMissingDirectories) {
  std::string p = path("a/b/c/sample.idx");
  SymbolIndex::write(p, kKey, sample_contents());
  EXPECT_NE(SymbolIndex::open(p, kKey).index, nullptr);
}

TEST_F(SymbolIndexTest, WriteIntoAReadOnlyDirectoryThrowsNamingThePathAndLeavesNoTemporaryFile) {
  fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                            fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);  // 0555
  const std::string p = path("sample.idx");
  // In a child process (a death test), as the user nobody when the test runs
  // as root, who ignores permission bits: the exit status says what happened.
  auto write_as_a_user = [&] {
    constexpr unsigned kNobody = 65534;
    if (geteuid() == 0 && (setgroups(0, nullptr) != 0 || setresgid(kNobody, kNobody, kNobody) != 0 ||
                           setresuid(kNobody, kNobody, kNobody) != 0)) {
      std::fputs("cannot become the user nobody", stderr);
      std::_Exit(3);
    }
    try {
      SymbolIndex::write(p, kKey, sample_contents());
      std::fputs("no exception", stderr);
      std::_Exit(1);
    } catch (const std::system_error& e) {
      const bool named =
          e.code() == std::errc::permission_denied && std::string(e.what()) == "cannot write " + p + ": Permission denied";
      if (!named) std::fputs(e.what(), stderr);
      std::_Exit(named ? 0 : 2);
    }
  };
  EXPECT_EXIT(write_as_a_user(), ::testing::ExitedWithCode(0), "^$");
  EXPECT_EQ(files_in_dir(), std::vector<std::string>{});
}

TEST_F(SymbolIndexTest, ConcurrentWritersLeaveOneValidIndexAndNoTemporaryFiles) {
  std::string p = path("shared.idx");
  auto writer = [&](std::string name) {
    IndexContents contents;
    contents.parts[kFilePart].symbols = {{0x1000, 0x10, name}};
    for (int i = 0; i < 20; ++i) SymbolIndex::write(p, kKey, contents);
  };
  std::thread first(writer, "first"), second(writer, "second");
  first.join();
  second.join();
  SymbolIndex::Opened opened = SymbolIndex::open(p, kKey);
  ASSERT_NE(opened.index, nullptr) << opened.reason;
  std::string name = name_or_none(opened.index->symbol(kFilePart, 0x1000));
  EXPECT_TRUE(name == "first" || name == "second") << name;
  EXPECT_EQ(files_in_dir(), std::vector<std::string>{"shared.idx"});
}

// ---- where indexes live ----

TEST(IndexPath, IsNamedByTheBuildIdAndTheFnv1aHashOfTheSourcePaths) {
  IndexKey key{"0123abcd", {{"/opt/app/libfoo.so", 1, 2}}};
  // FNV-1a 64 of "/opt/app/libfoo.so\0", computed independently.
  EXPECT_EQ(index_path("/cache/hprof-text", key), "/cache/hprof-text/0123abcd-1d99543a77ed9fb9.idx");
}

TEST(IndexPath, WithoutABuildIdIsNamedByTheHashAlone) {
  IndexKey key{"", {{"/opt/app/libfoo.so", 1, 2}}};
  EXPECT_EQ(index_path("/cache/hprof-text", key), "/cache/hprof-text/path-1d99543a77ed9fb9.idx");
}

TEST(IndexPath, CopiesOfOneBuildOrAnotherDebugFileGetIndexesOfTheirOwn) {
  IndexKey original{"0123abcd", {{"/usr/lib/libfoo.so", 1, 2}}};
  IndexKey copy{"0123abcd", {{"/srv/prod/usr/lib/libfoo.so", 1, 2}}};
  IndexKey with_debug{"0123abcd", {{"/usr/lib/libfoo.so", 1, 2}, {"/usr/lib/debug/libfoo.so.debug", 3, 4}}};
  IndexKey changed{"0123abcd", {{"/usr/lib/libfoo.so", 5, 6}}};
  EXPECT_NE(index_path("/c", original), index_path("/c", copy));
  EXPECT_NE(index_path("/c", original), index_path("/c", with_debug));
  EXPECT_EQ(index_path("/c", original), index_path("/c", changed));  // the same file, changed: stale, found
}

TEST(DefaultCacheDir, IsUnderAnAbsoluteXdgCacheHome) {
  ScopedEnv xdg("XDG_CACHE_HOME", "/var/cache/me");
  ScopedEnv home("HOME", "/home/me");
  EXPECT_EQ(default_cache_dir(), "/var/cache/me/hprof-text");
}

TEST(DefaultCacheDir, IgnoresARelativeXdgCacheHome) {
  ScopedEnv xdg("XDG_CACHE_HOME", "relative/cache");
  ScopedEnv home("HOME", "/home/me");
  EXPECT_EQ(default_cache_dir(), "/home/me/.cache/hprof-text");
}

TEST(DefaultCacheDir, WithoutXdgCacheHomeIsUnderHome) {
  ScopedEnv xdg("XDG_CACHE_HOME", std::nullopt);
  ScopedEnv home("HOME", "/home/me");
  EXPECT_EQ(default_cache_dir(), "/home/me/.cache/hprof-text");
}

TEST(DefaultCacheDir, IsEmptyWithoutXdgCacheHomeAndHome) {
  ScopedEnv xdg("XDG_CACHE_HOME", std::nullopt);
  ScopedEnv home("HOME", std::nullopt);
  EXPECT_EQ(default_cache_dir(), "");
}

TEST_F(SymbolIndexTest, IndexSourceIsTheFilesSizeAndNanosecondMtime) {
  std::string p = path("libfoo.so");
  write_bytes(p, "12345");
  struct timespec times[2] = {{1700000000, 123456789}, {1700000000, 123456789}};
  ASSERT_EQ(utimensat(AT_FDCWD, p.c_str(), times, 0), 0);
  EXPECT_EQ(index_source_of(p), (IndexSource{p, 5, 1700000000123456789}));
}

TEST_F(SymbolIndexTest, IndexSourceOfAMissingFileIsNullopt) {
  EXPECT_EQ(index_source_of(path("none.so")), std::nullopt);
}

}  // namespace
}  // namespace hprof
