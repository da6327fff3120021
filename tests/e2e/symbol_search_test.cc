// Finding the right files on any machine: --lib_prefix (binaries moved
// away from where the profile saw them), --debug-dir (stripped binaries and
// their separate debug files, by build-id and by .gnu_debuglink), refusing
// files that are not the ones the profile mapped, --verbose, and names that
// are never a nearest-symbol guess (checked against readelf's symbol tables).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "harness.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;

const char* const kBinaries[] = {E2E_WORKLOAD, E2E_LIBWORK, E2E_LIBSTRIPPED};

void must(const std::vector<std::string>& argv, const std::vector<std::string>& env = {}) {
  CommandResult r = run_command(argv, env);
  if (r.exit_status != 0) throw std::runtime_error(argv[0] + " failed: " + r.err);
}

void copy_binaries(const std::string& to) {
  fs::create_directories(to);
  for (const char* file : kBinaries) {
    fs::copy_file(file, to + "/" + fs::path(file).filename().string(), fs::copy_options::overwrite_existing);
  }
}

// The files every test here works on, made once per build under a lock
// (ctest runs the tests in separate processes).
struct Layout {
  std::string root;
  std::string dump;      // recorded with the binaries in `original`, which no longer exists
  std::string original;  // where the recording ran: gone, moved to `moved`
  std::string moved;
  std::string full_path_prefix;  // holds <original path>/<binary>: no directory needs dropping
  std::string stripped;          // .symtab and DWARF stripped, no debuglink
  std::string linked;            // stripped, with a .gnu_debuglink to NAME.debug
  std::string debug_by_id;       // .build-id/xx/yyyy.debug
  std::string debug_by_link;     // NAME.debug
  std::string debug_wrong;       // .build-id of e2e_workload holding libe2ework.so's debug file
  std::string no_hdr;            // libe2estripped.so with its .eh_frame_hdr renamed away
  std::string other;             // "e2e_workload" that is another program
};

Layout make_layout() {
  Layout l;
  l.root = scratch_dir() + "/symsearch";
  l.dump = l.root + "/rec/workload.0001.heap";
  l.original = l.root + "/original/bin";
  l.moved = l.root + "/moved";
  l.full_path_prefix = l.root + "/fullpath";
  l.stripped = l.root + "/stripped";
  l.linked = l.root + "/linked";
  l.debug_by_id = l.root + "/debug-by-id";
  l.debug_by_link = l.root + "/debug-by-link";
  l.debug_wrong = l.root + "/debug-wrong";
  l.no_hdr = l.root + "/no-hdr";
  l.other = l.root + "/other";
  return l;
}

void build_layout(const Layout& l) {
  for (const auto& entry : fs::directory_iterator(l.root)) {
    if (entry.path().filename() != ".lock") fs::remove_all(entry.path());
  }
  // Record from a copy, then move the copy: the profile's paths are gone.
  copy_binaries(l.original);
  record_under_tcmalloc({l.original + "/e2e_workload"}, l.root + "/rec/workload",
                        {"LD_LIBRARY_PATH=" + l.original, "HEAP_PROFILE_ALLOCATION_INTERVAL=1099511627776",
                         "HEAP_PROFILE_INUSE_INTERVAL=1099511627776"});
  fs::rename(l.original, l.moved);
  copy_binaries(l.full_path_prefix + l.original);

  copy_binaries(l.stripped);
  copy_binaries(l.linked);
  for (const std::string name : {"e2e_workload", "libe2ework.so"}) {
    std::string full = l.moved + "/" + name;
    std::string by_id = build_id_path(l.debug_by_id, build_id_of(full));
    fs::create_directories(fs::path(by_id).parent_path());
    must({E2E_OBJCOPY, "--only-keep-debug", full, by_id});
    fs::create_directories(l.debug_by_link);
    fs::copy_file(by_id, l.debug_by_link + "/" + name + ".debug");
    must({E2E_STRIP, "--strip-all", "-o", l.stripped + "/" + name, full});
    must({E2E_STRIP, "--strip-all", "-o", l.linked + "/" + name, full});
    must({E2E_OBJCOPY, "--add-gnu-debuglink=" + l.debug_by_link + "/" + name + ".debug", l.linked + "/" + name});
  }
  std::string wrong = build_id_path(l.debug_wrong, build_id_of(l.moved + "/e2e_workload"));
  fs::create_directories(fs::path(wrong).parent_path());
  must({E2E_OBJCOPY, "--only-keep-debug", l.moved + "/libe2ework.so", wrong});

  copy_binaries(l.no_hdr);
  must({E2E_OBJCOPY, "--rename-section", ".eh_frame_hdr=.eh_frame_hdx", l.no_hdr + "/libe2estripped.so"});

  copy_binaries(l.other);
  fs::copy_file(E2E_READELF, l.other + "/e2e_workload", fs::copy_options::overwrite_existing);
  std::ofstream(l.root + "/recorded") << "ok\n";
}

const Layout& layout() {
  static const Layout l = [] {
    Layout made = make_layout();
    DirLock lock(made.root);
    std::vector<std::string> inputs(std::begin(kBinaries), std::end(kBinaries));
    inputs.push_back(TCMALLOC);
    if (!newer_than(made.root + "/recorded", inputs)) build_layout(made);
    return made;
  }();
  return l;
}

CommandResult report(std::vector<std::string> options, const std::string& dump) {
  options.insert(options.begin(), "--show_bytes");
  options.push_back(dump);
  return hprof_text(options);
}

// The report of the normal recording (binaries where the profile saw them).
std::string reference_report() {
  CommandResult r = report({}, cpp_workload_dump());
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  return r.out;
}

// hprof-text with `options` on the moved recording prints exactly the
// report of the normal recording, and no warning.
void expect_reference_report(const std::vector<std::string>& options) {
  CommandResult r = report(options, layout().dump);
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, reference_report());
}

TEST(SymbolSearch, MovedBinariesAreObjectsOnlyWithoutLibPrefix) {
  const Layout& l = layout();
  ASSERT_FALSE(fs::exists(l.original));
  CommandResult r = report({}, l.dump);
  ASSERT_EQ(r.exit_status, 0) << r.err;
  TextReport rows = parse_text_report(r.out);
  EXPECT_TRUE(rows.rows.count("[e2e_workload]")) << r.out;
  EXPECT_TRUE(rows.rows.count("[libe2ework.so]")) << r.out;
  EXPECT_EQ(rows.rows.count("main"), 0u);
  // One cause, one line: the three files are gone.
  EXPECT_EQ(count_of(r.err, "hprof-text: warning: "), 1u) << r.err;
  EXPECT_EQ(count_of(r.err, "3 files with frames of " + l.dump + " do not exist here (" + l.original), 1u) << r.err;
  EXPECT_NE(r.err.find("--lib_prefix"), std::string::npos) << r.err;
}

TEST(SymbolSearch, LibPrefixFindsMovedBinariesByDroppingLeadingDirectories) {
  // The profile names ORIGINAL/e2e_workload; MOVED/e2e_workload is found by
  // dropping every directory of the path.
  expect_reference_report({"--lib_prefix=" + layout().moved});
}

TEST(SymbolSearch, LibPrefixListIsTriedInOrderWithTheWholePathFirst) {
  // The first prefix holds nothing; the second holds the whole original path.
  const Layout& l = layout();
  expect_reference_report({"--lib_prefix=" + l.root + "/nothing-here/," + l.full_path_prefix});
}

TEST(SymbolSearch, StrippedBinariesWithoutDebugDirLoseTheirNames) {
  // Makes the --debug-dir tests below non-vacuous.
  const Layout& l = layout();
  CommandResult r = report({"--lib_prefix=" + l.stripped}, l.dump);
  ASSERT_EQ(r.exit_status, 0) << r.err;
  TextReport rows = parse_text_report(r.out);
  EXPECT_EQ(rows.rows.count("main"), 0u) << r.out;
  EXPECT_EQ(rows.rows.count("leak_malloc (inline)"), 0u) << r.out;
  EXPECT_EQ(rows.rows.count("(anonymous namespace)::Anon::make"), 0u) << r.out;
}

TEST(SymbolSearch, DebugDirFindsDebugFilesByBuildId) {
  const Layout& l = layout();
  expect_reference_report({"--lib_prefix=" + l.stripped, "--debug-dir=" + l.debug_by_id});
}

TEST(SymbolSearch, DebugDirFindsDebugFilesByDebuglink) {
  // A first directory without them, then the one holding NAME.debug.
  const Layout& l = layout();
  expect_reference_report(
      {"--lib_prefix=" + l.linked, "--debug-dir=" + l.debug_by_id + "/.build-id", "--debug-dir=" + l.debug_by_link});
}

TEST(SymbolSearch, DebugFileOfAnotherBuildIsRefusedWithOneWarning) {
  const Layout& l = layout();
  CommandResult without = report({"--lib_prefix=" + l.stripped}, l.dump);
  CommandResult r = report({"--lib_prefix=" + l.stripped, "--debug-dir=" + l.debug_wrong}, l.dump);
  ASSERT_EQ(r.exit_status, 0) << r.err;
  std::string wrong = build_id_path(l.debug_wrong, build_id_of(l.moved + "/e2e_workload"));
  EXPECT_EQ(count_of(r.err, "hprof-text: warning: "), 1u) << r.err;
  EXPECT_EQ(count_of(r.err, wrong), 1u) << r.err;
  EXPECT_NE(r.err.find(l.stripped + "/e2e_workload"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(build_id_of(l.moved + "/libe2ework.so")), std::string::npos) << r.err;
  // Not a single name from the wrong file: the report is the one without it.
  EXPECT_EQ(r.out, without.out);
}

TEST(SymbolSearch, LibPrefixCopyOfAnotherProgramGivesOneWarningAndNoNames) {
  const Layout& l = layout();
  CommandResult r = report({"--lib_prefix=" + l.other}, l.dump);
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(count_of(r.err, "hprof-text: warning: "), 1u) << r.err;
  EXPECT_NE(r.err.find(l.other + "/e2e_workload does not match the profile's mapping of " + l.original +
                       "/e2e_workload"),
            std::string::npos)
      << r.err;
  TextReport rows = parse_text_report(r.out);
  TextReport reference = parse_text_report(reference_report());
  EXPECT_EQ(rows.rows["[e2e_workload]"].flat, reference.rows["leak_malloc (inline)"].flat + reference.rows["recurse"].flat +
                                                  reference.rows["(anonymous namespace)::Anon::make"].flat);
  // The libraries still resolve; nothing is named from the other program.
  EXPECT_EQ(rows.rows["work::lib_leak"].flat, 7 * 30000);
  for (const std::string& name : rows.names) {
    EXPECT_TRUE(reference.rows.count(name) || name == "[e2e_workload]") << name;
  }
}

TEST(SymbolSearch, ProgramThatIsAnotherBinaryGivesOneWarningAndNoNames) {
  CommandResult r = report({E2E_READELF}, cpp_workload_dump());
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(count_of(r.err, "hprof-text: warning: "), 1u) << r.err;
  EXPECT_NE(r.err.find(std::string(E2E_READELF) + " does not match the profile's mapping of " + E2E_WORKLOAD),
            std::string::npos)
      << r.err;
  TextReport rows = parse_text_report(r.out);
  EXPECT_TRUE(rows.rows.count("[readelf]")) << r.out;
  EXPECT_EQ(rows.rows.count("main"), 0u);
  EXPECT_EQ(rows.rows["work::lib_leak"].flat, 7 * 30000);
}

TEST(SymbolSearch, FunctionStartComesFromFdesWhenThereIsNoEhFrameHdr) {
  const Layout& l = layout();
  const std::string start = libstripped_function_start("internal_alloc");
  ASSERT_FALSE(start.empty()) << "no internal_alloc in " << E2E_LIBSTRIPPED_FULL;
  CommandResult r = report({"--lib_prefix=" + l.no_hdr}, l.dump);
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  TextReport rows = parse_text_report(r.out);
  EXPECT_EQ(rows.rows["libe2estripped.so+0x" + start].flat, 6 * 50000) << r.out;
  EXPECT_EQ(r.out, reference_report());
}

// The heap profile's distinct PCs and its executable mappings.
struct Dump {
  struct Map {
    uint64_t start, limit, offset;
    std::string path;
  };
  std::set<uint64_t> pcs;
  std::vector<Map> code;
};

Dump read_dump(const std::string& path) {
  Dump dump;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  bool maps = false;
  static const std::regex map_line(R"(^([0-9a-f]+)-([0-9a-f]+) (\S+) ([0-9a-f]+) \S+ \S+\s*(.*)$)");
  while (std::getline(in, line)) {
    if (line.rfind("MAPPED_LIBRARIES:", 0) == 0) {
      maps = true;
      continue;
    }
    if (!maps) {
      auto at = line.find('@');
      if (at == std::string::npos) continue;
      std::istringstream words(line.substr(at + 1));
      std::string word;
      while (words >> word) dump.pcs.insert(std::stoull(word, nullptr, 16));
      continue;
    }
    std::smatch m;
    if (std::regex_match(line, m, map_line) && m[3].str().find('x') != std::string::npos) {
      dump.code.push_back({std::stoull(m[1], nullptr, 16), std::stoull(m[2], nullptr, 16),
                           std::stoull(m[4], nullptr, 16), m[5]});
    }
  }
  return dump;
}

TEST(SymbolSearch, VerboseNamesEachFileItsBuildIdDebugSourceAndCountsThatAddUp) {
  const Layout& l = layout();
  CommandResult r = report({"--verbose", "--lib_prefix=" + l.linked, "--debug-dir=" + l.debug_by_link}, l.dump);
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, reference_report());
  Dump dump = read_dump(l.dump);

  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.err, m,
                                std::regex(R"(hprof-text: \S+: (\d+) executable mappings; (\d+) distinct PCs: (\d+) named, (\d+) placeholders, (\d+) outside every mapping)")))
      << r.err;
  EXPECT_EQ(std::stoull(m[1]), dump.code.size());
  EXPECT_EQ(std::stoull(m[2]), dump.pcs.size());
  EXPECT_EQ(std::stoull(m[2]), std::stoull(m[3]) + std::stoull(m[4]) + std::stoull(m[5]));

  // One line per executable mapping; its counts add up to the header's.
  static const std::regex mapping(R"(hprof-text:   ([0-9a-f]+)-([0-9a-f]+) (\S+):.* pcs=(\d+) named=(\d+) placeholders=(\d+)\n)");
  uint64_t named = 0, placeholders = 0, lines = 0;
  for (auto it = std::sregex_iterator(r.err.begin(), r.err.end(), mapping); it != std::sregex_iterator(); ++it) {
    ++lines;
    EXPECT_EQ(std::stoull((*it)[4]), std::stoull((*it)[5]) + std::stoull((*it)[6])) << (*it)[0];
    named += std::stoull((*it)[5]);
    placeholders += std::stoull((*it)[6]);
  }
  EXPECT_EQ(lines, dump.code.size());
  EXPECT_EQ(named, std::stoull(m[3]));
  EXPECT_EQ(placeholders, std::stoull(m[4]));

  // The program: the stripped copy with its debug file found by debuglink.
  // (index= says whether the symbol index was read: it depends on the suite.)
  std::string program = l.original + "/e2e_workload: file=" + l.linked + "/e2e_workload build-id=" +
                        build_id_of(l.moved + "/e2e_workload") + " debug-file=" + l.debug_by_link +
                        "/e2e_workload.debug names=.dynsym+debug-file dwarf=debug-file index=";
  EXPECT_NE(r.err.find(program), std::string::npos) << program << "\n" << r.err;
  // libe2estripped.so: .dynsym only, one exported function and one function start.
  std::string stripped = l.original + "/libe2estripped.so: file=" + l.linked + "/libe2estripped.so build-id=" +
                         build_id_of(l.moved + "/libe2estripped.so") + " debug-file=none names=.dynsym dwarf=none index=";
  size_t at = r.err.find(stripped);
  ASSERT_NE(at, std::string::npos) << stripped << "\n" << r.err;
  std::string rest = r.err.substr(at + stripped.size(), r.err.find('\n', at) - at - stripped.size());
  EXPECT_TRUE(rest.ends_with(" pcs=2 named=1 placeholders=1")) << rest;
  EXPECT_NE(r.err.find(" [vdso]: not used (pseudo mapping, not opened)"), std::string::npos) << r.err;
  EXPECT_EQ(count_of(r.err, "warning"), 0u) << r.err;
}

TEST(SymbolSearch, NoVerboseNoSummary) {
  CommandResult r = report({}, cpp_workload_dump());
  EXPECT_EQ(r.err, "");
}

// readelf's view of one ELF file and its installed debug file: what the
// tests below check hprof-text's names against, independently of libdw.
struct ElfView {
  struct Symbol {
    uint64_t start, size;
    std::string name;  // no @version, no .part/.cold suffix
  };
  struct Load {
    uint64_t offset, vaddr, filesz;
  };
  std::vector<Symbol> symbols;  // .dynsym, .symtab and the debug file's .symtab
  std::vector<Load> loads;
};

std::string plain_name(std::string name) {
  name = name.substr(0, name.find('@'));
  if (auto dot = name.find('.'); dot != std::string::npos && dot > 0) name.resize(dot);
  return name;
}

void add_symbols(const std::string& file, std::vector<ElfView::Symbol>& out) {
  static const std::regex sym(R"(^\s*\d+: ([0-9a-f]+)\s+(0x[0-9a-f]+|\d+) (FUNC|IFUNC|NOTYPE)\s+\w+\s+\w+\s+(\S+) (\S+))");
  std::istringstream lines(run_command({E2E_READELF, "-Ws", file}).out);
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, sym) || m[4] == "UND") continue;
    out.push_back({std::stoull(m[1], nullptr, 16), std::stoull(m[2], nullptr, 0), plain_name(m[5])});
  }
}

ElfView view_of(const std::string& file) {
  ElfView view;
  add_symbols(file, view.symbols);
  if (const std::string id = build_id_of(file); id.size() > 2) {
    const std::string debug = build_id_path("/usr/lib/debug", id);
    if (fs::exists(debug)) add_symbols(debug, view.symbols);
  }
  static const std::regex load(R"(LOAD\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x[0-9a-f]+ 0x([0-9a-f]+))");
  std::string phdrs = run_command({E2E_READELF, "-lW", file}).out;
  for (auto it = std::sregex_iterator(phdrs.begin(), phdrs.end(), load); it != std::sregex_iterator(); ++it) {
    view.loads.push_back({std::stoull((*it)[1], nullptr, 16), std::stoull((*it)[2], nullptr, 16),
                          std::stoull((*it)[3], nullptr, 16)});
  }
  return view;
}

// For each PC of a dump in a file-backed mapping, the file address looked up (pc - 1).
struct FilePc {
  const ElfView* view;
  std::string path;
  uint64_t vaddr;
};

std::vector<FilePc> file_pcs(const Dump& dump, std::map<std::string, ElfView>& views) {
  std::vector<FilePc> out;
  for (const Dump::Map& map : dump.code) {
    if (map.path.empty() || map.path[0] != '/' || map.path.rfind("/dev/", 0) == 0) continue;
    auto [it, fresh] = views.try_emplace(map.path);
    if (fresh) it->second = view_of(map.path);
    const ElfView& view = it->second;
    const ElfView::Load* seg = nullptr;
    for (const auto& l : view.loads) {
      if (map.offset >= (l.offset & ~uint64_t{0xfff}) && map.offset < l.offset + l.filesz) seg = &l;
    }
    if (seg == nullptr) continue;
    uint64_t bias = map.start - map.offset + seg->offset - seg->vaddr;
    for (auto pc = dump.pcs.lower_bound(map.start); pc != dump.pcs.end() && *pc < map.limit; ++pc) {
      out.push_back({&view, map.path, *pc - 1 - bias});
    }
  }
  return out;
}

bool is_cxx(const std::string& name) { return name.rfind("_Z", 0) == 0; }

// What both SymbolSearchJvm tests check, made once per test process:
// hprof-text's report of the newest JVM dump and readelf's view of every
// file it maps, with each of the dump's PCs in a file.
struct JvmCheck {
  JvmCheck() : dump(jvm_dumps().back()), run(hprof_text({"--show_bytes", java_program(), dump})) {
    if (run.exit_status == 0) report = parse_text_report(run.out);
    pcs = file_pcs(read_dump(dump), views);
  }
  std::string dump;
  CommandResult run;
  TextReport report;
  std::map<std::string, ElfView> views;  // by path; `pcs` point into it
  std::vector<FilePc> pcs;
};

const JvmCheck& jvm_check() {
  static const JvmCheck check;
  return check;
}

// The [start, end) of every FDE in `file`'s .eh_frame/.debug_frame, by readelf.
std::vector<std::pair<uint64_t, uint64_t>> fde_ranges(const std::string& file) {
  static const std::regex fde(R"(FDE cie=[0-9a-f]+ pc=([0-9a-f]+)\.\.([0-9a-f]+))");
  const std::string frames = run_command({E2E_READELF, "--debug-dump=frames", file}).out;
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  for (auto it = std::sregex_iterator(frames.begin(), frames.end(), fde); it != std::sregex_iterator(); ++it) {
    ranges.emplace_back(std::stoull((*it)[1], nullptr, 16), std::stoull((*it)[2], nullptr, 16));
  }
  return ranges;
}

TEST(SymbolSearchJvm, NoNameIsANearestSymbolGuess) {
  // Perl's pprof credits code outside every symbol to the nearest symbol
  // before it.  Here readelf decides, for each PC, which sized symbols hold
  // it (legitimate names) and which symbol merely precedes it (a guess).
  const JvmCheck& jvm = jvm_check();
  ASSERT_EQ(jvm.run.exit_status, 0) << jvm.run.err;
  EXPECT_EQ(count_of(jvm.run.err, "warning"), 0u) << jvm.run.err;

  std::set<std::string> legit, guesses, symbol_names;
  size_t checked = 0, outside_every_symbol = 0;
  for (const FilePc& pc : jvm.pcs) {
    ++checked;
    const ElfView::Symbol* before = nullptr;
    bool inside = false;
    for (const auto& sym : pc.view->symbols) {
      if (sym.size > 0 && pc.vaddr >= sym.start && pc.vaddr < sym.start + sym.size) {
        legit.insert(sym.name);
        inside = true;
      }
      if (sym.start <= pc.vaddr && (before == nullptr || sym.start > before->start)) before = &sym;
    }
    if (!inside) {
      ++outside_every_symbol;
      if (before != nullptr) guesses.insert(before->name);
    }
  }
  for (const auto& [path, view] : jvm.views) {
    for (const auto& sym : view.symbols) symbol_names.insert(sym.name);
  }
  ASSERT_GT(checked, 1000u);
  for (const std::string& name : jvm.report.names) {
    if (name.ends_with(" (inline)") || is_cxx(name)) continue;
    // Never a guess...
    EXPECT_FALSE(guesses.count(name) && !legit.count(name)) << name << " is only a nearest-symbol guess";
    // ...and a row named after a symbol has a PC inside that symbol.
    if (symbol_names.count(name)) {
      EXPECT_TRUE(legit.count(name)) << name << " holds none of the profile's PCs";
    }
  }
  RecordProperty("pcs_outside_every_symbol", static_cast<int>(outside_every_symbol));
}

TEST(SymbolSearchJvm, ZlibFramesAreSizedExportsOrFunctionStarts) {
  // Debian's libz.so.1 has .dynsym only: each frame is an exported function
  // that holds the PC, or libz.so.1.2.13+0xSTART with the start of its FDE.
  const JvmCheck& jvm = jvm_check();
  ASSERT_EQ(jvm.run.exit_status, 0) << jvm.run.err;

  std::map<std::string, std::vector<std::pair<uint64_t, uint64_t>>> fdes;  // by path, read once each
  std::set<std::string> expected;
  for (const FilePc& pc : jvm.pcs) {
    const std::string object = fs::path(pc.path).filename().string();
    if (object.rfind("libz.so", 0) != 0) continue;
    std::string name;
    for (const auto& sym : pc.view->symbols) {
      if (sym.size > 0 && pc.vaddr >= sym.start && pc.vaddr < sym.start + sym.size) name = sym.name;
    }
    if (name.empty()) {
      auto [it, fresh] = fdes.try_emplace(pc.path);
      if (fresh) it->second = fde_ranges(pc.path);
      for (const auto& [start, end] : it->second) {
        if (pc.vaddr >= start && pc.vaddr < end) name = object + "+0x" + fmt::format("{:x}", start);
      }
    }
    ASSERT_FALSE(name.empty()) << "no symbol and no FDE holds 0x" << std::hex << pc.vaddr;
    expected.insert(name);
  }
  ASSERT_FALSE(expected.empty()) << "no libz frame in the dump";
  for (const std::string& name : expected) {
    EXPECT_TRUE(jvm.report.rows.count(name)) << name << "\n" << jvm.run.out;
  }
  for (const std::string& name : jvm.report.names) {
    if (name.rfind("libz.so", 0) == 0) {
      EXPECT_TRUE(expected.count(name)) << name;
    }
  }
}

}  // namespace
}  // namespace e2e
