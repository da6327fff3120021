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
  const TcmallocRecording recording = record_under_tcmalloc(argv, dir + "/rec", {"HEAP_PROFILE_INUSE_INTERVAL=67108864"});
  if (!move_perf_map(recording.run.pid, map)) throw std::runtime_error("the JVM wrote no perf map: " + recording.run.err);
  const std::vector<std::string>& dumps = recording.dumps;
  std::ofstream(done) << "ok\n";
  return {dumps.back(), map};
}

}  // namespace e2e
