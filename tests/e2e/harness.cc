#include "harness.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace e2e {
namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Serializes recordings across the test processes ctest runs in parallel.
class DirLock {
 public:
  explicit DirLock(const std::string& dir) {
    fs::create_directories(dir);
    fd_ = open((dir + "/.lock").c_str(), O_CREAT | O_RDWR, 0644);
    if (fd_ >= 0) flock(fd_, LOCK_EX);
  }
  ~DirLock() {
    if (fd_ >= 0) close(fd_);
  }

 private:
  int fd_ = -1;
};

bool newer_than(const std::string& file, const std::vector<std::string>& inputs) {
  std::error_code ec;
  auto t = fs::last_write_time(file, ec);
  if (ec) return false;
  for (const auto& input : inputs) {
    if (fs::last_write_time(input, ec) > t || ec) return false;
  }
  return true;
}

std::vector<std::string> sorted_dumps(const std::string& dir, const std::string& prefix) {
  std::vector<std::string> dumps;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(prefix + ".", 0) == 0 && name.size() > 5 && name.substr(name.size() - 5) == ".heap") {
      dumps.push_back(entry.path().string());
    }
  }
  std::sort(dumps.begin(), dumps.end());
  return dumps;
}

int64_t go_value(const std::string& text) {
  if (text == "0") return 0;
  std::string digits = text;
  if (!digits.empty() && digits.back() == 'B') digits.pop_back();
  return std::stoll(digits);
}

}  // namespace

std::string scratch_dir() { return E2E_SCRATCH; }

CommandResult run_command(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  static int counter = 0;
  std::string base = scratch_dir() + "/cmd." + std::to_string(getpid()) + "." + std::to_string(counter++);
  fs::create_directories(scratch_dir());
  std::string out_path = base + ".out", err_path = base + ".err";

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0644);

  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  for (const auto& extra : env) env_strings.push_back(extra);
  std::vector<char*> envp, args;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& s : argv_copy) args.push_back(s.data());
  args.push_back(nullptr);

  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot run " + argv[0]);
  int status = 0;
  waitpid(pid, &status, 0);

  CommandResult result;
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = slurp(out_path);
  result.err = slurp(err_path);
  fs::remove(out_path);
  fs::remove(err_path);
  return result;
}

CommandResult hprof_text(const std::vector<std::string>& args) {
  std::vector<std::string> argv{HPROF_TEXT};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv);
}

std::string cpp_workload_dump(const std::string& variant) {
  std::string dir = scratch_dir() + "/cpp-" + variant;
  DirLock lock(dir);
  std::string dump = dir + "/workload.0001.heap";
  if (newer_than(dump, {E2E_WORKLOAD, E2E_LIBWORK, E2E_LIBSTRIPPED, TCMALLOC})) return dump;
  for (const auto& old : sorted_dumps(dir, "workload")) fs::remove(old);
  // Dumps only at exit: the intervals are larger than anything it allocates.
  CommandResult r = run_command({E2E_WORKLOAD}, {std::string("LD_PRELOAD=") + TCMALLOC,
                                                 "HEAPPROFILE=" + dir + "/workload",
                                                 "HEAP_PROFILE_ALLOCATION_INTERVAL=1099511627776",
                                                 "HEAP_PROFILE_INUSE_INTERVAL=1099511627776"});
  if (r.exit_status != 0 || !fs::exists(dump)) {
    throw std::runtime_error("recording the workload failed: " + r.err);
  }
  return dump;
}

std::string java_program() { return std::string(E2E_JAVA_HOME) + "/bin/java"; }

std::vector<std::string> jvm_dumps() {
  std::string dir = scratch_dir() + "/jvm";
  DirLock lock(dir);
  std::string done = dir + "/recorded";
  if (newer_than(done, {E2E_JAVA_CLASSES "/DeflaterLeak.class", TCMALLOC})) return sorted_dumps(dir, "rec");
  for (const auto& old : sorted_dumps(dir, "rec")) fs::remove(old);
  // 600 Deflaters never end()ed: about 160 MB of zlib state in native memory.
  // A dump every 64 MB of growth gives a short series of dumps.
  CommandResult r = run_command({java_program(), "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", E2E_JAVA_CLASSES,
                                 "DeflaterLeak", "600"},
                                {std::string("LD_PRELOAD=") + TCMALLOC, "HEAPPROFILE=" + dir + "/rec",
                                 "HEAP_PROFILE_INUSE_INTERVAL=67108864"});
  auto dumps = sorted_dumps(dir, "rec");
  if (r.exit_status != 0 || dumps.empty()) throw std::runtime_error("recording the JVM failed: " + r.err);
  std::ofstream(done) << "ok\n";
  return dumps;
}

TextReport parse_text_report(const std::string& text) {
  static const std::regex row(R"(^\s*(-?\d+)\s+\S+\s+\S+\s+(-?\d+)\s+\S+ (.*)$)");
  TextReport report;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Total:", 0) == 0) {
      report.total_line = line;
      continue;
    }
    std::smatch m;
    if (!std::regex_match(line, m, row)) throw std::runtime_error("not a report row: " + line);
    std::string name = m[3];
    report.names.push_back(name);
    report.rows[name] = Row{std::stoll(m[1]), std::stoll(m[2])};
  }
  return report;
}

std::map<std::string, Row> parse_go_report(const std::string& text) {
  static const std::regex row(R"(^\s*(\S+)\s+\S+\s+\S+\s+(\S+)\s+\S+  (.*)$)");
  std::map<std::string, Row> rows;
  std::istringstream in(text);
  std::string line;
  bool in_table = false;
  while (std::getline(in, line)) {
    if (!in_table) {
      in_table = line.find("flat%") != std::string::npos;
      continue;
    }
    std::smatch m;
    if (std::regex_match(line, m, row)) rows[m[3]] = Row{go_value(m[1]), go_value(m[2])};
  }
  return rows;
}

}  // namespace e2e
