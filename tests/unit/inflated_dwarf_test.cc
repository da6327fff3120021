// The fast path for zlib-compressed DWARF (InflatedDwarf) against libdwfl's
// own reading of the same DWARF, and the separate debug file found by the
// .gnu_debuglink CRC when a file has no build-id: on copies of the DWARF
// fixture (tests/fixtures/dwarf) made with objcopy (run by the test; the tool
// itself runs nothing).  objcopy is a dependency: a copy it cannot make fails
// the suite.
#include "symbolize/dwarf/inflated_dwarf.h"
#include "symbolize/dwarf/resume_points.h"

#include <elfutils/libdwelf.h>
#include <fcntl.h>
#include <gelf.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "elf_testing.h"
#include "symbolize/object_file.h"

namespace hprof {
namespace {

namespace fs = std::filesystem;

bool run(const std::string& command) { return std::system((command + " 2>/dev/null").c_str()) == 0; }

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

bool objcopy(const std::string& options, const fs::path& in, const fs::path& out) {
  fs::create_directories(out.parent_path());
  return run(std::string(HPROF_OBJCOPY) + " " + options + " " + quoted(in) + " " + quoted(out));
}

// Opens `path` with libelf for the duration of a callback.
template <typename F>
auto with_elf(const fs::path& path, F f) {
  elf_version(EV_CURRENT);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  Elf* elf = fd >= 0 ? elf_begin(fd, ELF_C_READ_MMAP, nullptr) : nullptr;
  auto result = f(elf);
  if (elf != nullptr) elf_end(elf);
  if (fd >= 0) close(fd);
  return result;
}

bool has_debug_info(const fs::path& path) {
  return with_elf(path, [](Elf* elf) {
    size_t shstrndx = 0;
    if (elf == nullptr || elf_getshdrstrndx(elf, &shstrndx) != 0) return false;
    for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
      GElf_Shdr shdr;
      const char* name = gelf_getshdr(scn, &shdr) != nullptr ? elf_strptr(elf, shstrndx, shdr.sh_name) : nullptr;
      if (name != nullptr && std::string(name) == ".debug_info" && shdr.sh_type != SHT_NOBITS) return true;
    }
    return false;
  });
}

// The start and the middle of sized functions of `path`'s .symtab, spread
// over the table (about `limit` functions).
std::vector<uint64_t> sample_addresses(const fs::path& path, size_t limit) {
  return with_elf(path, [&](Elf* elf) {
    const auto functions = testing::function_symbols(elf);
    std::vector<uint64_t> out;
    const size_t step = functions.size() / limit + 1;
    for (size_t i = 0; i < functions.size(); i += step) {
      out.push_back(functions[i].first);
      out.push_back(functions[i].first + functions[i].second / 2);
    }
    return out;
  });
}

using testing::describe;

// Both files give the same frames, named from the same source, at `address`.
::testing::AssertionResult same_answer(ObjectFile& want_file, ObjectFile& got_file, uint64_t address) {
  const ObjectLookup& want = want_file.lookup(address);
  const ObjectLookup& got = got_file.lookup(address);
  if (got.frames == want.frames && got.source == want.source) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << std::hex << "at 0x" << address << "\ngot:\n"
                                       << describe(got.frames) << "want:\n"
                                       << describe(want.frames);
}

// Copies of the fixture, made once: the DWARF plain and zlib-compressed, in
// the file and in a separate debug file.  Every copy of a layout is named
// alike, so that placeholders ("<basename>+0x...") agree.
class CompressedCopies : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::path(::testing::TempDir()) / ("hprof-inflated-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const fs::path self = HPROF_DWARF_FIXTURE;
    if (!has_debug_info(self)) {
      failure_ = self.string() + " has no DWARF";
      return;
    }
    const std::string debuglink = "--add-gnu-debuglink=" + quoted(dir_ / "debug-plain/dwarf_fixture.debug");
    bool made = objcopy("--decompress-debug-sections", self, dir_ / "plain/dwarf_fixture") &&
                objcopy("--compress-debug-sections=zlib", self, dir_ / "zlib/dwarf_fixture") &&
                objcopy("--only-keep-debug --decompress-debug-sections", self,
                        dir_ / "debug-plain/dwarf_fixture.debug") &&
                objcopy("--only-keep-debug --compress-debug-sections=zlib", self,
                        dir_ / "debug-zlib/dwarf_fixture.debug") &&
                objcopy("--strip-debug " + debuglink, self, dir_ / "stripped/dwarf_fixture") &&
                objcopy("--strip-all " + debuglink, self, dir_ / "stripped-all/dwarf_fixture");
    if (!made) failure_ = "objcopy failed (" HPROF_OBJCOPY ")";
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }
  void SetUp() override { ASSERT_EQ(failure_, "") << "the copies were not made"; }

  // Both files answer alike at the sampled addresses; some answers have a
  // source line and some an inline chain.
  static void expect_same_answers(ObjectFile& want_file, ObjectFile& got_file) {
    size_t with_lines = 0, with_inlines = 0;
    auto addresses = sample_addresses(dir_ / "plain/dwarf_fixture", 1500);
    ASSERT_GT(addresses.size(), 200u);
    for (uint64_t address : addresses) {
      ASSERT_TRUE(same_answer(want_file, got_file, address));
      const ObjectLookup& want = want_file.lookup(address);
      with_lines += want.frames.front().line > 0;
      with_inlines += want.frames.size() > 1;
    }
    EXPECT_GT(with_lines, addresses.size() / 2);
    EXPECT_GT(with_inlines, 0u);
  }

  // `stripped` with the plain and with the compressed debug file: the same
  // answers, each debug file found and only the compressed one inflated.
  // The compressed one's description.
  static ObjectDescription expect_debug_files_answer_alike(const fs::path& stripped) {
    ObjectFile plain(stripped, DebugSearch{{(dir_ / "debug-plain").string()}, nullptr});
    ObjectFile zlib(stripped, DebugSearch{{(dir_ / "debug-zlib").string()}, nullptr});
    expect_same_answers(plain, zlib);
    ObjectDescription p = plain.describe();
    EXPECT_EQ(p.debug_file, (dir_ / "debug-plain/dwarf_fixture.debug").string());
    EXPECT_FALSE(p.dwarf_inflated);
    ObjectDescription d = zlib.describe();
    EXPECT_EQ(d.debug_file, (dir_ / "debug-zlib/dwarf_fixture.debug").string());
    EXPECT_EQ(d.dwarf_file, d.debug_file);
    EXPECT_TRUE(d.dwarf_inflated);
    return d;
  }

  static inline fs::path dir_;
  static inline std::string failure_;
};

TEST_F(CompressedCopies, FastPathOpensOnlyCompressedDwarf) {
  EXPECT_NE(InflatedDwarf::open(dir_ / "zlib/dwarf_fixture"), nullptr);
  EXPECT_NE(InflatedDwarf::open(dir_ / "debug-zlib/dwarf_fixture.debug"), nullptr);
  // Plain DWARF, or none: libdwfl reads it.
  EXPECT_EQ(InflatedDwarf::open(dir_ / "plain/dwarf_fixture"), nullptr);
  EXPECT_EQ(InflatedDwarf::open(dir_ / "debug-plain/dwarf_fixture.debug"), nullptr);
  EXPECT_EQ(InflatedDwarf::open(dir_ / "stripped/dwarf_fixture"), nullptr);
}

TEST_F(CompressedCopies, FastPathTakesAnOpenFile) {
  const fs::path path = dir_ / "zlib/dwarf_fixture";
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  auto inflated = InflatedDwarf::open(path, fd);
  ASSERT_NE(inflated, nullptr);
  EXPECT_EQ(inflated->path(), path.string());
  EXPECT_NE(inflated->dwarf(), nullptr);
}

TEST_F(CompressedCopies, CompressedDwarfInTheFileAnswersAsLibdwflDoes) {
  ObjectFile plain(dir_ / "plain/dwarf_fixture");
  ObjectFile zlib(dir_ / "zlib/dwarf_fixture");
  expect_same_answers(plain, zlib);
  EXPECT_TRUE(zlib.describe().dwarf_inflated);
  EXPECT_FALSE(plain.describe().dwarf_inflated);
  EXPECT_EQ(zlib.describe().dwarf_file, (dir_ / "zlib/dwarf_fixture").string());
}

TEST_F(CompressedCopies, CompressedDebugFileBesideASymtabAnswersAsLibdwflDoes) {
  ObjectDescription d = expect_debug_files_answer_alike(dir_ / "stripped/dwarf_fixture");
  EXPECT_EQ(d.own_symbols, ".symtab");
}

TEST_F(CompressedCopies, CompressedDebugFileOfAFullyStrippedFileAnswersAsLibdwflDoes) {
  ObjectDescription d = expect_debug_files_answer_alike(dir_ / "stripped-all/dwarf_fixture");
  EXPECT_EQ(d.own_symbols, ".dynsym");
  EXPECT_TRUE(d.debug_file_has_symtab);
}

// The answers of `got_file` at `addresses` are `want_file`'s.
void expect_same_answers_at(ObjectFile& want_file, ObjectFile& got_file, const std::vector<uint64_t>& addresses) {
  for (uint64_t address : addresses) ASSERT_TRUE(same_answer(want_file, got_file, address));
}

TEST_F(CompressedCopies, ExpectedAddressesAreAnsweredFromTheirUnitsAlone) {
  ObjectFile plain(dir_ / "plain/dwarf_fixture");
  ObjectFile zlib(dir_ / "zlib/dwarf_fixture");
  const std::vector<uint64_t> addresses = sample_addresses(dir_ / "plain/dwarf_fixture", 8);
  zlib.expect(addresses);
  expect_same_answers_at(plain, zlib, addresses);
  ObjectDescription d = zlib.describe();
  EXPECT_TRUE(d.dwarf_inflated);
  EXPECT_GT(d.dwarf_units_kept, 0u);
  EXPECT_LT(d.dwarf_units_kept, d.dwarf_units) << "every unit kept: nothing was left out";
}

TEST_F(CompressedCopies, AnAddressNobodyExpectedIsStillAnsweredRight) {
  ObjectFile plain(dir_ / "plain/dwarf_fixture");
  ObjectFile zlib(dir_ / "zlib/dwarf_fixture");
  const std::vector<uint64_t> addresses = sample_addresses(dir_ / "plain/dwarf_fixture", 1500);
  zlib.expect(std::span(addresses).first(2));
  expect_same_answers(plain, zlib);  // all of them: the rest make their units kept on demand
  ObjectDescription d = zlib.describe();
  ASSERT_GT(d.dwarf_units, 0u) << "inflated in part";
  // Units of many addresses nobody announced: after a few streams on
  // demand, every unit is kept rather than streaming once per unit.
  EXPECT_EQ(d.dwarf_units_kept, d.dwarf_units);
}

TEST_F(CompressedCopies, WithoutExpectedAddressesEveryUnitIsInflated) {
  ObjectFile zlib(dir_ / "zlib/dwarf_fixture");
  zlib.lookup(sample_addresses(dir_ / "plain/dwarf_fixture", 10).front());
  ObjectDescription d = zlib.describe();
  EXPECT_TRUE(d.dwarf_inflated);
  EXPECT_EQ(d.dwarf_units, 0u) << "inflated in part";
}

// An index written after a run holds the functions that run asked about:
// a later run answers them from it, asks the DWARF for the others, and
// writes the index again grown by them; the run after that asks the DWARF
// nothing.  With compressed DWARF the functions are swept while their units
// stream; with plain DWARF, after the lookups.
void expect_index_grows(const fs::path& file, const fs::path& cache, ObjectFile& plain,
                        const std::vector<uint64_t>& all) {
  const std::vector<uint64_t> few(all.begin(), all.begin() + 8);
  {
    ObjectFile first(file, {}, cache.string());
    first.expect(few);
    expect_same_answers_at(plain, first, few);
    ASSERT_TRUE(first.index_wanted()) << "no index yet";
    first.write_index();
  }
  {
    ObjectFile second(file, {}, cache.string());
    second.expect(few);
    expect_same_answers_at(plain, second, few);
    EXPECT_FALSE(second.index_wanted()) << "the first run's addresses are in the index";
    second.expect(all);
    expect_same_answers_at(plain, second, all);
    EXPECT_TRUE(second.index_wanted()) << "other addresses were asked of the DWARF: the index grows";
    second.write_index();
  }
  ObjectFile third(file, {}, cache.string());
  third.expect(all);
  expect_same_answers_at(plain, third, all);
  EXPECT_FALSE(third.index_wanted()) << "every address is in the grown index";
}

TEST_F(CompressedCopies, AnIndexOfCompressedDwarfGrowsByTheFunctionsALaterRunAsksAbout) {
  ObjectFile plain(dir_ / "plain/dwarf_fixture");
  expect_index_grows(dir_ / "zlib/dwarf_fixture", dir_ / "cache-zlib", plain,
                     sample_addresses(dir_ / "plain/dwarf_fixture", 1500));
}

TEST_F(CompressedCopies, AnIndexOfPlainDwarfGrowsByTheFunctionsALaterRunAsksAbout) {
  ObjectFile plain(dir_ / "plain/dwarf_fixture");
  expect_index_grows(dir_ / "plain/dwarf_fixture", dir_ / "cache-plain", plain,
                     sample_addresses(dir_ / "plain/dwarf_fixture", 1500));
}

// The resume points file (FILE.inflate) beside the index a run wrote under
// `cache`; empty when there is none.
fs::path resume_points_in(const fs::path& cache) {
  for (const auto& entry : fs::directory_iterator(cache)) {
    if (entry.path().extension() == ".inflate") return entry.path();
  }
  return {};
}

// A first run over a few addresses of the compressed DWARF, writing its
// index and the points where a later run may resume inflating .debug_info.
void first_run(const fs::path& file, const fs::path& cache, const std::vector<uint64_t>& few) {
  ObjectFile first(file, {}, cache.string());
  first.expect(few);
  for (uint64_t address : few) first.lookup(address);
  first.write_index();
}

TEST_F(CompressedCopies, ALaterRunInflatesTheUnitsItsIndexLacksFromTheResumePoints) {
  ObjectFile plain(dir_ / "plain/dwarf_fixture");
  const std::vector<uint64_t> all = sample_addresses(dir_ / "plain/dwarf_fixture", 1500);
  const fs::path cache = dir_ / "cache-resume";
  first_run(dir_ / "zlib/dwarf_fixture", cache, {all.begin(), all.begin() + 8});
  ASSERT_FALSE(resume_points_in(cache).empty()) << "the first run streamed .debug_info: it kept resume points";
  ObjectFile second(dir_ / "zlib/dwarf_fixture", {}, cache.string());
  second.expect(all);
  expect_same_answers_at(plain, second, all);
  const ObjectDescription d = second.describe();
  EXPECT_TRUE(d.dwarf_resumed);
  EXPECT_GT(d.dwarf_units_kept, 0u);
}

TEST_F(CompressedCopies, ADamagedResumePointsFileIsStreamedPastAndWrittenAgain) {
  ObjectFile plain(dir_ / "plain/dwarf_fixture");
  const std::vector<uint64_t> all = sample_addresses(dir_ / "plain/dwarf_fixture", 1500);
  const fs::path cache = dir_ / "cache-resume-damaged";
  first_run(dir_ / "zlib/dwarf_fixture", cache, {all.begin(), all.begin() + 8});
  const fs::path points = resume_points_in(cache);
  ASSERT_FALSE(points.empty());
  {
    std::fstream file(points, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(fs::file_size(points) / 2));
    file.put('\x5a');
  }
  {
    ObjectFile second(dir_ / "zlib/dwarf_fixture", {}, cache.string());
    second.expect(all);
    expect_same_answers_at(plain, second, all);
    EXPECT_FALSE(second.describe().dwarf_resumed) << "points that fail their checksum are not used";
    second.write_index();
  }
  EXPECT_TRUE(ResumePoints::read(points.string()).has_value()) << "the second run wrote them again";
}

// A file without a build-id and its debug file, found under --debug-dir by
// the CRC that objcopy wrote into .gnu_debuglink; a debug file of that name
// with other contents is refused.
class DebuglinkCrc : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::path(::testing::TempDir()) / ("hprof-debuglink-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const fs::path self = HPROF_DWARF_FIXTURE;
    const fs::path no_id = dir_ / "no-id/dwarf_fixture";
    bool made = objcopy("--remove-section=.note.gnu.build-id", self, no_id) &&
                objcopy("--only-keep-debug", no_id, dir_ / "debug/dwarf_fixture.debug") &&
                objcopy("--strip-debug --add-gnu-debuglink=" + quoted(dir_ / "debug/dwarf_fixture.debug"), no_id,
                        dir_ / "stripped/dwarf_fixture");
    if (made) {
      // The same debug file one byte longer: another CRC.
      fs::create_directories(dir_ / "other");
      fs::copy_file(dir_ / "debug/dwarf_fixture.debug", dir_ / "other/dwarf_fixture.debug");
      std::ofstream(dir_ / "other/dwarf_fixture.debug", std::ios::app | std::ios::binary) << '\0';
    }
    if (!made) failure_ = "objcopy failed (" HPROF_OBJCOPY ")";
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }
  void SetUp() override { ASSERT_EQ(failure_, "") << "the copies were not made"; }

  static inline fs::path dir_;
  static inline std::string failure_;
};

TEST_F(DebuglinkCrc, DebugFileWithTheLinkedCrcIsUsed) {
  ObjectFile file(dir_ / "stripped/dwarf_fixture", DebugSearch{{(dir_ / "debug").string()}, nullptr});
  ASSERT_EQ(file.build_id(), "");
  GElf_Word crc = 0;
  ASSERT_NE(with_elf(dir_ / "stripped/dwarf_fixture", [&](Elf* elf) { return dwelf_elf_gnu_debuglink(elf, &crc); }),
            nullptr);
  ObjectDescription d = file.describe();
  EXPECT_EQ(d.debug_file, (dir_ / "debug/dwarf_fixture.debug").string());
  EXPECT_EQ(d.dwarf_file, d.debug_file);
}

TEST_F(DebuglinkCrc, DebugFileWithAnotherCrcIsNotUsed) {
  ObjectFile file(dir_ / "stripped/dwarf_fixture", DebugSearch{{(dir_ / "other").string()}, nullptr});
  ObjectDescription d = file.describe();
  EXPECT_EQ(d.debug_file, "");
  EXPECT_EQ(d.dwarf_file, "");
}

}  // namespace
}  // namespace hprof
