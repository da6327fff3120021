#include "golden_inputs.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <gelf.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace hprof::testing {
namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t kAppBase = 0x555555554000;  // where the kernel maps a PIE
constexpr uint64_t kLibBase = 0x7f1234000000;  // the fixture again, mapped as libgolden.so
constexpr uint64_t kJitStart = 0x7f5000000000, kJitLimit = 0x7f5000010000;
constexpr uint64_t kJemallocStart = 0x7f6000009000, kJemallocLimit = 0x7f60000af000;
constexpr const char* kAppPath = "/opt/golden/bin/golden-app";
constexpr const char* kLibPath = "/opt/golden/lib/libgolden.so";

struct ElfFile {
  explicit ElfFile(const std::string& path) : fd(open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    elf_version(EV_CURRENT);
    if (fd >= 0) elf = elf_begin(fd, ELF_C_READ, nullptr);
    if (elf == nullptr) throw std::runtime_error(path + ": cannot read the golden fixture");
  }
  ~ElfFile() {
    elf_end(elf);
    close(fd);
  }
  int fd = -1;
  Elf* elf = nullptr;
};

// The maps lines of `path`'s PT_LOAD segments, mapped at `base` under the
// name `mapped`, as the kernel writes them.
std::string maps_lines(const std::string& path, uint64_t base, const std::string& mapped) {
  ElfFile file(path);
  size_t count = 0;
  elf_getphdrnum(file.elf, &count);
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    GElf_Phdr phdr;
    if (gelf_getphdr(file.elf, static_cast<int>(i), &phdr) == nullptr || phdr.p_type != PT_LOAD) continue;
    const uint64_t start = base + (phdr.p_vaddr & ~(kPage - 1));
    const uint64_t limit = (base + phdr.p_vaddr + phdr.p_memsz + kPage - 1) & ~(kPage - 1);
    const std::string perms = fmt::format("{}{}{}p", (phdr.p_flags & PF_R) ? 'r' : '-',
                                          (phdr.p_flags & PF_W) ? 'w' : '-', (phdr.p_flags & PF_X) ? 'x' : '-');
    out += fmt::format("{:x}-{:x} {} {:08x} fe:01 4242 {}\n", start, limit, perms, phdr.p_offset & ~(kPage - 1),
                       mapped);
  }
  return out;
}

// One record: its four values as written and its stack, leaf first.
struct Record {
  std::array<int64_t, 4> values;  // in-use objects, bytes; allocated objects, bytes
  std::vector<uint64_t> stack;
};

std::string hex_stack(const std::vector<uint64_t>& stack) {
  std::string out;
  for (uint64_t pc : stack) out += fmt::format(" 0x{:x}", pc);
  return out;
}

// A gperftools dump: the header counts every record, as a dump that lost none.
std::string gperftools_dump(const std::string& tag, const std::vector<Record>& records, const std::string& maps) {
  std::array<int64_t, 4> total{};
  std::string body;
  for (const Record& r : records) {
    for (size_t i = 0; i < 4; ++i) total[i] += r.values[i];
    body += fmt::format("{:6}: {:8} [{:6}: {:8}] @{}\n", r.values[0], r.values[1], r.values[2], r.values[3],
                        hex_stack(r.stack));
  }
  return fmt::format("heap profile: {:6}: {:8} [{:6}: {:8}] @ {}\n", total[0], total[1], total[2], total[3], tag) +
         body + "\nMAPPED_LIBRARIES:\n" + maps;
}

// jemalloc's format: "@ stack" then its "t*:" and one thread's line.
std::string jemalloc_dump(const std::vector<Record>& records, const std::string& maps) {
  std::array<int64_t, 4> total{};
  std::string body;
  for (const Record& r : records) {
    for (size_t i = 0; i < 4; ++i) total[i] += r.values[i];
    const std::string counts = fmt::format("{}: {} [{}: {}]", r.values[0], r.values[1], r.values[2], r.values[3]);
    body += "@" + hex_stack(r.stack) + "\n  t*: " + counts + "\n  t0: " + counts + "\n";
  }
  const std::string totals = fmt::format("{}: {} [{}: {}]", total[0], total[1], total[2], total[3]);
  return "heap_v2/524288\n  t*: " + totals + "\n  t0: " + totals + "\n  t1: 0: 0 [0: 0]\n" + body +
         "\nMAPPED_LIBRARIES:\n" + maps;
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

FixtureSymbols::FixtureSymbols(const std::string& path) : path_(path) {
  ElfFile file(path);
  for (Elf_Scn* scn = elf_nextscn(file.elf, nullptr); scn != nullptr; scn = elf_nextscn(file.elf, scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr || shdr.sh_type != SHT_SYMTAB || shdr.sh_entsize == 0) continue;
    Elf_Data* data = elf_getdata(scn, nullptr);
    for (size_t i = 1; i < shdr.sh_size / shdr.sh_entsize; ++i) {
      GElf_Sym sym;
      if (gelf_getsym(data, static_cast<int>(i), &sym) == nullptr || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
          sym.st_size == 0 || sym.st_shndx == SHN_UNDEF) {
        continue;
      }
      if (const char* name = elf_strptr(file.elf, shdr.sh_link, sym.st_name)) {
        functions_[name] = Range{sym.st_value, sym.st_size};
      }
    }
  }
}

uint64_t FixtureSymbols::inside(const std::string& symbol, int eighths) const {
  auto it = functions_.find(symbol);
  if (it == functions_.end()) throw std::runtime_error(path_ + ": the golden fixture has no function " + symbol);
  return it->second.start + it->second.size * static_cast<uint64_t>(eighths) / 8;
}

void write_golden_inputs(const std::filesystem::path& fixture, const std::filesystem::path& dir) {
  for (const char* mapped : {kAppPath, kLibPath}) {
    const std::filesystem::path copy = dir / std::filesystem::path(mapped).relative_path();
    std::filesystem::create_directories(copy.parent_path());
    std::filesystem::copy_file(fixture, copy, std::filesystem::copy_options::overwrite_existing);
  }
  const FixtureSymbols symbols(fixture.string());
  // A return address in the executable or in the library: the looked-up pc - 1
  // is the point `eighths`/8 into the function.
  auto app = [&](const char* symbol, int eighths) { return kAppBase + symbols.inside(symbol, eighths) + 1; };
  auto lib = [&](const char* symbol, int eighths) { return kLibBase + symbols.inside(symbol, eighths) + 1; };
  auto allocator = [&](int eighths) {
    return std::vector<uint64_t>{app("tc_malloc", 4), app("_ZN8tcmalloc13allocate_fullEm", eighths)};
  };
  auto stack = [](std::vector<uint64_t> leaf, std::initializer_list<uint64_t> rest) {
    leaf.insert(leaf.end(), rest);
    return leaf;
  };
  const uint64_t main_pc = app("main", 5);
  const std::vector<uint64_t> deflater = stack(
      allocator(3), {app("_ZN6zipper12deflate_initEPPvi", 3), app("_ZN6zipper8Deflater4initEi", 4),
                     app("Java_java_util_zip_Deflater_init", 5), main_pc});
  const std::vector<uint64_t> table_push = stack(allocator(5), {app("_Z10grow_tablei", 2), main_pc});
  const std::vector<uint64_t> table_map = stack(allocator(5), {app("_Z10grow_tablei", 5), main_pc});
  const std::vector<uint64_t> config = stack({app("tc_malloc", 2)}, {app("_Z12parse_configPKc", 3), main_pc});
  const std::vector<uint64_t> config_error =
      stack({app("tc_malloc", 2)}, {app("_Z12parse_configPKc.cold", 2), app("_Z12parse_configPKc", 6), main_pc});
  // In a library that is not on this machine, and outside every mapping.
  const std::vector<uint64_t> gone = {0x7f7000001234, app("_Z10grow_tablei", 6), main_pc};
  const std::vector<uint64_t> outside = {0x1234, main_pc};

  const std::string app_maps = maps_lines(fixture.string(), kAppBase, kAppPath);
  const std::string cpp_maps = app_maps + "7f7000000000-7f7000004000 r-xp 00000000 fe:01 77 /opt/gone/libgone.so.1\n";
  // Three dumps of one process: the Deflater leak grows, the table shrinks back.
  for (int dump = 1; dump <= 3; ++dump) {
    const int64_t k = dump;
    std::vector<Record> records = {
        {{4 * k, 40960 * k, 9 * k, 92160 * k}, deflater},
        {{2, 6000 - 1000 * k, 40, 120000}, table_push},
        {{3, 1536, 5 * k, 2560 * k}, table_map},
        {{1, 700, 1, 700}, config},
        {{0, 0, 2, 64}, config_error},
        {{1, 3000 * k, 1, 3000 * k}, gone},
        {{1, 128, 1, 128}, outside},
    };
    if (dump == 3) records.push_back({{1, 256, 1, 256}, {}});  // an empty stack: one warning
    write_text(dir / fmt::format("cpp-{:04}.heap", dump), gperftools_dump("heap_v2/524288", records, cpp_maps));
  }

  // jemalloc: its own frames first, in a library a stripped copy of which
  // would name nothing; not on this machine either.
  const std::string jemalloc_maps =
      app_maps + fmt::format("{:x}-{:x} r-xp 00009000 fe:01 43 /opt/gone/libjemalloc.so.2\n", kJemallocStart,
                             kJemallocLimit);
  auto in_jemalloc = [](std::vector<uint64_t> tail) {
    tail.insert(tail.begin(), {kJemallocStart + 0x1630, kJemallocStart + 0x1d21});
    return tail;
  };
  write_text(dir / "jemalloc.heap",
             jemalloc_dump({{{2, 82434, 0, 0}, in_jemalloc({app("_ZN6zipper12deflate_initEPPvi", 3),
                                                             app("_ZN6zipper8Deflater4initEi", 4), main_pc})},
                            {{1, 96, 0, 0}, in_jemalloc({app("_Z10grow_tablei", 2), main_pc})},
                            {{3, 4000, 0, 0}, in_jemalloc({app("_Z12parse_configPKc", 3), main_pc})}},
                           jemalloc_maps));

  // A JVM: the launcher, libjvm-like C++ code, JIT code a perf map names but
  // for one address compiled after the map was written.
  const std::string jvm_maps =
      app_maps + maps_lines(fixture.string(), kLibBase, kLibPath) +
      fmt::format("{:x}-{:x} rwxp 00000000 00:00 0 \n", kJitStart, kJitLimit);
  const uint64_t interpreter = kJitStart + 0x120, leak_main = kJitStart + 0x2040, deflater_new = kJitStart + 0x3010,
                 unnamed = kJitStart + 0x9000;
  const std::vector<uint64_t> jni =
      stack({lib("tc_malloc", 4), lib("_ZN8tcmalloc13allocate_fullEm", 3), lib("_ZN6zipper12deflate_initEPPvi", 3),
             lib("_ZN6zipper8Deflater4initEi", 4), lib("Java_java_util_zip_Deflater_init", 5)},
            {deflater_new, leak_main, interpreter, main_pc});
  write_text(dir / "jvm.heap",
             gperftools_dump("heap_v2/524288",
                             {{{6, 61440, 6, 61440}, jni},
                              {{1, 2048, 1, 2048}, stack({lib("tc_malloc", 4)}, {lib("_Z10grow_tablei", 2), unnamed,
                                                                                 interpreter, main_pc})},
                              {{2, 900, 3, 1200}, stack(allocator(3), {lib("_Z12parse_configPKc", 3), main_pc})}},
                             jvm_maps));
  write_text(dir / "jvm.map", fmt::format("{:x} 200 Interpreter\n"
                                          "{:x} 180 void LeakMain.main(java.lang.String[])\n"
                                          "{:x} 90 void java.util.zip.Deflater.<init>(int, boolean)\n",
                                          kJitStart, kJitStart + 0x2000, kJitStart + 0x3000));
}

}  // namespace hprof::testing
