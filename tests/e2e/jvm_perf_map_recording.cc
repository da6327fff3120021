#include "jvm_perf_map_recording.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "harness.h"

namespace e2e {
namespace fs = std::filesystem;

namespace {

// Moves the map HotSpot wrote to /tmp into `to`, leaving nothing in /tmp
// (a rename cannot cross file systems).  False when there was none.
bool move_perf_map(int pid, const std::string& to) {
  const std::string written = "/tmp/perf-" + std::to_string(pid) + ".map";
  std::error_code ec;
  const bool copied = fs::copy_file(written, to, fs::copy_options::overwrite_existing, ec);
  fs::remove(written, ec);
  return copied;
}

}  // namespace

JvmPerfMapRecording jvm_perf_map_recording() {
  const std::string dir = scratch_dir() + "/jvm-perf-map";
  DirLock lock(dir);
  const std::string done = dir + "/recorded", map = dir + "/perf.map";
  if (newer_than(done, {E2E_JAVA_CLASSES "/DeflaterLeak.class", TCMALLOC}) && fs::exists(map)) {
    return {sorted_dumps(dir, "rec").back(), map};
  }
  for (const auto& old : sorted_dumps(dir, "rec")) fs::remove(old);
  fs::remove(map);
  // The scenario's command with the JVM options for perf: frame pointers in
  // compiled code (the libunwind walk libtcmalloc does by default follows
  // them where there is no unwind info), and the map of the code cache at
  // exit.  C1 only (-XX:TieredStopAtLevel=1, in jvm_leak_command): compiled
  // code is never replaced, so the map at exit still names every address
  // that compiled code had when it allocated.
  std::vector<std::string> argv = jvm_leak_command();
  argv.insert(argv.begin() + 1,
              {"-XX:+PreserveFramePointer", "-XX:+UnlockDiagnosticVMOptions", "-XX:+DumpPerfMapAtExit"});
  CommandResult r = run_command(argv, {std::string("LD_PRELOAD=") + TCMALLOC, "HEAPPROFILE=" + dir + "/rec",
                                       "HEAP_PROFILE_INUSE_INTERVAL=67108864"});
  const bool moved = move_perf_map(r.pid, map);
  auto dumps = sorted_dumps(dir, "rec");
  if (r.exit_status != 0 || dumps.empty() || !moved) {
    throw std::runtime_error("recording the JVM with a perf map failed (" + std::to_string(dumps.size()) +
                             " dumps, map " + (moved ? "written" : "missing") + "): " + r.err);
  }
  std::ofstream(done) << "ok\n";
  return {dumps.back(), map};
}

}  // namespace e2e
