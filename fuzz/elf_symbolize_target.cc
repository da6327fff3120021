// Fuzz target: symbolizing addresses against an ELF file from its bytes.
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "fuzz/quiet_diagnostics.h"
#include "fuzz/targets.h"
#include "symbolize/elf/debug_search.h"
#include "symbolize/object_file.h"

namespace hprof::fuzz {
namespace {

// One directory per process under $TMPDIR (else /tmp), removed at exit; each
// input is written to the same file name in it, so that libdwfl's search for
// a separate debug file ("next to the file", .debug/) looks only there.
class ScratchDir {
 public:
  ScratchDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/hprof-fuzz-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) throw std::system_error(errno, std::generic_category(), "mkdtemp");
    dir_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::string file() const { return dir_ + "/object"; }

 private:
  std::string dir_;
};

// Writes `input` to `path` (replacing it); removes it when destroyed.
class InputFile {
 public:
  InputFile(const std::string& path, std::span<const uint8_t> input) : path_(path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "open " + path);
    size_t done = 0;
    while (done < input.size()) {
      const ssize_t n = ::write(fd, input.data() + done, input.size() - done);
      if (n <= 0) {
        ::close(fd);
        throw std::system_error(errno, std::generic_category(), "write " + path);
      }
      done += static_cast<size_t>(n);
    }
    ::close(fd);
  }
  ~InputFile() { ::unlink(path_.c_str()); }

 private:
  std::string path_;
};

// The addresses worth asking about: the entry point, and the start, middle
// and last byte of the first function symbols, read from the file as libelf
// sees it; at most `limit`.
std::vector<uint64_t> interesting_addresses(std::span<const uint8_t> input, size_t limit) {
  std::vector<uint64_t> out;
  std::vector<char> copy(input.begin(), input.end());  // elf_memory wants writable memory
  Elf* elf = elf_memory(copy.data(), copy.size());
  if (elf == nullptr) return out;
  GElf_Ehdr ehdr;
  if (gelf_getehdr(elf, &ehdr) != nullptr) out.push_back(ehdr.e_entry);
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr && out.size() < limit; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr || (shdr.sh_type != SHT_SYMTAB && shdr.sh_type != SHT_DYNSYM) ||
        shdr.sh_entsize == 0) {
      continue;
    }
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (data == nullptr) continue;
    const size_t count = data->d_size / shdr.sh_entsize;
    for (size_t i = 1; i < count && out.size() < limit; ++i) {
      GElf_Sym sym;
      if (gelf_getsym(data, static_cast<int>(i), &sym) == nullptr || GELF_ST_TYPE(sym.st_info) != STT_FUNC) continue;
      out.push_back(sym.st_value);
      if (sym.st_size > 0) {
        out.push_back(sym.st_value + sym.st_size / 2);
        out.push_back(sym.st_value + sym.st_size - 1);
      }
    }
  }
  elf_end(elf);
  return out;
}

// Eight bytes of the input as an address (the fuzzer mutates them too).
uint64_t address_at(std::span<const uint8_t> input, size_t offset) {
  uint64_t value = 0;
  if (input.size() >= offset + sizeof value) std::memcpy(&value, input.data() + offset, sizeof value);
  return value;
}

}  // namespace

void elf_symbolize(std::span<const uint8_t> input) {
  static const bool init = [] {
    elf_version(EV_CURRENT);
    unsetenv("DEBUGINFOD_URLS");  // never the network, whatever the environment says
    return true;
  }();
  (void)init;
  static ScratchDir scratch;
  InputFile file(scratch.file(), input);
  QuietDiagnostics diags;

  std::unique_ptr<ObjectFile> object;
  try {
    object = std::make_unique<ObjectFile>(scratch.file(), DebugSearch{{}, &diags.get()});
  } catch (const std::runtime_error&) {
    return;  // refused as ObjectCache refuses it: "not ELF", ...
  }

  std::vector<uint64_t> addresses = interesting_addresses(input, 48);
  addresses.push_back(address_at(input, input.size() >= 16 ? input.size() - 16 : 0));
  addresses.push_back(address_at(input, input.size() >= 8 ? input.size() - 8 : 0));
  // Announced first or not (the last byte decides): two ways to the DWARF.
  if (!input.empty() && (input.back() & 1) != 0) object->expect(addresses);
  for (uint64_t address : addresses) {
    if (object->lookup(address).frames.empty()) throw std::logic_error("a lookup with no frame");
  }
  for (uint64_t offset : {uint64_t{0}, uint64_t{0x1000}}) {
    object->bias_for_mapping(0x7f0000000000, offset);
    object->segment_mapping_size(offset);
    object->matches_mapping(offset, 0x1000);
  }
  object->build_id();
  object->describe();
}

}  // namespace hprof::fuzz
