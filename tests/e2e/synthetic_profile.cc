#include "synthetic_profile.h"

#include <elf.h>
#include <fmt/format.h>

#include <iterator>
#include <stdexcept>

namespace e2e {

constexpr uint64_t kPage = 4096;

std::string MappedCode::maps_line() const {
  return fmt::format("{:x}-{:x} r-xp {:08x} 08:01 42 {}", start, limit, offset, path);
}

MappedCode map_code(const std::string& path, uint64_t base) {
  std::ifstream in(path, std::ios::binary);
  Elf64_Ehdr ehdr{};
  if (!in.read(reinterpret_cast<char*>(&ehdr), sizeof ehdr) || ehdr.e_ident[EI_CLASS] != ELFCLASS64) {
    throw std::runtime_error(path + ": not a 64-bit ELF file");
  }
  for (unsigned i = 0; i < ehdr.e_phnum; ++i) {
    Elf64_Phdr phdr{};
    in.seekg(static_cast<std::streamoff>(ehdr.e_phoff + i * sizeof phdr));
    if (!in.read(reinterpret_cast<char*>(&phdr), sizeof phdr)) break;
    if (phdr.p_type != PT_LOAD || (phdr.p_flags & PF_X) == 0 || phdr.p_filesz == 0) continue;
    // As the kernel maps it: whole pages, the segment's vaddr at base + vaddr.
    MappedCode code;
    code.path = path;
    code.offset = phdr.p_offset & ~(kPage - 1);
    code.start = base + (phdr.p_vaddr & ~(kPage - 1));
    code.limit = (base + phdr.p_vaddr + phdr.p_filesz + kPage - 1) & ~(kPage - 1);
    code.first_pc = base + phdr.p_vaddr + 1;  // hprof-text looks up pc - 1
    code.end_pc = base + phdr.p_vaddr + phdr.p_filesz + 1;
    return code;
  }
  throw std::runtime_error(path + ": no executable segment");
}

ProfileWriter::ProfileWriter(const std::string& path) : path_(path), out_(path, std::ios::binary) {
  if (!out_) throw std::runtime_error("cannot write " + path);
  put(header());
}

// Fixed width, so that finish() writes the records' totals over it: a
// header that does not count its records is a warning of lost records.
std::string ProfileWriter::header() const {
  return fmt::format("heap profile: {0:>20}: {1:>20} [{0:>20}: {1:>20}] @ heapprofile\n", records_, total_);
}

void ProfileWriter::put(std::string_view text) {
  out_.write(text.data(), static_cast<std::streamsize>(text.size()));
  size_ += text.size();
}

void ProfileWriter::record(int64_t bytes, const std::vector<uint64_t>& pcs, std::string_view separator) {
  std::string text = fmt::format("1: {0} [1: {0}] @", bytes);
  for (uint64_t pc : pcs) {
    text += separator;
    fmt::format_to(std::back_inserter(text), "0x{:x}", pc);
  }
  text += '\n';
  put(text);
  total_ += bytes;
  ++records_;
}

void ProfileWriter::line(std::string_view text) {
  put(text);
  put("\n");
}

void ProfileWriter::finish(const std::vector<MappedCode>& code) {
  put("\nMAPPED_LIBRARIES:\n");
  for (const MappedCode& c : code) line(c.maps_line());
  out_.seekp(0);
  out_ << header();
  out_.close();
  if (!out_) throw std::runtime_error("cannot write " + path_);
}

}  // namespace e2e
