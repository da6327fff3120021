// Finding files and facts about them: the Perl pprof's FindLibrary rule,
// function starts from FDEs (against libdw's CFI), and whether a file matches a mapping, on this
// test binary itself (no external programs; the e2e tests cover the rest).
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <gelf.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "elf_testing.h"
#include "symbolize/elf/debug_search.h"
#include "symbolize/elf/function_starts.h"
#include "symbolize/object_cache.h"
#include "symbolize/object_file.h"

namespace hprof {
namespace {

std::set<std::string> existing;
bool exists_in_set(const std::string& path) { return existing.count(path) > 0; }

TEST(FindLibrary, WithoutPrefixesIsThePathItself) {
  existing = {"/p/usr/lib/libz.so.1"};
  EXPECT_EQ(find_library("/usr/lib/libz.so.1", {}, exists_in_set), "/usr/lib/libz.so.1");
}

TEST(FindLibrary, WholePathFirstThenLeadingDirectoriesDropped) {
  existing = {"/p/lib/libz.so.1", "/p/usr/lib/libz.so.1"};
  EXPECT_EQ(find_library("/usr/lib/libz.so.1", {"/p"}, exists_in_set), "/p/usr/lib/libz.so.1");
  existing = {"/p/lib/libz.so.1", "/p/libz.so.1"};
  EXPECT_EQ(find_library("/usr/lib/libz.so.1", {"/p"}, exists_in_set), "/p/lib/libz.so.1");
  existing = {"/p/libz.so.1"};
  EXPECT_EQ(find_library("/usr/lib/libz.so.1", {"/p"}, exists_in_set), "/p/libz.so.1");
}

TEST(FindLibrary, EveryPrefixIsTriedForOneSuffixBeforeTheNextSuffix) {
  existing = {"/b/usr/lib/libz.so.1", "/a/libz.so.1"};
  EXPECT_EQ(find_library("/usr/lib/libz.so.1", {"/a", "/b"}, exists_in_set), "/b/usr/lib/libz.so.1");
}

TEST(FindLibrary, NothingFoundIsThePathItself) {
  existing = {};
  EXPECT_EQ(find_library("/usr/lib/libz.so.1", {"/a", "/b"}, exists_in_set), "/usr/lib/libz.so.1");
}

TEST(FindLibrary, ARelativePathIsLookedForAsIfRootedInEachPrefix) {
  existing = {"/p/bin/app"};
  EXPECT_EQ(find_library("bin/app", {"/p"}, exists_in_set), "/p/bin/app");
  existing = {"/p/app"};
  EXPECT_EQ(find_library("bin/app", {"/p"}, exists_in_set), "/p/app");
  existing = {"/p/app"};
  EXPECT_EQ(find_library("app", {"/p"}, exists_in_set), "/p/app");
  existing = {};
  EXPECT_EQ(find_library("bin/app", {"/p"}, exists_in_set), "bin/app");
}

class SelfElf : public ::testing::Test {
 protected:
  void SetUp() override {
    elf_version(EV_CURRENT);
    fd_ = open("/proc/self/exe", O_RDONLY);
    ASSERT_GE(fd_, 0);
    elf_ = elf_begin(fd_, ELF_C_READ_MMAP, nullptr);
    ASSERT_NE(elf_, nullptr);
  }
  void TearDown() override {
    if (elf_ != nullptr) elf_end(elf_);
    if (fd_ >= 0) close(fd_);
  }

  // Sized function symbols of this binary's .symtab, by start.
  std::vector<std::pair<uint64_t, uint64_t>> functions() { return testing::function_symbols(elf_); }

  int fd_ = -1;
  Elf* elf_ = nullptr;
};

TEST_F(SelfElf, FdesGiveTheStartsOfTheFunctionsLibdwHasCfiFor) {
  FdeExtents fdes;
  fdes.add_sections(elf_);
  fdes.finish();
  ASSERT_FALSE(fdes.empty());
  Dwarf_CFI* cfi = dwarf_getcfi_elf(elf_);
  ASSERT_NE(cfi, nullptr);
  size_t compared = 0;
  for (auto [start, size] : functions()) {
    // An FDE starts at the function when libdw's first row there does.
    Dwarf_Frame* frame = nullptr;
    if (dwarf_cfi_addrframe(cfi, start, &frame) != 0) continue;
    Dwarf_Addr row_start = 0, row_end = 0;
    int ok = dwarf_frame_info(frame, &row_start, &row_end, nullptr);
    std::free(frame);
    if (ok < 0 || row_start != start) continue;
    EXPECT_EQ(fdes.start_of(start), start) << std::hex << start;
    // Inside the function: that FDE's start, or a later one's (a function
    // may have more than one FDE), never an earlier one's.
    uint64_t inside = start + size / 2;
    auto found = fdes.start_of(inside);
    ASSERT_TRUE(found.has_value()) << std::hex << inside;
    EXPECT_GE(*found, start) << std::hex << inside;
    EXPECT_LE(*found, inside) << std::hex << inside;
    ++compared;
  }
  EXPECT_GT(compared, 100u);
  dwarf_cfi_end(cfi);
}

TEST_F(SelfElf, NoFdeHoldsAnAddressBeforeTheCode) {
  FdeExtents fdes;
  fdes.add_sections(elf_);
  fdes.finish();
  EXPECT_EQ(fdes.start_of(0), std::nullopt);
}

TEST_F(SelfElf, APageOfASegmentThatIsNotCodeIsNotHeldAsCodeMappedAgain) {
  ObjectFile self("/proc/self/exe");
  size_t count = 0;
  ASSERT_EQ(elf_getphdrnum(elf_, &count), 0);
  bool found = false;
  for (size_t i = 0; i < count; ++i) {
    GElf_Phdr phdr;
    if (gelf_getphdr(elf_, static_cast<int>(i), &phdr) == nullptr || phdr.p_type != PT_LOAD) continue;
    const uint64_t page = phdr.p_offset & ~uint64_t{0xfff};
    EXPECT_EQ(self.holds_mapping(page, 0x1000), (phdr.p_flags & PF_X) != 0) << "segment " << i;
    found = found || (phdr.p_flags & PF_X) == 0;
  }
  EXPECT_TRUE(found) << "no segment of this binary is without code";
}

TEST_F(SelfElf, BuildIdIsTheOneLibdwflReads) {
  auto id = elf_build_id(elf_);
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->size() % 2, 0u);
  ObjectFile self("/proc/self/exe");
  EXPECT_EQ(self.describe().build_id, *id);
}

TEST(ObjectFileMapping, OwnCodeMappingMatchesAndOtherSizesDoNot) {
  std::string exe = std::filesystem::read_symlink("/proc/self/exe").string();
  std::ifstream maps("/proc/self/maps");
  std::string line;
  bool found = false;
  ObjectFile self(exe);
  while (std::getline(maps, line)) {
    std::istringstream words(line);
    std::string range, perms, offset, dev, inode, path;
    words >> range >> perms >> offset >> dev >> inode >> path;
    if (path != exe || perms.find('x') == std::string::npos) continue;
    uint64_t start = std::stoull(range.substr(0, range.find('-')), nullptr, 16);
    uint64_t limit = std::stoull(range.substr(range.find('-') + 1), nullptr, 16);
    uint64_t off = std::stoull(offset, nullptr, 16);
    EXPECT_TRUE(self.matches_mapping(off, limit - start)) << line;
    EXPECT_FALSE(self.matches_mapping(off, limit - start + 0x10000)) << line;
    EXPECT_EQ(self.segment_mapping_size(off), limit - start) << line;
    found = true;
  }
  EXPECT_TRUE(found);
}

TEST(ObjectFileMapping, PagesInsideTheCodeSegmentAreHeldAndPagesPastItAreNot) {
  ObjectFile self("/proc/self/exe");
  std::ifstream maps("/proc/self/maps");
  const std::string exe = std::filesystem::read_symlink("/proc/self/exe").string();
  bool found = false;
  for (std::string line; std::getline(maps, line);) {
    std::istringstream words(line);
    std::string range, perms, offset, dev, inode, path;
    words >> range >> perms >> offset >> dev >> inode >> path;
    if (path != exe || perms.find('x') == std::string::npos) continue;
    const uint64_t size = std::stoull(range.substr(range.find('-') + 1), nullptr, 16) -
                          std::stoull(range.substr(0, range.find('-')), nullptr, 16);
    const uint64_t off = std::stoull(offset, nullptr, 16);
    ASSERT_GT(size, 0x2000u) << line;
    EXPECT_TRUE(self.holds_mapping(off, size)) << line;                     // the whole segment
    EXPECT_TRUE(self.holds_mapping(off + 0x1000, 0x1000)) << line;          // its second page
    EXPECT_TRUE(self.holds_mapping(off + size - 0x1000, 0x1000)) << line;   // its last page
    // Its last page and 128 KiB after it: past the segment with any page size.
    EXPECT_FALSE(self.holds_mapping(off + size - 0x1000, 0x21000)) << line;
    EXPECT_FALSE(self.holds_mapping(off + 0x800, 0x1000)) << line;          // not on a page boundary
    found = true;
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace hprof
