// Profiles about this test binary itself, for the tests of what the command
// line makes of the files a memory map names: one record at a PC in a
// function of its own, its code mapped from a copy of the file in the test's
// scratch directory.
#pragma once

#include <cstdint>
#include <string>

#include "cli_harness.h"

// The function the profiles' one PC is in; extern "C" for a plain symbol name.
extern "C" int hprof_self_marker(int x);

namespace hprof::testing {

// Where the profiles map the code: it is a PIE, so its link-time addresses
// plus kSelfBase are its run-time ones.
inline constexpr uint64_t kSelfBase = 0x555500000000;

// What the profiles need to know of this test binary.
struct SelfLayout {
  uint64_t size = 0;                          // of the file
  uint64_t code_offset = 0, code_vaddr = 0;   // the executable PT_LOAD
  uint64_t code_filesz = 0;
  uint64_t marker = 0;                        // hprof_self_marker's link-time address
  uint64_t shoff = 0;                         // the section header table
  struct Section {
    uint64_t offset = 0, size = 0;
  };
  Section symtab, strtab, debug_info, debug_abbrev, debug_str, debug_line_str;
};

const SelfLayout& self_layout();

// The executable segment in whole pages, as the loader maps it.
struct SelfCodePages {
  uint64_t offset = 0;  // in the file
  uint64_t vaddr = 0;   // link-time
  uint64_t size = 0;
};
SelfCodePages self_code_pages();

// The report of the one record, its frame shown as `frame`.
inline std::string one_row(const std::string& frame) {
  return "Total: 3000 B\n    3000 100.0% 100.0%     3000 100.0% " + frame + "\n";
}

class SelfProfileTest : public CliTest {
 protected:
  void SetUp() override;  // skips the test when this binary has no .symtab or no DWARF

  // A copy of this test binary at `name` in the scratch directory, its first
  // `size` bytes only when given.
  std::string copy_of_self(const std::string& name, uint64_t size = UINT64_MAX);

  // One record of 3000 bytes at a PC in hprof_self_marker, and a memory map
  // with the test binary's code mapped from `mapped_path`.
  static std::string profile_mapping(const std::string& mapped_path);

  Outcome report_of(const std::string& mapped_path) {
    return run_with({"--show_bytes", "--no-cache", write("app.heap", profile_mapping(mapped_path))});
  }
};

}  // namespace hprof::testing
