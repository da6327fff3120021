#include "reference_runs.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string_view>

namespace e2e {
namespace {

namespace fs = std::filesystem;

// "inode:size:mtime" of the regular file `text` names, whole or after its
// first '=' ("--base=FILE"); empty when it names none.
std::string file_identity(const std::string& text) {
  const std::size_t equals = text.find('=');
  for (const std::string& path : {text, equals == std::string::npos ? std::string() : text.substr(equals + 1)}) {
    struct stat st {};
    if (!path.empty() && stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      return fmt::format("{}:{}:{}.{:09}", st.st_ino, st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    }
  }
  return "";
}

std::string question_key(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  std::string question;
  for (const std::string& arg : argv) question += fmt::format("{}\n{}\n", arg, file_identity(arg));
  question += "--\n";
  for (const std::string& entry : env) question += entry + "\n";
  return fmt::format("{:016x}", std::hash<std::string>{}(question));
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Written whole under a temporary name, then renamed: a reader never sees a part.
void write_whole(const fs::path& path, std::string_view text) {
  const fs::path part = path.string() + ".part";
  std::ofstream(part, std::ios::binary).write(text.data(), static_cast<std::streamsize>(text.size()));
  fs::rename(part, path);
}

}  // namespace

CommandResult run_reference(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  const fs::path dir = fs::path(scratch_dir()) / "reference" / question_key(argv, env);
  DirLock lock(dir.string());
  // "status" is written last: with it, the run is kept whole.
  if (fs::exists(dir / "status")) {
    CommandResult kept;
    kept.exit_status = std::stoi(slurp(dir / "status"));
    kept.out = slurp(dir / "out");
    kept.err = slurp(dir / "err");
    return kept;
  }
  CommandResult r = run_command(argv, env);
  write_whole(dir / "out", r.out);
  write_whole(dir / "err", r.err);
  write_whole(dir / "status", std::to_string(r.exit_status));
  return r;
}

}  // namespace e2e
