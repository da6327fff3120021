// Code mapped a second time (docs/compat.md): a part of a file's code
// segment that the process mapped again from the file, as node (V8) maps its
// builtins, is that file's code when another mapping of the file is a whole
// segment as the loader maps it.  The file is a copy of this test binary.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "cli_harness.h"
#include "self_profiles.h"

namespace hprof {
namespace {

using testing::kHeader;
using testing::kSelfBase;
using testing::one_row;
using testing::Outcome;
using testing::run_with;
using testing::self_code_pages;
using testing::self_layout;
using testing::SelfLayout;

// Where the profiles map the page of hprof_self_marker again.
constexpr uint64_t kCopyBase = 0x7f0000000000;

class CliCodeMappedTwice : public testing::SelfProfileTest {
 protected:
  // hprof_self_marker's file offset, and that of the page that holds it.
  static uint64_t marker_offset() {
    const SelfLayout& l = self_layout();
    return l.marker - l.code_vaddr + l.code_offset;
  }
  static uint64_t marker_page() { return marker_offset() & ~uint64_t{0xfff}; }

  // A maps line: `size` bytes of `path` from file offset `offset`, at `start`.
  static std::string code_line(uint64_t start, uint64_t size, uint64_t offset, const std::string& path) {
    return fmt::format("{:x}-{:x} r-xp {:08x} 08:01 42 {}\n", start, start + size, offset, path);
  }
  // The loader's mapping of the code segment of `path`.
  static std::string loaders_line(const std::string& path) {
    const testing::SelfCodePages code = self_code_pages();
    return code_line(kSelfBase + code.vaddr, code.size, code.offset, path);
  }

  // One record of 3000 bytes at a PC in hprof_self_marker, in the page mapped
  // again at kCopyBase; the maps: `maps_lines`.
  Outcome report_in_copy(const std::string& maps_lines) {
    const uint64_t pc = kCopyBase + marker_offset() - marker_page() + 1;
    const std::string profile = std::string(kHeader) + fmt::format("   3:  3000 [   3:  3000] @ 0x{:x}\n", pc) +
                                "\nMAPPED_LIBRARIES:\n" + maps_lines;
    return run_with({"--show_bytes", "--no-cache", write("app.heap", profile)});
  }
};

TEST_F(CliCodeMappedTwice, APageOfTheCodeSegmentMappedAgainIsNamedFromTheFile) {
  const std::string path = copy_of_self("app");
  const Outcome o = report_in_copy(loaders_line(path) + code_line(kCopyBase, 0x1000, marker_page(), path));
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, one_row("hprof_self_marker"));
  EXPECT_EQ(o.err, "");
}

TEST_F(CliCodeMappedTwice, APageMappedWithoutAWholeSegmentOfTheFileIsOneWarning) {
  // Nothing shows that the file on disk is the one the process mapped.
  const std::string path = copy_of_self("app");
  const Outcome o = report_in_copy(code_line(kCopyBase, 0x1000, marker_page(), path));
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, one_row("[app]"));
  EXPECT_EQ(o.err, fmt::format("hprof-text: warning: {}: the file on disk does not match the profile's mapping of it "
                               "(the profile maps 0x1000 bytes of code at file offset 0x{:x}, inside a segment of the "
                               "file, but none of its segments whole to show that the process mapped this file): it "
                               "is not the binary the profile was recorded with; its frames are shown as [app] (give "
                               "the exact binaries: PROGRAM, --lib_prefix)\n",
                               path, marker_page()));
}

TEST_F(CliCodeMappedTwice, AMappingThatRunsPastTheSegmentIsOneWarning) {
  // From the marker's page to 128 KiB past the segment's end: past it with any page size.
  const std::string path = copy_of_self("app");
  const testing::SelfCodePages code = self_code_pages();
  const uint64_t size = code.offset + code.size - marker_page() + 0x20000;
  const Outcome o = report_in_copy(loaders_line(path) + code_line(kCopyBase, size, marker_page(), path));
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, one_row("[app]"));
  EXPECT_EQ(o.err, fmt::format("hprof-text: warning: {}: the file on disk does not match the profile's mapping of it "
                               "(the profile maps 0x{:x} bytes of code at file offset 0x{:x}, the file's segment there "
                               "maps 0x{:x}): it is not the binary the profile was recorded with; its frames are "
                               "shown as [app] (give the exact binaries: PROGRAM, --lib_prefix)\n",
                               path, size, marker_page(), code.size));
}

}  // namespace
}  // namespace hprof
