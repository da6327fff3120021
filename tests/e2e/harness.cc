#include "harness.h"

#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>

extern char** environ;

namespace e2e {
namespace fs = std::filesystem;

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

namespace {

int64_t go_value(const std::string& text) {
  if (text == "0") return 0;
  std::string digits = text;
  if (!digits.empty() && digits.back() == 'B') digits.pop_back();
  return std::stoll(digits);
}

}  // namespace

std::string scratch_dir() { return E2E_SCRATCH; }

DirLock::DirLock(const std::string& dir) {
  fs::create_directories(dir);
  fd_ = open((dir + "/.lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
  if (fd_ >= 0) flock(fd_, LOCK_EX);
}

DirLock::~DirLock() {
  if (fd_ >= 0) close(fd_);
}

bool newer_than(const std::string& file, const std::vector<std::string>& inputs) {
  std::error_code ec;
  auto t = fs::last_write_time(file, ec);
  if (ec) return false;
  for (const auto& input : inputs) {
    if (fs::last_write_time(input, ec) > t || ec) return false;
  }
  return true;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {

// argv0 itself when it names a path, else the first executable of that name
// in PATH: looked up before fork, where the child may not allocate.
std::string executable_path(const std::string& argv0) {
  if (argv0.find('/') != std::string::npos) return argv0;
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + argv0;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return argv0;
}

}  // namespace

namespace {

// A pseudo-terminal for a child's stderr, in raw mode (no "\n" made
// "\r\n"), read in a thread of its own so that the child never blocks on a
// full terminal.
struct Terminal {
  int parent_end = -1, child_end = -1;
  std::thread reader;
  std::string text;

  void open() {
    parent_end = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (parent_end < 0 || grantpt(parent_end) != 0 || unlockpt(parent_end) != 0) {
      throw std::runtime_error("cannot make a pseudo-terminal");
    }
    child_end = ::open(ptsname(parent_end), O_RDWR | O_NOCTTY | O_CLOEXEC);
    struct termios raw {};
    if (child_end < 0 || tcgetattr(child_end, &raw) != 0) throw std::runtime_error("cannot open a pseudo-terminal");
    cfmakeraw(&raw);
    if (tcsetattr(child_end, TCSANOW, &raw) != 0) throw std::runtime_error("cannot set a pseudo-terminal raw");
  }
  void start_reading() {
    close(child_end);
    child_end = -1;
    reader = std::thread([this] {
      char buffer[4096];
      ssize_t n;
      // EIO once the child, the last holder of its end, is gone.
      while ((n = read(parent_end, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)) {
        if (n > 0) text.append(buffer, static_cast<std::size_t>(n));
      }
    });
  }
  std::string finish_reading() {
    if (reader.joinable()) reader.join();
    return text;
  }
  ~Terminal() {
    if (reader.joinable()) reader.join();
    if (child_end >= 0) close(child_end);
    if (parent_end >= 0) close(parent_end);
  }
};

CommandResult run_process(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                          const RunOptions& options) {
  static std::atomic<unsigned> counter{0};  // tests run commands from several threads
  std::string base = scratch_dir() + "/cmd." + std::to_string(getpid()) + "." + std::to_string(counter++);
  fs::create_directories(scratch_dir());
  std::string out_path = base + ".out", err_path = base + ".err";

  // getenv() takes the first entry of a name: `env` replaces, not follows.
  auto name_of = [](const std::string& entry) { return entry.substr(0, entry.find('=')); };
  std::set<std::string> replaced;
  for (const auto& extra : env) replaced.insert(name_of(extra));
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    if (!replaced.count(name_of(*e))) env_strings.emplace_back(*e);
  }
  for (const auto& extra : env) env_strings.push_back(extra);
  std::vector<char*> envp, args;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& s : argv_copy) args.push_back(s.data());
  args.push_back(nullptr);
  const std::string program = executable_path(argv.at(0));

  // Everything the child needs is made here: between fork and exec it only
  // makes system calls (the test process has threads).
  const int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const int out = open(out_path.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
  const int full = open("/dev/full", O_WRONLY | O_CLOEXEC);
  int broken_pipe[2];  // its read end closed at once: nobody will ever read
  if (full < 0 || pipe2(broken_pipe, O_CLOEXEC) != 0) throw std::runtime_error("cannot make /dev/full or a pipe");
  close(broken_pipe[0]);
  int stdout_fd = out;
  if (options.stdout_to == Stdout::kDevFull) stdout_fd = full;
  if (options.stdout_to == Stdout::kBrokenPipe) stdout_fd = broken_pipe[1];
  struct sigaction sigpipe {};
  sigpipe.sa_handler = options.ignore_sigpipe ? SIG_IGN : SIG_DFL;
  const int err = options.stderr_terminal ? -1 : open(err_path.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
  Terminal terminal;
  if (options.stderr_terminal) terminal.open();
  const int stderr_fd = options.stderr_terminal ? terminal.child_end : err;
  if (in < 0 || out < 0 || stderr_fd < 0) throw std::runtime_error("cannot open the files of a command's streams");
  int exec_failed[2];  // the child writes errno here when exec fails; exec closes it
  if (pipe2(exec_failed, O_CLOEXEC) != 0) throw std::runtime_error("pipe2");
  const struct rlimit stack{options.stack_limit, options.stack_limit};
  const auto started = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    if (dup2(in, 0) < 0 || dup2(stdout_fd, 1) < 0 || dup2(stderr_fd, 2) < 0) _exit(126);
    if (options.stdout_to == Stdout::kClosed) close(1);
    if (sigaction(SIGPIPE, &sigpipe, nullptr) != 0) _exit(126);
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) _exit(126);
    if (options.stack_limit != 0 && setrlimit(RLIMIT_STACK, &stack) != 0) _exit(126);
    if (options.unprivileged && geteuid() == 0 &&
        (setgroups(0, nullptr) != 0 || setresgid(kNobody, kNobody, kNobody) != 0 ||
         setresuid(kNobody, kNobody, kNobody) != 0)) {
      _exit(126);
    }
    execve(program.c_str(), args.data(), envp.data());
    const int error = errno;
    if (write(exec_failed[1], &error, sizeof error) < 0) _exit(127);
    _exit(127);
  }
  close(exec_failed[1]);
  int exec_error = 0;
  const bool not_run = pid > 0 && read(exec_failed[0], &exec_error, sizeof exec_error) > 0;
  close(exec_failed[0]);
  close(in);
  close(out);
  close(full);
  close(broken_pipe[1]);
  if (err >= 0) close(err);
  if (options.stderr_terminal) terminal.start_reading();  // closes the child's end
  if (pid < 0) throw std::runtime_error("cannot run " + argv[0]);
  int status = 0;
  struct rusage usage {};
  while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  if (not_run) throw std::runtime_error("cannot run " + argv[0] + ": " + std::strerror(exec_error));

  CommandResult result;
  result.pid = pid;
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.max_rss_kib = usage.ru_maxrss;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  result.out = read_file(out_path);
  result.err = options.stderr_terminal ? terminal.finish_reading() : read_file(err_path);
  fs::remove(out_path);
  fs::remove(err_path);
  return result;
}

bool is_hprof_text(const std::string& program) {
  std::error_code ec;
  return fs::equivalent(program, HPROF_TEXT, ec) || fs::path(program).filename() == "hprof-text";
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                          const RunOptions& options) {
  if (is_hprof_text(executable_path(argv.at(0)))) {
    throw std::logic_error("run hprof-text with run_report or hprof_text, which keep apart the warnings about "
                           "the recording (harness.h): " + argv[0]);
  }
  if (std::any_of(env.begin(), env.end(), [](const std::string& e) { return e.rfind("HEAPPROFILE=", 0) == 0; })) {
    throw std::logic_error("record with record_under_tcmalloc, which gives every recording the same properties "
                           "(harness.h): " + argv[0]);
  }
  return run_process(argv, env, options);
}

bool describes_recording(std::string_view line) {
  // Each is a fact about one run of a real program, not about hprof-text.
  static constexpr std::string_view kPatterns[] = {
      // the profiler could not unwind a record (a real JVM run has one now and then)
      "record(s) have an empty stack",
      // JIT code compiled after the JVM wrote its perf map, or freed before
      "distinct PCs in JIT code are in no entry of the perf map",
      // records lost at gperftools' 1 MiB dump buffer (the JVM's dumps fill it), or
      // from a copy a test made with other paths in the maps (over 1 MiB: "edited")
      ": the records add up to less than the header's totals: ",
  };
  return std::any_of(std::begin(kPatterns), std::end(kPatterns),
                     [&](std::string_view pattern) { return line.find(pattern) != std::string_view::npos; });
}

CommandResult run_report(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                         const RunOptions& options) {
  CommandResult r = run_process(argv, env, options);
  std::string kept;
  std::size_t begin = 0;
  while (begin < r.err.size()) {
    std::size_t end = r.err.find('\n', begin);
    end = end == std::string::npos ? r.err.size() : end + 1;
    const std::string_view line(r.err.data() + begin, end - begin);
    (describes_recording(line) ? r.recording_warnings : kept).append(line);
    begin = end;
  }
  r.err = std::move(kept);
  return r;
}

std::string hprof_text_binary() { return HPROF_TEXT; }

std::string harness_cache_option() {
  const char* dir = std::getenv("HPROF_E2E_CACHE");
  if (dir == nullptr || dir[0] == '\0' || std::string(dir) == "off") return "--no-cache";
  return std::string("--cache-dir=") + dir;
}

CommandResult hprof_text(const std::vector<std::string>& args, const RunOptions& options) {
  std::vector<std::string> argv{HPROF_TEXT};
  const bool has_cache_option = std::any_of(args.begin(), args.end(), [](const std::string& arg) {
    return arg == "--no-cache" || arg.rfind("--cache-dir", 0) == 0;
  });
  if (!has_cache_option) argv.push_back(harness_cache_option());
  argv.insert(argv.end(), args.begin(), args.end());
  return run_report(argv, {}, options);
}

void force_recording_properties(const std::vector<std::string>& dumps) {
  static const std::regex header(R"(^heap profile:\s*(\d+):\s*(\d+)\s*\[\s*(\d+):\s*(\d+)\s*\]\s*@\s*(\S+)\s*$)");
  for (const std::string& dump : dumps) {
    std::istringstream in(read_file(dump));
    std::string first;
    std::smatch m;
    if (!std::getline(in, first) || !std::regex_match(first, m, header)) {
      throw std::runtime_error(dump + ":1: not a gperftools heap profile header: " + first);
    }
    auto grown = [&](int group, int64_t by) { return std::to_string(std::stoll(m[group]) + by); };
    const int64_t bytes = kForcedEmptyStackBytes;
    std::ostringstream out;
    out << "heap profile: " << grown(1, 1) << ": " << grown(2, bytes) << " [" << grown(3, 1) << ": "
        << grown(4, bytes) << "] @ " << m[5] << "\n";
    // The records end where the maps begin (gperftools writes an empty line
    // and MAPPED_LIBRARIES:); the forced one is the last record.
    bool added = false;
    for (std::string line; std::getline(in, line);) {
      if (!added && (line.empty() || line.rfind("MAPPED_LIBRARIES:", 0) == 0)) {
        out << "1: " << bytes << " [1: " << bytes << "] @\n";
        added = true;
      }
      out << line << "\n";
    }
    if (!added) throw std::runtime_error(dump + ": no maps after the records");
    const std::string tmp = dump + ".forced";
    std::ofstream(tmp, std::ios::binary) << out.str();
    fs::rename(tmp, dump);
  }
}

int64_t empty_stack_value(const std::string& dump, const std::string& sample_option) {
  static const std::regex empty_record(R"(^\s*(\d+):\s*(\d+)\s*\[\s*(\d+):\s*(\d+)\s*\]\s*@\s*$)");
  static const std::map<std::string, int> kGroup{{"", 2},
                                                 {"--inuse_space", 2},
                                                 {"--inuse_objects", 1},
                                                 {"--alloc_objects", 3},
                                                 {"--alloc_space", 4}};
  const int group = kGroup.at(sample_option);
  std::istringstream in(read_file(dump));
  int64_t sum = 0;
  std::smatch m;
  for (std::string line; std::getline(in, line) && line.rfind("MAPPED_LIBRARIES:", 0) != 0;) {
    if (std::regex_match(line, m, empty_record)) sum += std::stoll(m[group]);
  }
  return sum;
}

TcmallocRecording record_under_tcmalloc(const std::vector<std::string>& argv, const std::string& prefix,
                                        std::vector<std::string> env) {
  const fs::path dir = fs::path(prefix).parent_path();
  const std::string name = fs::path(prefix).filename().string();
  fs::create_directories(dir);
  for (const auto& old : sorted_dumps(dir.string(), name)) fs::remove(old);
  env.insert(env.end(), {std::string("LD_PRELOAD=") + TCMALLOC, "HEAPPROFILE=" + prefix});
  TcmallocRecording recording;
  recording.run = run_process(argv, env, {});
  recording.dumps = sorted_dumps(dir.string(), name);
  if (recording.run.exit_status != 0 || recording.dumps.empty()) {
    throw std::runtime_error("recording " + argv.at(0) + " under libtcmalloc failed (" +
                             std::to_string(recording.dumps.size()) + " dumps): " + recording.run.err);
  }
  force_recording_properties(recording.dumps);
  return recording;
}

namespace {

// Records the workload into DIR/workload.NNNN.heap (old dumps removed
// first), a dump each `inuse_interval` bytes of growth and one at exit.
std::vector<std::string> record_workload(const std::string& dir, const std::string& inuse_interval) {
  return record_under_tcmalloc({E2E_WORKLOAD}, dir + "/workload",
                               {"HEAP_PROFILE_ALLOCATION_INTERVAL=1099511627776",
                                "HEAP_PROFILE_INUSE_INTERVAL=" + inuse_interval})
      .dumps;
}

const std::vector<std::string> kWorkloadInputs{E2E_WORKLOAD, E2E_LIBWORK, E2E_LIBSTRIPPED, TCMALLOC};

}  // namespace

std::string cpp_workload_dump(const std::string& variant) {
  std::string dir = scratch_dir() + "/cpp-" + variant;
  DirLock lock(dir);
  std::string dump = dir + "/workload.0001.heap";
  if (newer_than(dump, kWorkloadInputs)) return dump;
  // Dumps only at exit: the interval is larger than anything it allocates.
  record_workload(dir, "1099511627776");
  if (!fs::exists(dump)) throw std::runtime_error("recording the workload wrote no " + dump);
  return dump;
}

std::vector<std::string> cpp_workload_series() {
  std::string dir = scratch_dir() + "/cpp-series";
  DirLock lock(dir);
  std::string done = dir + "/recorded";
  if (newer_than(done, kWorkloadInputs)) return sorted_dumps(dir, "workload");
  fs::remove(done);
  std::vector<std::string> dumps = record_workload(dir, "2097152");  // a dump every 2 MiB of growth
  std::ofstream(done) << "ok\n";
  return dumps;
}

std::string java_program() { return std::string(E2E_JAVA_HOME) + "/bin/java"; }

std::vector<std::string> jvm_leak_command() {
  return {java_program(), "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", E2E_JAVA_CLASSES, "DeflaterLeak", "600"};
}

std::vector<std::string> jvm_dumps() {
  std::string dir = scratch_dir() + "/jvm";
  DirLock lock(dir);
  std::string done = dir + "/recorded";
  if (newer_than(done, {E2E_JAVA_CLASSES "/DeflaterLeak.class", TCMALLOC})) return sorted_dumps(dir, "rec");
  // A dump every 64 MB of growth gives a short series of dumps.
  auto dumps = record_under_tcmalloc(jvm_leak_command(), dir + "/rec", {"HEAP_PROFILE_INUSE_INTERVAL=67108864"}).dumps;
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

TextReport report_of(const std::vector<std::string>& args) {
  CommandResult r = hprof_text(args);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  return parse_text_report(r.out);
}

TextReport bytes_report(std::vector<std::string> options, const std::string& program,
                        const std::vector<std::string>& profiles) {
  options.insert(options.begin(), "--show_bytes");
  options.push_back(program);
  options.insert(options.end(), profiles.begin(), profiles.end());
  return report_of(options);
}

int64_t total_of(const TextReport& report) {
  return std::stoll(report.total_line.substr(std::string("Total: ").size()));
}

int64_t unwound_total(const TextReport& report, const std::string& dump, const std::string& sample_option) {
  return total_of(report) - empty_stack_value(dump, sample_option);
}

std::string function_of(const std::string& row_name) {
  static const std::string kInline = " (inline)";
  if (row_name.size() > kInline.size() && row_name.ends_with(kInline)) {
    return row_name.substr(0, row_name.size() - kInline.size());
  }
  return row_name;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

std::string build_id_of(const std::string& file) {
  CommandResult r = run_command({E2E_READELF, "-n", file});
  static const std::regex id(R"(Build ID: ([0-9a-f]+))");
  std::smatch m;
  if (!std::regex_search(r.out, m, id)) return {};
  return m[1];
}

void rebuild_in_place(const std::string& path) {
  const std::string note = path + ".note", changed = path + ".rebuilt";
  if (run_command({E2E_OBJCOPY, "-O", "binary", "--only-section=.note.gnu.build-id", path, note}).exit_status != 0) {
    throw std::runtime_error("objcopy could not read the build-id note of " + path);
  }
  std::string bytes = read_file(note);
  if (bytes.empty()) throw std::runtime_error(path + " has no build-id note");
  bytes.back() = static_cast<char>(bytes.back() ^ 0xff);
  std::ofstream(note, std::ios::binary | std::ios::trunc) << bytes;
  if (run_command({E2E_OBJCOPY, "--update-section", ".note.gnu.build-id=" + note, path, changed}).exit_status != 0) {
    throw std::runtime_error("objcopy could not write the build-id note of " + path);
  }
  fs::rename(changed, path);
  fs::remove(note);
}

std::string build_id_path(const std::string& dir, const std::string& id) {
  if (id.size() < 3) throw std::invalid_argument("not a build-id: '" + id + "'");
  return dir + "/.build-id/" + id.substr(0, 2) + "/" + id.substr(2) + ".debug";
}

std::string libstripped_function_start(const std::string& function) {
  CommandResult nm = run_command({"nm", "--defined-only", E2E_LIBSTRIPPED_FULL});
  std::istringstream lines(nm.out);
  std::string address, type, name;
  while (lines >> address >> type >> name) {
    if (name == function) {
      const std::size_t digit = address.find_first_not_of('0');
      return digit == std::string::npos ? "0" : address.substr(digit);
    }
  }
  return {};
}

}  // namespace e2e
