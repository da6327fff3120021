#include "cli/options.h"

#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <algorithm>
#include <array>
#include <deque>
#include <filesystem>
#include <fstream>
#include <span>
#include <unordered_map>

#include "cli/option_names.h"
#include "common/diagnostics.h"
#include "common/paths.h"
#include "symbolize/index/cache_dir.h"

namespace hprof {
namespace {

constexpr const char* kUsageFooter = R"(
With one argument the program is taken from the profile's memory map; with
several profiles the report is their sum.  Only the report goes to stdout.
With --output-suffix, each profile gets its own report, written to the file
PROFILE+SUFFIX, and stdout stays empty.  With --trend, each profile is one
column of a table sorted by growth from the first profile to the last;
--trend-chart draws the rows that grew most as lines of an SVG chart.
With --proto, the report is the profile in pprof's format (binary), for
pprof and the tools that read it:
  hprof-text --proto PROGRAM PROFILE > rec.pb.gz && go tool pprof -http=:8080 rec.pb.gz
With --dot, the report is the call graph in Graphviz's DOT, pruned as pprof
prunes it (--nodecount, --nodefraction, --edgefraction, --maxdegree):
  hprof-text --dot PROGRAM PROFILE | dot -Tsvg > graph.svg
A PROFILE of - is read from standard input; -- ends the options.  Option
names take '_' and '-' alike (--show_bytes, --show-bytes).

Exit status: 0 report printed, 1 unusable input (with --output-suffix: some
report not written), 2 usage error.)";

// pprof accepts "-text" as well as "--text"; CLI11 reads single dashes as
// short options, so a single-dash long option gets its second dash back.
// After "--" every argument is a file, whatever it looks like.
std::vector<std::string> normalized_args(int argc, const char* const* argv) {
  std::vector<std::string> args;
  bool options_ended = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (!options_ended && arg.size() > 2 && arg[0] == '-' && arg[1] != '-') arg.insert(0, "-");
    if (arg == "--") options_ended = true;
    args.push_back(std::move(arg));
  }
  return args;
}

constexpr const char* kUsageLine =
    "usage: hprof-text [--text | --collapsed | --flamegraph | --proto | --trend | --trend-chart | --dot] [options] "
    "[PROGRAM] PROFILE...";

// The long names of every option of `app` and of its option groups.
std::vector<std::string> long_names(const CLI::App& app) {
  std::vector<std::string> names;
  std::vector<const CLI::App*> apps{&app};
  for (const CLI::App* group : app.get_subcommands([](const CLI::App*) { return true; })) apps.push_back(group);
  for (const CLI::App* each : apps) {
    for (const CLI::Option* option : each->get_options()) {
      for (const std::string& name : option->get_lnames()) names.push_back(name);
    }
  }
  return names;
}

// Each "--NAME[=VALUE]" before "--" given the spelling `app` knows, '_' and
// '-' read alike; an error message for a name it does not know.
std::optional<std::string> respell_options(std::vector<std::string>& args, const CLI::App& app) {
  const std::vector<std::string> known = long_names(app);
  for (std::string& arg : args) {
    if (arg == "--") break;
    if (!arg.starts_with("--")) continue;
    const std::size_t end = std::min(arg.find('='), arg.size());
    const std::string typed = arg.substr(2, end - 2);
    if (auto name = spelled_option(typed, known)) {
      arg.replace(2, end - 2, *name);
      continue;
    }
    std::string message = "unknown option --" + typed;
    if (auto guess = closest_option(typed, known)) message += "; did you mean --" + *guess + "?";
    return message;
  }
  return std::nullopt;
}

constexpr const char* kEmptySuffix = "--output-suffix must not be empty (the report would overwrite its profile)";

ParsedArgs usage_error(std::ostream& err, const std::string& message, bool with_usage_line = false) {
  print_error(err, message);
  if (with_usage_line) err << kUsageLine << '\n';
  err << "Run with --help for more information.\n";
  return ParsedArgs{std::nullopt, 2};
}

// Standard input can be read once, as a profile: a message when "-" is
// given where it cannot be.
std::optional<std::string> misused_standard_input(const Options& options) {
  std::size_t readers = std::count(options.profiles.begin(), options.profiles.end(), kStandardInput);
  if (options.base == kStandardInput) ++readers;
  if (readers > 1) return "standard input (-) is given more than once: it can be read only once";
  if (readers == 1 && options.output_suffix) {
    return "--output-suffix names each report after its profile, and standard input (-) has no name: "
           "save it to a file first";
  }
  return std::nullopt;
}

// Symbolic links and "dir/../" resolved as far as the path exists.
std::string canonical_path(const std::string& path) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::weakly_canonical(path, ec);
  return (ec ? std::filesystem::absolute(path).lexically_normal() : p).string();
}

// An output that would overwrite an input (PROGRAM, a profile, the base): a
// message saying which; nullopt when every output is a new name.
std::optional<std::string> output_overwrites_input(const Options& options) {
  const std::string& suffix = *options.output_suffix;
  if (suffix.empty()) return kEmptySuffix;
  std::vector<const std::string*> inputs;
  for (const std::string& profile : options.profiles) inputs.push_back(&profile);
  if (options.base) inputs.push_back(&*options.base);
  if (options.symbolize.program) inputs.push_back(&*options.symbolize.program);
  for (const std::string& map : options.symbolize.perf_maps) inputs.push_back(&map);
  std::unordered_map<std::string, const std::string*> input_at;  // canonical path -> the first input there
  for (const std::string* input : inputs) input_at.emplace(canonical_path(*input), input);
  for (const std::string& profile : options.profiles) {
    if (auto it = input_at.find(canonical_path(profile + suffix)); it != input_at.end()) {
      return "--output-suffix=" + suffix + " would write the report of " + profile + " over the input " + *it->second;
    }
  }
  return std::nullopt;
}

// True when `path` is a regular file that starts with the ELF magic; never
// opens anything else (a FIFO would block).
bool looks_like_elf(const std::string& path) {
  if (path == kStandardInput) return false;  // "-" is always a profile: a program is opened by path
  struct stat st{};
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
}

}  // namespace

ParsedArgs parse_args(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"hprof-text: the pprof --text report of gperftools and jemalloc heap profiles, names resolved in-process",
               "hprof-text"};
  app.footer(kUsageFooter);
  app.set_version_flag("--version", std::string("hprof-text ") + HPROF_VERSION);

  Options options;
  std::vector<std::string> positionals;
  const std::span<const OutputFormat* const> formats = output_formats();
  std::deque<bool> format_given(formats.size(), false);  // stable references for CLI11
  auto* modes = app.add_option_group("output mode", "What to print (at most one)");
  for (std::size_t i = 0; i < formats.size(); ++i) {
    modes->add_flag(formats[i]->flag, format_given[i], formats[i]->help);
  }
  bool inuse_space = false, inuse_objects = false, alloc_space = false, alloc_objects = false;
  auto* g = app.add_option_group("sample", "Which value to report (at most one)");
  g->add_flag("--inuse_space", inuse_space, "Bytes in use (default)");
  g->add_flag("--inuse_objects", inuse_objects, "Objects in use");
  g->add_flag("--alloc_space", alloc_space, "Bytes allocated, freed or not");
  g->add_flag("--alloc_objects", alloc_objects, "Objects allocated, freed or not");
  g->require_option(0, 1);
  bool functions = false, lines = false, addresses = false, files = false;
  auto* granularity = app.add_option_group("granularity", "What one row stands for (at most one)");
  // The options that only shape the text report's rows.
  std::vector<CLI::Option*> text_layout{
      granularity->add_flag("--functions", functions, "One row per function (the default)"),
      granularity->add_flag("--lines", lines, "One row per source line: 'name file:line'"),
      granularity->add_flag("--addresses", addresses, "One row per address: '0x<pc> name file:line'"),
      granularity->add_flag("--files", files, "One row per source file"),
      app.add_flag("--show_bytes", options.report.show_bytes, "Print space in bytes, not MB"),
      app.add_flag("--cum", options.report.sort_by_cum, "Sort by cumulative value (with --trend, --trend-chart: show cum, not flat)")};
  granularity->require_option(0, 1);
  app.add_option("--focus", options.filter.focus,
                 "Only stacks with a frame whose function, source file or object file matches RE (RE2 syntax)")
      ->type_name("RE");
  app.add_option("--ignore", options.filter.ignore, "Drop stacks with a frame that matches RE (wins over --focus)")
      ->type_name("RE");
  // The options that only shape the call graph.
  const std::vector<CLI::Option*> graph_pruning{
      app.add_option("--nodecount", options.graph.nodecount, "With --dot: draw at most N nodes (0: no limit)")
          ->type_name("N")
          ->check(CLI::NonNegativeNumber)
          ->capture_default_str(),
      app.add_option("--nodefraction", options.graph.nodefraction,
                     "With --dot: drop nodes whose cum is below F of the total")
          ->type_name("F")
          ->check(CLI::Range(0.0, 1.0))
          ->capture_default_str(),
      app.add_option("--edgefraction", options.graph.edgefraction,
                     "With --dot: drop edges whose value is below F of the total")
          ->type_name("F")
          ->check(CLI::Range(0.0, 1.0))
          ->capture_default_str(),
      app.add_option("--maxdegree", options.graph.maxdegree,
                     "With --dot: keep at most N edges into and out of a node, the heaviest (0: no limit)")
          ->type_name("N")
          ->check(CLI::NonNegativeNumber)
          ->capture_default_str()};
  std::string base;
  app.add_option("--base", base, "Subtract PROFILE (relocated by object and offset, so another run cancels)")
      ->type_name("PROFILE");
  text_layout.push_back(app.add_flag("--drop_negative", options.report.drop_negative,
                                     "With --base: hide rows whose value shrank (with --trend: from the first "
                                     "profile to the last)"));
  app.add_option("--lib_prefix", options.symbolize.lib_prefixes,
                 "Look for the profile's files under DIR (comma-separated list; tried in order)")
      ->type_name("DIR[,DIR...]")
      ->delimiter(',')
      ->allow_extra_args(false);  // one value per occurrence: "--lib_prefix=D PROGRAM PROFILE" keeps PROGRAM
  app.add_option("--debug-dir", options.symbolize.debug_dirs,
                 "Look for separate debug files under DIR by build-id and debuglink (repeatable)")
      ->type_name("DIR")
      ->allow_extra_args(false);
  app.add_option("--perf-map", options.symbolize.perf_maps,
                 "Name JIT code from a perf map, e.g. a JVM's /tmp/perf-<pid>.map (repeatable)")
      ->type_name("FILE")
      ->allow_extra_args(false);
  app.add_flag("--verbose", options.symbolize.verbose,
               "Say on stderr, for each mapping, which file and debug info were used and how many PCs resolved");
  std::string cache_dir;
  auto* cache_dir_option =
      app.add_option("--cache-dir", cache_dir,
                     "Keep symbol indexes under DIR (default $XDG_CACHE_HOME/hprof-text or ~/.cache/hprof-text)")
          ->type_name("DIR");
  bool no_cache = false;
  app.add_flag("--no-cache", no_cache, "Neither read nor write symbol indexes")->excludes(cache_dir_option);
  std::string output_suffix;
  auto* suffix_option =
      app.add_option("--output-suffix", output_suffix,
                     "Write each profile's own report to PROFILE+SUFFIX instead of one report to stdout")
          ->type_name("SUFFIX");
  app.add_option("PROFILE", positionals,
                 "[PROGRAM] PROFILE...: the program (an ELF file) and the heap profiles; - reads a profile from "
                 "standard input");

  if (argc <= 1) return usage_error(err, "no profile given", true);
  std::vector<std::string> args = normalized_args(argc, argv);
  if (auto unknown = respell_options(args, app)) return usage_error(err, *unknown);
  // CLI11 would take the argument after "--NAME=" as NAME's value.
  for (const std::string& arg : args) {
    if (arg == "--") break;
    if (!arg.starts_with("--") || arg.find('=') != arg.size() - 1) continue;
    if (arg == "--output-suffix=") return usage_error(err, kEmptySuffix);
    return usage_error(err, arg.substr(0, arg.size() - 1) + " needs a value, not an empty one");
  }
  std::reverse(args.begin(), args.end());  // CLI11 takes them in reverse
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() != static_cast<int>(CLI::ExitCodes::Success)) return usage_error(err, e.what());
    app.exit(e, out, err);  // --help / --version
    return ParsedArgs{std::nullopt, 0};
  }

  const OutputFormat* mode = nullptr;
  for (std::size_t i = 0; i < formats.size(); ++i) {
    if (!format_given[i]) continue;
    if (mode != nullptr) {
      return usage_error(err, std::string(mode->flag) + " and " + formats[i]->flag +
                                  " are both output modes: give one");
    }
    mode = formats[i];
  }
  if (mode != nullptr) options.format = mode;
  if (options.format->model == ReportModel::kPprof) {
    for (const CLI::Option* option : text_layout) {
      if (option->count() == 0) continue;
      return usage_error(err, option->get_name() +
                                  " shapes the text report, and --proto writes the whole profile (every address, "
                                  "line and inline frame): choose the view in pprof instead (-lines, -cum, ...)");
    }
  }
  if (options.format->model != ReportModel::kGraph) {
    for (const CLI::Option* option : graph_pruning) {
      if (option->count() == 0) continue;
      return usage_error(err, option->get_name() + " prunes the call graph: give it with --dot");
    }
  } else if (options.report.sort_by_cum) {
    return usage_error(err, "--cum sorts the rows of a report, and --dot draws a graph: leave --cum out");
  }
  for (const std::string* pattern : {&options.filter.focus, &options.filter.ignore}) {
    if (pattern->empty()) continue;
    if (auto why = regex_error(*pattern)) {
      return usage_error(err, "invalid regular expression '" + *pattern + "': " + *why);
    }
  }
  if (!base.empty()) options.base = base;
  for (const std::string& map : options.symbolize.perf_maps) {
    if (map.empty()) return usage_error(err, "--perf-map needs a value, not an empty one");
  }
  if (lines) options.report.granularity = Granularity::kLines;
  if (addresses) options.report.granularity = Granularity::kAddresses;
  if (files) options.report.granularity = Granularity::kFiles;
  if (inuse_space) options.sample_type = "inuse_space";
  if (inuse_objects) options.sample_type = "inuse_objects";
  if (alloc_space) options.sample_type = "alloc_space";
  if (alloc_objects) options.sample_type = "alloc_objects";
  if (positionals.empty()) return usage_error(err, "no profile given", true);
  if (positionals.size() == 1 && looks_like_elf(positionals.front())) {
    return usage_error(err, positionals.front() +
                                " is a program (an ELF file), and the profile is missing: hprof-text PROGRAM "
                                "PROFILE");
  }
  if (positionals.size() >= 2 && looks_like_elf(positionals.front())) {
    // Absolute, so that messages say which file was read.
    options.symbolize.program = std::filesystem::absolute(positionals.front()).lexically_normal().string();
    positionals.erase(positionals.begin());
  }
  if (cache_dir_option->count() > 0) {
    if (cache_dir.empty()) return usage_error(err, "--cache-dir needs a value, not an empty one");
    options.symbolize.index_dir = std::filesystem::absolute(cache_dir).lexically_normal().string();
  } else if (!no_cache) {
    options.symbolize.index_dir = default_cache_dir();
  }
  options.profiles = std::move(positionals);
  if (options.trend()) {
    const std::string flag = mode->flag;
    if (options.profiles.size() < 2) {
      return usage_error(err, flag + " needs two or more profiles, e.g. the dumps of one process in order");
    }
    if (options.base) {
      return usage_error(err, flag + " takes no --base: a trend already shows each row's change since the first "
                                     "profile");
    }
    if (suffix_option->count() > 0) {
      return usage_error(err, flag + " prints one " + options.format->shape + " to stdout: it takes no --output-suffix");
    }
  }
  if (suffix_option->count() > 0) options.output_suffix = output_suffix;
  if (auto why = misused_standard_input(options)) return usage_error(err, *why);
  if (options.output_suffix) {
    if (auto why = output_overwrites_input(options)) return usage_error(err, *why);
  }
  return ParsedArgs{std::move(options), 0};
}

}  // namespace hprof
