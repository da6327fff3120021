// `cmake --install` of this build into a prefix of its own: the binary, a
// man page that man renders and that lists every option --help lists, and
// shell completions that complete them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "harness.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;

// The long options `--help` lists: the name that starts each of its lines.
std::set<std::string> options_of_help() {
  const CommandResult help = hprof_text({"--help"});
  EXPECT_EQ(help.exit_status, 0) << help.err;
  std::set<std::string> options;
  const std::regex line("(^|\n) +(-[a-zA-Z],)?(--[a-z][a-z_-]*)");
  for (std::sregex_iterator it(help.out.begin(), help.out.end(), line), end; it != end; ++it) {
    options.insert((*it)[3].str());
  }
  return options;
}

class Install : public ::testing::Test {
 protected:
  // One install per test process, into a prefix no other test uses.
  static void SetUpTestSuite() {
    prefix_ = scratch_dir() + "/install-" + std::to_string(getpid());
    fs::remove_all(prefix_);
    const CommandResult r = run_command({"cmake", "--install", HPROF_BUILD_DIR, "--prefix", prefix_});
    ASSERT_EQ(r.exit_status, 0) << r.out << r.err;
  }
  static void TearDownTestSuite() { fs::remove_all(prefix_); }

  static std::string prefix_;
};

std::string Install::prefix_;

TEST_F(Install, PutsTheBinaryTheManPageAndTheCompletionsUnderThePrefix) {
  for (const char* file : {"bin/hprof-text", "share/man/man1/hprof-text.1", "share/bash-completion/completions/hprof-text",
                           "share/zsh/site-functions/_hprof-text", "share/fish/vendor_completions.d/hprof-text.fish"}) {
    EXPECT_TRUE(fs::is_regular_file(prefix_ + "/" + file)) << file;
  }
  const CommandResult version = run_report({prefix_ + "/bin/hprof-text", "--version"});
  EXPECT_EQ(version.exit_status, 0) << version.err;
  EXPECT_TRUE(version.out.starts_with("hprof-text ")) << version.out;
}

TEST_F(Install, TheManPageRendersAndListsEveryOptionOfHelp) {
  const CommandResult page = run_command({"man", "--no-hyphenation", "--no-justification", "-l",
                                          prefix_ + "/share/man/man1/hprof-text.1"},
                                         {"MANWIDTH=200", "LC_ALL=C", "MANPAGER=cat", "PAGER=cat"});
  ASSERT_EQ(page.exit_status, 0) << page.err;
  EXPECT_NE(page.out.find("hprof-text"), std::string::npos);
  const std::set<std::string> options = options_of_help();
  EXPECT_GT(options.size(), 20u);
  for (const std::string& option : options) EXPECT_NE(page.out.find(option), std::string::npos) << option;
}

TEST_F(Install, TheBashCompletionCompletesAnOption) {
  const std::string script =
      "source \"$0\"; COMP_WORDS=(hprof-text --show); COMP_CWORD=1; _hprof_text; printf '%s\\n' \"${COMPREPLY[@]}\"";
  const CommandResult r =
      run_command({"bash", "-c", script, prefix_ + "/share/bash-completion/completions/hprof-text"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "--show_bytes\n");
}

TEST_F(Install, TheBashCompletionOffersEveryOptionOfHelp) {
  const std::string script =
      "source \"$0\"; COMP_WORDS=(hprof-text -); COMP_CWORD=1; _hprof_text; printf '%s\\n' \"${COMPREPLY[@]}\"";
  const CommandResult r =
      run_command({"bash", "-c", script, prefix_ + "/share/bash-completion/completions/hprof-text"});
  std::set<std::string> offered;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) offered.insert(line);
  EXPECT_EQ(offered, options_of_help());
}

TEST_F(Install, TheZshAndFishCompletionsNameEveryOptionOfHelp) {
  const std::string zsh = read_file(prefix_ + "/share/zsh/site-functions/_hprof-text");
  const std::string fish = read_file(prefix_ + "/share/fish/vendor_completions.d/hprof-text.fish");
  EXPECT_TRUE(zsh.starts_with("#compdef hprof-text\n"));
  for (const std::string& option : options_of_help()) {
    EXPECT_NE(zsh.find("'" + option + "'"), std::string::npos) << option;
    EXPECT_NE(fish.find("complete -c hprof-text -l " + option.substr(2) + "\n"), std::string::npos) << option;
  }
}

// `cpack -G DEB`: the same files under /usr, and Depends on the libraries the binary links.
TEST(DebianPackage, HoldsTheInstalledFilesAndDependsOnTheLibrariesOfTheBinary) {
  const std::string dir = scratch_dir() + "/deb-" + std::to_string(getpid());
  fs::remove_all(dir);
  const CommandResult made = run_command(
      {"cpack", "-G", "DEB", "--config", std::string(HPROF_BUILD_DIR) + "/CPackConfig.cmake", "-B", dir});
  ASSERT_EQ(made.exit_status, 0) << made.out << made.err;
  std::string deb;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".deb") deb = entry.path().string();
  }
  ASSERT_FALSE(deb.empty()) << made.out;
  const CommandResult files = run_command({"dpkg-deb", "--contents", deb});
  for (const char* file : {"./usr/bin/hprof-text", "./usr/share/man/man1/hprof-text.1",
                           "./usr/share/bash-completion/completions/hprof-text", "./usr/share/zsh/site-functions/_hprof-text",
                           "./usr/share/fish/vendor_completions.d/hprof-text.fish"}) {
    EXPECT_NE(files.out.find(std::string(file) + "\n"), std::string::npos) << file;
  }
  const CommandResult depends = run_command({"dpkg-deb", "--field", deb, "Depends"});
  for (const char* package : {"libdw1", "libelf1", "libre2-9", "libprotobuf32", "libfmt9"}) {
    EXPECT_NE(depends.out.find(package), std::string::npos) << depends.out;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace e2e
