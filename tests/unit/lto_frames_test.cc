// Inline chains of a program linked with gcc -flto and DWARF 5 (the LTO
// fixture, tests/fixtures/lto): its code is described by an "<artificial>"
// unit whose inlined subroutines name their abstract origins in the other
// units (DW_FORM_ref_addr).  The chains expected are the fixture's source:
// raw() inlined into pool_alloc(), into obj_new(), into make_string(), into
// main(), across three files, each frame at its call site's line, as
// llvm-symbolizer gives them.  The zlib-compressed copy (made with objcopy,
// run by the test) answers the same.
#include <fcntl.h>
#include <gelf.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "elf_testing.h"
#include "symbolize/object_file.h"

namespace hprof {
namespace {

namespace fs = std::filesystem;

const std::string kSources = HPROF_LTO_FIXTURE_SOURCES;

// The number of the first line of the fixture's `file` that holds `text`.
uint32_t fixture_line(const std::string& file, const std::string& text) {
  std::ifstream in(kSources + "/" + file);
  std::string line;
  for (uint32_t number = 1; std::getline(in, line); ++number) {
    if (line.find(text) != std::string::npos) return number;
  }
  ADD_FAILURE() << file << " has no line with " << text;
  return 0;
}

Frame fixture_frame(const std::string& function, const std::string& file, const std::string& text, bool inlined) {
  Frame frame;
  frame.function = function;
  frame.file = kSources + "/" + file;
  frame.line = fixture_line(file, text);
  frame.inlined = inlined;
  return frame;
}

// The chain at the call of malloc, innermost first: each frame at the line
// of its call of the next inner one.
FrameChain chain_in_raw() {
  return {fixture_frame("raw", "alloc.cc", "static inline void* raw(", true),
          fixture_frame("pool_alloc", "alloc.cc", "void* pool_alloc(", true),
          fixture_frame("obj_new", "object.cc", "static inline void* obj_new(", true),
          fixture_frame("make_string", "object.cc", "void* make_string(", true),
          fixture_frame("main", "main.cc", "= make_string(", false)};
}

// main's [start, end) in the fixture's .symtab: all its code, the rest
// inlined into it.
std::pair<uint64_t, uint64_t> main_range(const fs::path& path) {
  elf_version(EV_CURRENT);
  std::pair<uint64_t, uint64_t> range{0, 0};
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  Elf* elf = fd >= 0 ? elf_begin(fd, ELF_C_READ_MMAP, nullptr) : nullptr;
  for (Elf_Scn* scn = elf != nullptr ? elf_nextscn(elf, nullptr) : nullptr; scn != nullptr;
       scn = elf_nextscn(elf, scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr || shdr.sh_type != SHT_SYMTAB || shdr.sh_entsize == 0) continue;
    Elf_Data* data = elf_getdata(scn, nullptr);
    for (size_t i = 1; i < shdr.sh_size / shdr.sh_entsize; ++i) {
      GElf_Sym sym;
      const char* name = gelf_getsym(data, static_cast<int>(i), &sym) != nullptr
                             ? elf_strptr(elf, shdr.sh_link, sym.st_name)
                             : nullptr;
      if (name != nullptr && std::string(name) == "main") range = {sym.st_value, sym.st_value + sym.st_size};
    }
  }
  if (elf != nullptr) elf_end(elf);
  if (fd >= 0) close(fd);
  return range;
}

using testing::describe;

class LtoFrames : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::path(::testing::TempDir()) / ("hprof-lto-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const std::string command = std::string(HPROF_OBJCOPY) + " --compress-debug-sections=zlib '" +
                                HPROF_LTO_FIXTURE + "' '" + (dir_ / "lto_fixture").string() + "' 2>/dev/null";
    compressed_ = std::system(command.c_str()) == 0;
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  // Every address of main: each answer's chain ends in main.
  static std::vector<uint64_t> main_addresses() {
    auto [start, end] = main_range(HPROF_LTO_FIXTURE);
    EXPECT_LT(start, end) << "no main in " << HPROF_LTO_FIXTURE;
    std::vector<uint64_t> out;
    for (uint64_t address = start; address < end; ++address) out.push_back(address);
    return out;
  }

  static inline fs::path dir_;
  static inline bool compressed_ = false;
};

TEST_F(LtoFrames, TheCallOfMallocHasTheWholeChainAcrossUnits) {
  ObjectFile file(HPROF_LTO_FIXTURE);
  const FrameChain want = chain_in_raw();
  size_t in_raw = 0;
  for (uint64_t address : main_addresses()) {
    const FrameChain& chain = file.lookup(address).frames;
    if (chain.front().function != "raw") continue;
    ++in_raw;
    ASSERT_EQ(chain, want) << std::hex << "at 0x" << address << "\ngot:\n" << describe(chain);
  }
  EXPECT_GT(in_raw, 0u) << "no address of main is in raw(), inlined";
}

TEST_F(LtoFrames, EveryAddressOfMainEndsInMainWithALine) {
  ObjectFile file(HPROF_LTO_FIXTURE);
  const FrameChain full = chain_in_raw();
  size_t inlined = 0;
  for (uint64_t address : main_addresses()) {
    const ObjectLookup& lookup = file.lookup(address);
    const FrameChain& chain = lookup.frames;
    EXPECT_EQ(lookup.source, NamedBy::kFileSymbols);
    ASSERT_LE(chain.size(), full.size()) << std::hex << "at 0x" << address << "\n" << describe(chain);
    // The outer frames are those of the full chain, at its call sites.
    for (size_t i = 1; i < chain.size(); ++i) {
      ASSERT_EQ(chain[chain.size() - i], full[full.size() - i]) << std::hex << "at 0x" << address << "\n"
                                                                << describe(chain);
    }
    EXPECT_EQ(chain.front().function, full[full.size() - chain.size()].function);
    EXPECT_GT(chain.front().line, 0u) << std::hex << "at 0x" << address;
    inlined += chain.size() > 1;
  }
  EXPECT_GT(inlined, 0u);
}

TEST_F(LtoFrames, TheCompressedCopyAnswersTheSame) {
  ASSERT_TRUE(compressed_) << "objcopy failed (" HPROF_OBJCOPY ")";
  ObjectFile plain(HPROF_LTO_FIXTURE);
  ObjectFile zlib(dir_ / "lto_fixture");
  EXPECT_TRUE(zlib.describe().dwarf_inflated);
  size_t in_raw = 0;
  for (uint64_t address : main_addresses()) {
    const FrameChain& want = plain.lookup(address).frames;
    ASSERT_EQ(zlib.lookup(address).frames, want) << std::hex << "at 0x" << address;
    in_raw += want.front().function == "raw";
  }
  EXPECT_GT(in_raw, 0u);
}

TEST_F(LtoFrames, TheCompressedCopyAnswersExpectedAddressesTheSame) {
  ASSERT_TRUE(compressed_) << "objcopy failed (" HPROF_OBJCOPY ")";
  ObjectFile plain(HPROF_LTO_FIXTURE);
  ObjectFile zlib(dir_ / "lto_fixture");
  const std::vector<uint64_t> addresses = main_addresses();
  zlib.expect(addresses);
  size_t in_raw = 0;
  for (uint64_t address : addresses) {
    const FrameChain& want = plain.lookup(address).frames;
    ASSERT_EQ(zlib.lookup(address).frames, want) << std::hex << "at 0x" << address;
    in_raw += want.front().function == "raw";
  }
  EXPECT_GT(in_raw, 0u);
}

}  // namespace
}  // namespace hprof
