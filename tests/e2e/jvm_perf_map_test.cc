// --perf-map on a real JDK 17: the Deflater-leak scenario recorded with
// -XX:+PreserveFramePointer and the JIT's perf map (jvm_perf_map_recording.h).
// Every expected value is computed here from the raw dump and the raw map
// (which records pass through a PC, pc - 1, that an entry of a method
// covers), not by hprof-text's code.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <functional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "harness.h"
#include "jvm_perf_map_recording.h"

namespace e2e {
namespace {

struct RawRecord {
  int64_t inuse_bytes = 0;
  std::vector<uint64_t> pcs;
};

struct RawDump {
  std::vector<RawRecord> records;
  std::vector<std::pair<uint64_t, uint64_t>> anonymous_code;  // [start, limit) of "rwxp ... 0" lines without a path
};

RawDump read_dump(const std::string& path) {
  static const std::regex record(R"(^\s*\d+:\s*(\d+)\s*\[\s*\d+:\s*\d+\]\s*@(.*)$)");
  static const std::regex anonymous_code(R"(^([0-9a-f]+)-([0-9a-f]+) ..x. [0-9a-f]+ 00:00 0\s*$)");
  RawDump dump;
  std::ifstream in(path);
  std::smatch m;
  for (std::string line; std::getline(in, line);) {
    if (std::regex_match(line, m, record)) {
      RawRecord r;
      r.inuse_bytes = std::stoll(m[1]);
      std::istringstream pcs(m[2]);
      for (std::string pc; pcs >> pc;) r.pcs.push_back(std::stoull(pc, nullptr, 16));
      dump.records.push_back(std::move(r));
    } else if (std::regex_match(line, m, anonymous_code)) {
      dump.anonymous_code.emplace_back(std::stoull(m[1], nullptr, 16), std::stoull(m[2], nullptr, 16));
    }
  }
  return dump;
}

struct RawEntry {
  uint64_t start = 0, size = 0;
  std::string name;
};

std::vector<RawEntry> read_map(const std::string& path) {
  std::vector<RawEntry> entries;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    RawEntry e;
    int name_at = 0;
    if (std::sscanf(line.c_str(), "%" SCNx64 " %" SCNx64 " %n", &e.start, &e.size, &name_at) == 2) {
      e.name = line.substr(static_cast<std::size_t>(name_at));
      entries.push_back(std::move(e));
    }
  }
  return entries;
}

// The in-use bytes of the records that pass through `pc_matches` (at pc - 1).
int64_t bytes_through(const RawDump& dump, const std::function<bool(uint64_t)>& pc_matches) {
  int64_t sum = 0;
  for (const RawRecord& r : dump.records) {
    for (uint64_t pc : r.pcs) {
      if (pc_matches(pc - 1)) {
        sum += r.inuse_bytes;
        break;
      }
    }
  }
  return sum;
}

// Whether an entry whose name `names` accepts covers `address`.
bool map_names(const std::vector<RawEntry>& map, uint64_t address, const std::function<bool(const std::string&)>& names) {
  for (const RawEntry& e : map) {
    if (address >= e.start && address - e.start < e.size && names(e.name)) return true;
  }
  return false;
}

// The bytes of the records with a PC in code of the Java method `method`
// ("java.util.zip.Deflater.<init>": any overload), as HotSpot's map names it:
// "RETURN_TYPE METHOD(PARAMETERS)".
int64_t bytes_through_method(const RawDump& dump, const std::vector<RawEntry>& map, const std::string& method) {
  const std::string needle = " " + method + "(";
  return bytes_through(dump, [&](uint64_t address) {
    return map_names(map, address, [&](const std::string& name) { return name.find(needle) != std::string::npos; });
  });
}

bool in_anonymous_code(const RawDump& dump, uint64_t address) {
  for (const auto& [start, limit] : dump.anonymous_code) {
    if (address >= start && address < limit) return true;
  }
  return false;
}

struct Scenario {
  JvmPerfMapRecording recording = jvm_perf_map_recording();
  RawDump dump = read_dump(recording.dump);
  std::vector<RawEntry> map = read_map(recording.perf_map);
};

const Scenario& scenario() {
  static const Scenario s;
  return s;
}

// A copy of the map in the scratch directory, each line through `edit`
// (which may return several lines, or none).
std::string edited_map(const std::string& name, const std::function<std::string(const std::string&, int)>& edit) {
  const std::string path = scratch_dir() + "/jvm-perf-map-" + name + "." + std::to_string(::getpid()) + ".map";
  std::ifstream in(scenario().recording.perf_map);
  std::ofstream out(path);
  int n = 0;
  for (std::string line; std::getline(in, line);) out << edit(line, ++n);
  return path;
}

TextReport report_with_map(const std::string& map) {
  return bytes_report({"--perf-map=" + map}, java_program(), {scenario().recording.dump});
}

TEST(JvmPerfMap, DeflaterInitHasTheCumOfExactlyTheStacksWhoseJitPcsTheMapNamesSo) {
  const Scenario& s = scenario();
  const int64_t expected = bytes_through_method(s.dump, s.map, "java.util.zip.Deflater.<init>");
  ASSERT_GT(expected, 0) << "the JIT compiled no Deflater constructor during the recording";
  TextReport report = report_with_map(s.recording.perf_map);
  ASSERT_TRUE(report.rows.count("java.util.zip.Deflater.<init>"));
  EXPECT_EQ(report.rows["java.util.zip.Deflater.<init>"].cum, expected);
  // The Deflaters made before the JIT compiled the constructor were made by
  // the interpreter: the map cannot say which method, so they are not
  // counted here (they are under "Interpreter").
  EXPECT_LT(report.rows["java.util.zip.Deflater.<init>"].cum, report.rows["Java_java_util_zip_Deflater_init"].cum);
}

TEST(JvmPerfMap, TheTestProgramsOwnMethodAndTheJniWrapperAreJavaCallersWithTheirCum) {
  const Scenario& s = scenario();
  TextReport report = report_with_map(s.recording.perf_map);
  for (const std::string method : {"DeflaterLeak.leakDeflater", "java.util.zip.Deflater.init"}) {
    const int64_t expected = bytes_through_method(s.dump, s.map, method);
    EXPECT_GT(expected, 0) << method << " was not JIT-compiled during the recording";
    EXPECT_EQ(report.rows[method].cum, expected) << method;
  }
}

TEST(JvmPerfMap, InterpreterAndStubsKeepHotSpotsNames) {
  const Scenario& s = scenario();
  TextReport report = report_with_map(s.recording.perf_map);
  const int64_t interpreted = bytes_through(s.dump, [&](uint64_t address) {
    return map_names(s.map, address, [](const std::string& name) { return name == "Interpreter"; });
  });
  EXPECT_GT(interpreted, 0);
  EXPECT_EQ(report.rows["Interpreter"].cum, interpreted);
  EXPECT_TRUE(report.rows.count("StubRoutines (1)"));  // the call stub, between the JVM and Java
}

TEST(JvmPerfMap, TheMapWrittenAtExitCoversEveryJitPcWithoutAWarning) {
  const Scenario& s = scenario();
  CommandResult r =
      hprof_text({"--show_bytes", "--perf-map=" + s.recording.perf_map, java_program(), s.recording.dump});
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(parse_text_report(r.out).rows.count("[anon:jit]"), 0u);
}

TEST(JvmPerfMap, WithoutTheMapJitCodeIsOneAnonRowAndNoJavaName) {
  const Scenario& s = scenario();
  TextReport report = bytes_report({}, java_program(), {s.recording.dump});
  ASSERT_TRUE(report.rows.count("[anon:jit]"));
  EXPECT_EQ(report.rows["[anon:jit]"].cum,
            bytes_through(s.dump, [&](uint64_t address) { return in_anonymous_code(s.dump, address); }));
  for (const std::string name : {"java.util.zip.Deflater.<init>", "DeflaterLeak.leakDeflater", "Interpreter"}) {
    EXPECT_EQ(report.rows.count(name), 0u) << name;
  }
}

TEST(JvmPerfMap, AMalformedLineIsAWarningNamingItAndTheOtherLinesStillName) {
  const Scenario& s = scenario();
  const std::string map = edited_map("malformed", [](const std::string& line, int n) {
    return (n == 3 ? std::string("0x00007f00zz 0x10 broken\n") : "") + line + "\n";
  });
  CommandResult r = hprof_text({"--show_bytes", "--perf-map=" + map, java_program(), s.recording.dump});
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_NE(r.err.find("hprof-text: warning: " + map + ":3: START '0x00007f00zz' is not a hex number"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(count_of(r.err, "warning"), 1u) << r.err;
  EXPECT_EQ(parse_text_report(r.out).rows["java.util.zip.Deflater.<init>"].cum,
            bytes_through_method(s.dump, s.map, "java.util.zip.Deflater.<init>"));
  std::remove(map.c_str());
}

TEST(JvmPerfMap, AMapThatCoversNoJitPcIsOneWarningAndNamesNothing) {
  // The map of another process: the same code, another address.
  const Scenario& s = scenario();
  const std::string map = edited_map("elsewhere", [](const std::string& line, int) {
    RawEntry e;
    int name_at = 0;
    if (std::sscanf(line.c_str(), "%" SCNx64 " %" SCNx64 " %n", &e.start, &e.size, &name_at) != 2) return line + "\n";
    char moved[40];
    std::snprintf(moved, sizeof moved, "0x%016" PRIx64 " ", e.start - 0x100000000000);
    return moved + line.substr(line.find(' ') + 1) + "\n";
  });
  std::set<uint64_t> jit_pcs;
  for (const RawRecord& r : s.dump.records) {
    for (uint64_t pc : r.pcs) {
      if (in_anonymous_code(s.dump, pc - 1)) jit_pcs.insert(pc);
    }
  }
  CommandResult r = hprof_text({"--show_bytes", "--perf-map=" + map, java_program(), s.recording.dump});
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_EQ(r.err, "hprof-text: warning: " + s.recording.dump + ": none of the " + std::to_string(jit_pcs.size()) +
                       " distinct PCs in JIT code is in an entry of the perf map; they stay [anon:jit] (is it the map "
                       "of the process that wrote this dump? HotSpot writes /tmp/perf-<pid>.map)\n");
  TextReport report = parse_text_report(r.out);
  EXPECT_TRUE(report.rows.count("[anon:jit]"));
  for (const std::string& name : report.names) {
    EXPECT_EQ(name.find("java.util.zip.Deflater."), std::string::npos) << name;
    EXPECT_NE(name, "Interpreter");
  }
  std::remove(map.c_str());
}

}  // namespace
}  // namespace e2e
