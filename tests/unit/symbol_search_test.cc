// Finding files and facts about them: the Perl pprof's FindLibrary rule,
// function starts from FDEs, and whether a file matches a mapping, on this
// test binary itself (no external programs; the e2e tests cover the rest).
#include <fcntl.h>
#include <gelf.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "symbolize/debug_search.h"
#include "symbolize/function_starts.h"
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
  std::vector<std::pair<uint64_t, uint64_t>> functions() {
    std::vector<std::pair<uint64_t, uint64_t>> out;
    for (Elf_Scn* scn = elf_nextscn(elf_, nullptr); scn != nullptr; scn = elf_nextscn(elf_, scn)) {
      GElf_Shdr shdr;
      if (gelf_getshdr(scn, &shdr) == nullptr || shdr.sh_type != SHT_SYMTAB || shdr.sh_entsize == 0) continue;
      Elf_Data* data = elf_getdata(scn, nullptr);
      for (size_t i = 1; i < shdr.sh_size / shdr.sh_entsize; ++i) {
        GElf_Sym sym;
        if (gelf_getsym(data, static_cast<int>(i), &sym) != nullptr && GELF_ST_TYPE(sym.st_info) == STT_FUNC &&
            sym.st_size > 0 && sym.st_shndx != SHN_UNDEF) {
          out.emplace_back(sym.st_value, sym.st_size);
        }
      }
    }
    return out;
  }

  int fd_ = -1;
  Elf* elf_ = nullptr;
};

TEST_F(SelfElf, FdesGiveTheSameStartsAsTheEhFrameHdrTable) {
  FunctionStarts table(elf_);
  FdeExtents fdes;
  fdes.add_sections(elf_);
  fdes.finish();
  ASSERT_FALSE(table.empty());
  ASSERT_FALSE(fdes.empty());
  size_t compared = 0;
  for (auto [start, size] : functions()) {
    if (table.start_before(start) != start) continue;  // no FDE starts there
    uint64_t inside = start + size / 2;
    EXPECT_EQ(fdes.start_of(start), start) << std::hex << start;
    // Inside the function: the FDE start, as the table's nearest start.
    if (auto expected = table.start_before(inside); expected && *expected == start) {
      EXPECT_EQ(fdes.start_of(inside), start) << std::hex << inside;
    }
    ++compared;
  }
  EXPECT_GT(compared, 100u);
}

TEST_F(SelfElf, NoFdeHoldsAnAddressBeforeTheCode) {
  FdeExtents fdes;
  fdes.add_sections(elf_);
  fdes.finish();
  EXPECT_EQ(fdes.start_of(0), std::nullopt);
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

}  // namespace
}  // namespace hprof
