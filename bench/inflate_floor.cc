// The floor of the cold path: the time to inflate the compressed debug
// sections that symbolization needs (the sections libdw reads for names,
// lines and inline chains; not .debug_loclists/.debug_loc/.debug_macro), with
// zlib (what libelf uses) and with libdeflate, on one thread and on two.
// The isal-stream rows decode each stream with ISA-L into a 1 MiB buffer and
// keep nothing, the floor of the path that keeps .debug_info only in part
// (symbolize/dwarf/debug_info_units.cc): every byte must still be decoded.
// Usage: inflate_floor DEBUG_FILE [RUNS]; prints one line per method with the
// median wall time in seconds.
#include <fcntl.h>
#include <isa-l/igzip_lib.h>
#include <libdeflate.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <elf.h>
#include <string>
#include <thread>
#include <vector>

namespace {

// A copy of is_read()'s list in symbolize/dwarf/inflated_dwarf.cc, the source of
// truth (it is internal to hprof_symbolize): change both together.
const char* const kNeeded[] = {".debug_info", ".debug_abbrev", ".debug_line", ".debug_str", ".debug_line_str",
                               ".debug_rnglists", ".debug_ranges", ".debug_aranges", ".debug_str_offsets",
                               ".debug_addr"};

struct Section {
  std::string name;
  std::vector<unsigned char> compressed;  // after the Elf64_Chdr
  size_t inflated_size = 0;
};

bool read_at(int fd, void* buf, size_t size, off_t at) {
  auto* p = static_cast<unsigned char*>(buf);
  while (size > 0) {
    ssize_t n = pread(fd, p, size, at);
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
    at += n;
  }
  return true;
}

std::vector<Section> read_sections(const char* path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    std::perror(path);
    std::exit(1);
  }
  Elf64_Ehdr ehdr;
  if (!read_at(fd, &ehdr, sizeof ehdr, 0) || std::memcmp(ehdr.e_ident, ELFMAG, SELFMAG) != 0 ||
      ehdr.e_ident[EI_CLASS] != ELFCLASS64) {
    std::fprintf(stderr, "%s: not a 64-bit ELF file\n", path);
    std::exit(1);
  }
  std::vector<Elf64_Shdr> shdrs(ehdr.e_shnum);
  read_at(fd, shdrs.data(), shdrs.size() * sizeof(Elf64_Shdr), static_cast<off_t>(ehdr.e_shoff));
  const Elf64_Shdr& strtab = shdrs[ehdr.e_shstrndx];
  std::string names(strtab.sh_size, '\0');
  read_at(fd, names.data(), names.size(), static_cast<off_t>(strtab.sh_offset));
  std::vector<Section> out;
  for (const Elf64_Shdr& shdr : shdrs) {
    const char* name = names.c_str() + shdr.sh_name;
    if ((shdr.sh_flags & SHF_COMPRESSED) == 0 || shdr.sh_size < sizeof(Elf64_Chdr)) continue;
    if (std::none_of(std::begin(kNeeded), std::end(kNeeded), [&](const char* n) { return std::strcmp(n, name) == 0; })) {
      continue;
    }
    Elf64_Chdr chdr;
    read_at(fd, &chdr, sizeof chdr, static_cast<off_t>(shdr.sh_offset));
    if (chdr.ch_type != ELFCOMPRESS_ZLIB) continue;
    Section s{name, std::vector<unsigned char>(shdr.sh_size - sizeof chdr), chdr.ch_size};
    read_at(fd, s.compressed.data(), s.compressed.size(), static_cast<off_t>(shdr.sh_offset + sizeof chdr));
    out.push_back(std::move(s));
  }
  close(fd);
  std::sort(out.begin(), out.end(), [](const Section& a, const Section& b) { return a.inflated_size > b.inflated_size; });
  return out;
}

bool inflate_zlib(const Section& s, unsigned char* out) {
  uLongf size = s.inflated_size;
  return uncompress(out, &size, s.compressed.data(), s.compressed.size()) == Z_OK && size == s.inflated_size;
}

bool inflate_libdeflate(const Section& s, unsigned char* out) {
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  size_t got = 0;
  bool ok = libdeflate_zlib_decompress(d, s.compressed.data(), s.compressed.size(), out, s.inflated_size, &got) ==
                LIBDEFLATE_SUCCESS &&
            got == s.inflated_size;
  libdeflate_free_decompressor(d);
  return ok;
}

bool inflate_isal_stream(const Section& s, unsigned char* /*out: not kept*/) {
  inflate_state state;
  isal_inflate_init(&state);
  state.crc_flag = ISAL_ZLIB;
  state.next_in = const_cast<uint8_t*>(s.compressed.data());
  state.avail_in = static_cast<uint32_t>(s.compressed.size());
  std::vector<unsigned char> buffer(1 << 20);
  size_t total = 0;
  while (state.block_state != ISAL_BLOCK_FINISH) {
    state.next_out = buffer.data();
    state.avail_out = static_cast<uint32_t>(buffer.size());
    if (isal_inflate(&state) != ISAL_DECOMP_OK) return false;
    const size_t got = buffer.size() - state.avail_out;
    if (got == 0 && state.avail_in == 0 && state.block_state != ISAL_BLOCK_FINISH) return false;
    total += got;
  }
  return total == s.inflated_size;
}

// Inflates every section on `threads` threads (largest first, each thread
// taking the next); returns the wall time in seconds.
double run(const std::vector<Section>& sections, bool (*inflate)(const Section&, unsigned char*), unsigned threads) {
  std::vector<std::unique_ptr<unsigned char[]>> outs;
  for (const Section& s : sections) outs.emplace_back(new unsigned char[s.inflated_size]);
  std::atomic<size_t> next{0};
  std::atomic<bool> ok{true};
  auto start = std::chrono::steady_clock::now();
  auto work = [&] {
    for (size_t i; (i = next++) < sections.size();) {
      if (!inflate(sections[i], outs[i].get())) ok = false;
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!ok) {
    std::fprintf(stderr, "inflate_floor: a section failed to inflate\n");
    std::exit(1);
  }
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: inflate_floor DEBUG_FILE [RUNS]\n");
    return 2;
  }
  int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  std::vector<Section> sections = read_sections(argv[1]);
  size_t in = 0, out = 0;
  for (const Section& s : sections) {
    in += s.compressed.size();
    out += s.inflated_size;
    std::fprintf(stderr, "inflate_floor: %s %.1f -> %.1f MiB\n", s.name.c_str(), s.compressed.size() / 1048576.0,
                 s.inflated_size / 1048576.0);
  }
  std::printf("# %zu needed compressed sections, %.1f MiB -> %.1f MiB\n", sections.size(), in / 1048576.0,
              out / 1048576.0);
  struct Method {
    const char* name;
    bool (*inflate)(const Section&, unsigned char*);
    unsigned threads;
  } methods[] = {{"zlib", inflate_zlib, 1},
                 {"zlib-2threads", inflate_zlib, 2},
                 {"libdeflate", inflate_libdeflate, 1},
                 {"libdeflate-2threads", inflate_libdeflate, 2},
                 {"isal-stream", inflate_isal_stream, 1},
                 {"isal-stream-2threads", inflate_isal_stream, 2}};
  for (const Method& m : methods) {
    std::vector<double> times;
    for (int r = 0; r < runs; ++r) times.push_back(run(sections, m.inflate, m.threads));
    std::sort(times.begin(), times.end());
    std::printf("%-20s %6.3f s\n", m.name, times[times.size() / 2]);
  }
}
