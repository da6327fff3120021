// Degrade, don't die (docs/errors.md, "Warnings that do not stop the
// report"): a profile damaged in part, or a memory map naming files that are
// not what they should be, still gets its report, status 0, with at most one
// warning per cause.  The objects are copies of this test binary, cut short
// or corrupted in a scratch directory.
#include <fcntl.h>
#include <gelf.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_harness.h"
#include "common/paths.h"
#include "self_profiles.h"

namespace hprof {
namespace {

using testing::kHeader;
using testing::one_row;
using testing::Outcome;
using testing::run_with;
using testing::self_layout;
using testing::SelfLayout;
using testing::with_header;
namespace fs = std::filesystem;

class CliDegrade : public testing::SelfProfileTest {
 protected:
  // Overwrites `length` bytes at `offset` of the file at `path` with `byte`.
  static void overwrite(const std::string& path, uint64_t offset, uint64_t length, char byte) {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(offset));
    const std::string bytes(length, byte);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
};

// The warning for an object that cannot be used, and why.
std::string unusable(const std::string& path, const std::string& why) {
  return "hprof-text: warning: " + path + ": " + why + "; its frames are shown as [" + basename_of(path) +
         "] (copy the file here, give the program path on the command line, or point --lib_prefix at a copy of the "
         "files)\n";
}

// ---------------------------------------------------------------- the profile itself

TEST_F(CliDegrade, DumpCutShortInARecordReportsTheCompleteRecords) {
  const std::string path = write("cut.heap", std::string(kHeader) +
                                                 "   2:  2000 [   2:  2000] @ 0x1000\n"
                                                 "   1:  1000 [   1:  1000] @ 0x2000\n"
                                                 "   5:  5000 [   5:");
  Outcome o = run_with({"--show_bytes", path});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, one_row("<unknown>"));
  EXPECT_EQ(o.err, "hprof-text: warning: " + path +
                       ":4: last record is incomplete (file cut short?); it was skipped\n"
                       "hprof-text: warning: " +
                       path +
                       ": no memory map (MAPPED_LIBRARIES:) in the profile; addresses cannot be named (was the "
                       "dump cut short?)\n");
}

TEST_F(CliDegrade, DumpCutShortInTheMapsReportsWithTheCompleteMapsLines) {
  const std::string full = profile_mapping(copy_of_self("app"));
  const std::string path = write("cut.heap", full + "7f0000000000-7f00000");
  Outcome o = run_with({"--show_bytes", "--no-cache", path});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, one_row("hprof_self_marker"));
  EXPECT_EQ(o.err, "hprof-text: warning: " + path +
                       ":6: last memory map line is incomplete (file cut short?); it was skipped\n");
}

TEST_F(CliDegrade, ManyEmptyStacksInSeveralProfilesAreOneWarning) {
  std::string records;
  for (int i = 0; i < 50; ++i) records += "   1:  1000 [   1:  1000] @\n";
  const std::string text = with_header(records + "   2:  2000 [   2:  2000] @ 0x1000\n\nMAPPED_LIBRARIES:\n");
  Outcome o = run_with({"--show_bytes", write("a.heap", text), write("b.heap", text), write("c.heap", text)});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out.rfind("Total: 156000 B\n", 0), 0u) << o.out;
  EXPECT_EQ(o.err,
            "hprof-text: warning: 150 record(s) have an empty stack: they count in Total but name no function (the "
            "profiler could not unwind them)\n");
}

// ---------------------------------------------------------------- files the maps name

TEST_F(CliDegrade, ACopyOfTheObjectIsNamedWhereverItIs) {
  // The control for the cases below: an intact copy names the frame.
  const std::string path = copy_of_self("app");
  Outcome o = report_of(path);
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, one_row("hprof_self_marker"));
  EXPECT_EQ(o.err, "");
}

TEST_F(CliDegrade, PseudoFilesAreLabelsNeverOpened) {
  // Each mapping holds one PC; none is opened, none is worth a warning.
  const std::vector<std::pair<std::string, std::string>> maps = {
      {"[vdso]", "[vdso]"},
      {"[vsyscall]", "[vsyscall]"},
      {"[heap]", "[heap]"},
      {"[stack]", "[stack]"},
      {"memfd:jit-cache (deleted)", "[memfd:jit-cache]"},
      {"/memfd:doublemapper (deleted)", "[memfd:doublemapper]"},
      {"/SYSV00000000 (deleted)", "[SYSV00000000]"},
      {"anon_inode:[perf_event]", "[anon_inode:[perf_event]]"},
      {"socket:[4026]", "[socket:[4026]]"},
      {"linux-vdso.so.1", "[linux-vdso.so.1]"},
      {"/[aio] (deleted)", "[[aio]]"},
      {"/dev/dri/renderD128", "[renderD128]"},
  };
  std::string records, lines, expected;
  for (size_t i = 0; i < maps.size(); ++i) {
    const uint64_t start = 0x7f0000000000 + i * 0x10000;
    records += fmt::format("   1:  {} [   1:  {}] @ 0x{:x}\n", 100 + i, 100 + i, start + 0x101);
    lines += fmt::format("{:x}-{:x} r-xp 00000000 00:05 7 {}\n", start, start + 0x1000, maps[i].first);
  }
  const std::string path = write("pseudo.heap", with_header(records + "\nMAPPED_LIBRARIES:\n" + lines));
  Outcome o = run_with({"--show_bytes", path});
  EXPECT_EQ(o.status, 0);
  for (const auto& [mapped, label] : maps) {
    EXPECT_NE(o.out.find("% " + label + "\n"), std::string::npos) << mapped << "\n" << o.out;
  }
  EXPECT_EQ(o.err, "");
}

TEST_F(CliDegrade, DirectoryInTheMapsIsOneWarning) {
  const std::string path = (dir_ / "lib").string();
  fs::create_directories(path);
  Outcome o = report_of(path);
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, one_row("[lib]"));
  EXPECT_EQ(o.err, unusable(path, "is a directory"));
}

TEST_F(CliDegrade, FifoInTheMapsIsOneWarningAndNeverOpened) {
  // Opening a FIFO for reading would wait for a writer forever.
  const std::string path = (dir_ / "pipe").string();
  ASSERT_EQ(mkfifo(path.c_str(), 0600), 0);
  Outcome o = report_of(path);
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, one_row("[pipe]"));
  EXPECT_EQ(o.err, unusable(path, "not a regular file"));
}

TEST_F(CliDegrade, PathWithSpacesIsOpened) {
  const std::string path = copy_of_self("my libs/lib self.so");
  Outcome o = report_of(path);
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, one_row("hprof_self_marker"));
  EXPECT_EQ(o.err, "");
}

TEST_F(CliDegrade, DeletedFileThatIsStillThereIsOpenedUnderItsName) {
  const std::string path = copy_of_self("app");
  Outcome o = report_of(path + " (deleted)");
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, one_row("hprof_self_marker"));
  EXPECT_EQ(o.err, "");
}

TEST_F(CliDegrade, DeletedFileThatIsGoneIsOneWarningSayingSo) {
  const std::string path = (dir_ / "app").string();
  Outcome o = report_of(path + " (deleted)");
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, one_row("[app]"));
  EXPECT_EQ(o.err, "hprof-text: warning: " + path +
                       ": No such file or directory (the profile's maps mark it deleted: it was removed or replaced "
                       "after the process mapped it); its frames are shown as [app] (point --lib_prefix at a copy "
                       "of the files, or give the program's path on the command line)\n");
}

// ---------------------------------------------------------------- objects cut short

TEST_F(CliDegrade, ObjectCutInsideItsElfHeaderIsOneWarning) {
  const std::string path = copy_of_self("cut", 40);
  Outcome o = report_of(path);
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, one_row("[cut]"));
  EXPECT_EQ(o.err, unusable(path, "the file is cut short inside its ELF header (40 bytes)"));
}

TEST_F(CliDegrade, ObjectCutAnywhereAfterItsHeaderIsOneWarning) {
  const SelfLayout& l = self_layout();
  const std::vector<std::pair<std::string, uint64_t>> cuts = {
      {"in the program headers", 100},
      {"in the code", l.code_offset + l.code_filesz / 2},
      {"in .debug_info", l.debug_info.offset + l.debug_info.size / 2},
      {"in .symtab", l.symtab.offset + l.symtab.size / 2},
      {"in the section headers", l.shoff + 100},
      {"one byte short", l.size - 1},
  };
  for (const auto& [where, size] : cuts) {
    SCOPED_TRACE(where);
    const std::string name = "cut-" + std::to_string(size);
    const std::string path = copy_of_self(name, size);
    Outcome o = report_of(path);
    EXPECT_EQ(o.status, 0);
    EXPECT_EQ(o.out, one_row("[" + name + "]"));
    EXPECT_EQ(o.err, unusable(path, fmt::format("the file is cut short or corrupt: it has {} bytes, its ELF headers "
                                                "describe {}",
                                                size, l.size)));
  }
}

// ---------------------------------------------------------------- corrupt objects

TEST_F(CliDegrade, SectionHeaderTablePointingOutsideTheFileIsOneWarning) {
  // The .symtab header's sh_offset (at 24 in an Elf64_Shdr) set far past the end.
  const SelfLayout& l = self_layout();
  const std::string path = copy_of_self("bad-shdr");
  // Find the .symtab's header: the one whose sh_offset is the symtab's.
  std::ifstream in(path, std::ios::binary);
  uint64_t header = 0;
  for (uint64_t at = l.shoff; header == 0 && at < l.size; at += sizeof(Elf64_Shdr)) {
    Elf64_Shdr shdr;
    in.seekg(static_cast<std::streamoff>(at));
    in.read(reinterpret_cast<char*>(&shdr), sizeof shdr);
    if (shdr.sh_type == SHT_SYMTAB) header = at;
  }
  ASSERT_NE(header, 0u);
  overwrite(path, header + offsetof(Elf64_Shdr, sh_offset), 1, '\x7f');
  overwrite(path, header + offsetof(Elf64_Shdr, sh_offset) + 5, 1, '\x01');  // + 0x010000000000
  Outcome o = report_of(path);
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, one_row("[bad-shdr]"));
  EXPECT_EQ(o.err.rfind("hprof-text: warning: " + path + ": the file is cut short or corrupt: it has ", 0), 0u)
      << o.err;
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
}

TEST_F(CliDegrade, ScrambledStringTableDoesNotStopTheReport) {
  // The symbol names are garbage; the DWARF still names the function.
  const SelfLayout& l = self_layout();
  const std::string path = copy_of_self("bad-strtab");
  overwrite(path, l.strtab.offset, l.strtab.size, '\xff');
  Outcome o = report_of(path);
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, one_row("hprof_self_marker"));
}

TEST_F(CliDegrade, ScrambledDwarfFallsBackToTheSymbolTable) {
  const SelfLayout& l = self_layout();
  for (const auto& [name, section] : {std::pair{std::string("bad-info"), l.debug_info},
                                      std::pair{std::string("bad-abbrev"), l.debug_abbrev}}) {
    SCOPED_TRACE(name);
    const std::string path = copy_of_self(name);
    overwrite(path, section.offset, section.size, '\xff');
    Outcome o = report_of(path);
    EXPECT_EQ(o.status, 0);
    EXPECT_EQ(o.out, one_row("hprof_self_marker"));
  }
}

TEST_F(CliDegrade, StringSectionsWithoutNulsCostNeitherMinutesNorGigabytes) {
  // Every string offset then points into megabytes without a NUL; writing
  // the symbol index (which reads every unit) once took minutes on them.
  const SelfLayout& l = self_layout();
  for (const auto& [name, section] : {std::pair{std::string("bad-str"), l.debug_str},
                                      std::pair{std::string("bad-line-str"), l.debug_line_str}}) {
    SCOPED_TRACE(name);
    if (section.size == 0) continue;  // DWARF 4 has no .debug_line_str
    const std::string path = copy_of_self(name);
    overwrite(path, section.offset, section.size, '\xff');
    const auto start = std::chrono::steady_clock::now();
    Outcome o = run_with({"--show_bytes", "--cache-dir=" + (dir_ / "cache").string(),
                          write("app.heap", profile_mapping(path))});
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
    EXPECT_EQ(o.status, 0);
    EXPECT_EQ(o.out, one_row("hprof_self_marker"));
  }
}

}  // namespace
}  // namespace hprof
