#include "jemalloc_recording.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "harness.h"

namespace e2e {
namespace fs = std::filesystem;

namespace {

// jemalloc names its final dump PREFIX.PID.SEQ.f.heap; the directory holds one.
std::string the_dump_in(const std::string& dir) {
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".heap") return entry.path().string();
  }
  return {};
}

// Runs `argv` under libjemalloc's profiler into `dir` unless a recording
// newer than `inputs` is there; concurrent test processes wait on a flock.
std::string record(const std::string& name, const std::vector<std::string>& argv, const std::string& options,
                   std::vector<std::string> inputs) {
  const std::string dir = scratch_dir() + "/" + name;
  DirLock lock(dir);

  const std::string marker = dir + "/recorded";
  inputs.push_back(JEMALLOC);
  if (newer_than(marker, inputs) && !the_dump_in(dir).empty()) return the_dump_in(dir);
  for (std::string old = the_dump_in(dir); !old.empty(); old = the_dump_in(dir)) fs::remove(old);
  const CommandResult r =
      run_command(argv, {std::string("LD_PRELOAD=") + JEMALLOC,
                         "MALLOC_CONF=prof:true,prof_final:true," + options + "prof_prefix:" + dir + "/rec"});
  const std::string dump = the_dump_in(dir);
  if (r.exit_status != 0 || dump.empty()) throw std::runtime_error("recording " + name + " under jemalloc failed: " + r.err);
  std::ofstream(marker) << "ok\n";
  return dump;
}

}  // namespace

std::string jemalloc_workload_dump() {
  return record("jemalloc-cpp", {E2E_WORKLOAD}, "lg_prof_sample:0,prof_accum:true,",
                {E2E_WORKLOAD, E2E_LIBWORK, E2E_LIBSTRIPPED});
}

std::string jemalloc_jvm_dump() {
  return record("jemalloc-jvm", jvm_leak_command(), "", {E2E_JAVA_CLASSES "/DeflaterLeak.class"});
}

int jemalloc_stack_count(const std::string& dump) {
  std::ifstream in(dump);
  int stacks = 0;
  for (std::string line; std::getline(in, line);) stacks += line.rfind("@", 0) == 0;
  return stacks;
}

}  // namespace e2e
