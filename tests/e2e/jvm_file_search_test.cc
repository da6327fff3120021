// Finding the JVM's files on another machine: a real JDK 17 dump whose memory
// map names paths that do not exist here (as a dump copied from production
// does), --lib_prefix, --debug-dir ahead of /usr/lib/debug, and --verbose.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "harness.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;

constexpr const char* kProdRoot = "/opt/prod-host";  // where "production" had its /usr

// The newest JVM dump with every mapped "/usr/..." path moved under kProdRoot.
std::string dump_from_prod_host() {
  std::string text = read_file(jvm_dumps().back());
  std::size_t maps = text.find("MAPPED_LIBRARIES:");
  EXPECT_NE(maps, std::string::npos);
  std::string rewritten = text.substr(0, maps);
  std::istringstream lines(text.substr(maps));
  std::string line;
  int moved = 0;
  while (std::getline(lines, line)) {
    if (auto at = line.find(" /usr/"); at != std::string::npos) {
      line.insert(at + 1, kProdRoot);
      ++moved;
    }
    rewritten += line + "\n";
  }
  EXPECT_GT(moved, 10);  // java, libjvm, libz, libc, ... all moved
  // One file for every test process: each writes its own copy and renames
  // it over the last (same contents), so none reads a half-written one.
  const std::string path = scratch_dir() + "/prod-host.heap";
  const std::string written = path + "." + std::to_string(getpid()) + ".tmp";
  std::ofstream(written, std::ios::binary) << rewritten;
  fs::rename(written, path);
  return path;
}

// hprof-text's report, PROGRAM taken from the dump's own map.
CommandResult report(std::vector<std::string> options, const std::string& dump) {
  options.push_back(dump);
  return hprof_text(options);
}

TEST(JvmFileSearch, DumpFromAnotherHostNamesOnlyObjectsWithoutLibPrefix) {
  CommandResult r = report({"--show_bytes"}, dump_from_prod_host());
  ASSERT_EQ(r.exit_status, 0) << r.err;
  TextReport text = parse_text_report(r.out);
  EXPECT_FALSE(text.rows.count("deflateInit2_"));
  EXPECT_TRUE(text.rows.count("[libz.so.1.2.13]"));
  EXPECT_TRUE(text.rows.count("[libjvm.so]"));
  // One line for one cause, not one per file.
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(" do not exist here (" + std::string(kProdRoot) + "/usr/lib/jvm/"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--lib_prefix"), std::string::npos) << r.err;
}

TEST(JvmFileSearch, LibPrefixFindsTheFilesByDroppingTheHostsLeadingDirectories) {
  // "/" + "/opt/prod-host/usr/..." and "/" + "/prod-host/usr/..." do not
  // exist; "/" + "/usr/..." does.
  CommandResult expected = report({}, jvm_dumps().back());
  CommandResult r = report({"--lib_prefix=/"}, dump_from_prod_host());
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, expected.out);
  EXPECT_NE(r.out.find("deflateInit2_"), std::string::npos);
}

TEST(JvmFileSearch, LibPrefixesAreTriedInOrder) {
  CommandResult expected = report({}, jvm_dumps().back());
  CommandResult r = report({"--lib_prefix=/nonexistent-sysroot,/"}, dump_from_prod_host());
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, expected.out);
}

std::string libjvm() { return std::string(E2E_JAVA_HOME) + "/lib/server/libjvm.so"; }

TEST(JvmFileSearch, DebugDirIsSearchedBeforeTheSystemDebugDirectory) {
  // A debug directory holding libjvm's debug file (openjdk-17-dbg's, linked)
  // in the .build-id layout: --verbose must show that this one was used.
  const std::string id = build_id_of(libjvm());
  ASSERT_EQ(id.size(), 40u);
  const std::string system_debug = build_id_path("/usr/lib/debug", id);
  ASSERT_TRUE(fs::exists(system_debug)) << "openjdk-17-dbg is not installed";
  const std::string dir = scratch_dir() + "/jvm-debug-dir." + std::to_string(getpid());
  const std::string ours = build_id_path(dir, id);
  fs::create_directories(fs::path(ours).parent_path());
  fs::remove(ours);
  fs::create_symlink(system_debug, ours);

  CommandResult expected = report({java_program()}, jvm_dumps().back());
  CommandResult r = report({"--verbose", "--debug-dir=" + dir, java_program()}, jvm_dumps().back());
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, expected.out);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.err, m, std::regex("lib/server/libjvm.so: [^\n]*")));
  EXPECT_NE(m.str().find("debug-file=" + ours), std::string::npos) << m.str();
  fs::remove_all(dir);
}

TEST(JvmFileSearch, VerboseAccountsForEveryPcOfTheDump) {
  CommandResult r = report({"--verbose", java_program()}, jvm_dumps().back());
  ASSERT_EQ(r.exit_status, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      r.err, m, std::regex(R"((\d+) distinct PCs: (\d+) named, (\d+) placeholders, (\d+) outside every mapping)")));
  const long total = std::stol(m[1]), named = std::stol(m[2]), placeholders = std::stol(m[3]),
             outside = std::stol(m[4]);
  EXPECT_EQ(named + placeholders + outside, total);
  EXPECT_GT(named, 1000);  // libjvm alone has thousands of named call sites

  // Per mapping: pcs = named + placeholders, and they add up to the summary.
  long sum_named = 0, sum_placeholders = 0;
  const std::regex per_mapping(R"( pcs=(\d+) named=(\d+) placeholders=(\d+))");
  for (auto it = std::sregex_iterator(r.err.begin(), r.err.end(), per_mapping); it != std::sregex_iterator(); ++it) {
    EXPECT_EQ(std::stol((*it)[1]), std::stol((*it)[2]) + std::stol((*it)[3]));
    sum_named += std::stol((*it)[2]);
    sum_placeholders += std::stol((*it)[3]);
  }
  EXPECT_EQ(sum_named, named);
  EXPECT_EQ(sum_placeholders, placeholders);

  // libjvm: the build-id readelf sees, names and DWARF from openjdk-17-dbg.
  ASSERT_TRUE(std::regex_search(r.err, m, std::regex("lib/server/libjvm.so: [^\n]*")));
  const std::string line = m.str();
  EXPECT_NE(line.find("build-id=" + build_id_of(libjvm())), std::string::npos) << line;
  EXPECT_NE(line.find("debug-file=/usr/lib/debug/.build-id/"), std::string::npos) << line;
  EXPECT_NE(line.find("dwarf=debug-file"), std::string::npos) << line;
  // JIT code: anonymous, counted as placeholders, never opened.
  EXPECT_NE(r.err.find("(anonymous): not used (anonymous executable memory)"), std::string::npos);
}

}  // namespace
}  // namespace e2e
