#include "symbolize/function_starts.h"

#include <dwarf.h>

#include <algorithm>
#include <cstring>

namespace hprof {
namespace {

template <typename T>
T read_at(const uint8_t* p) {
  T value;
  std::memcpy(&value, p, sizeof value);
  return value;
}

}  // namespace

FunctionStarts::FunctionStarts(Elf* elf) {
  size_t shstrndx = 0;
  if (elf == nullptr || elf_getshdrstrndx(elf, &shstrndx) != 0) return;
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr || shdr.sh_type != SHT_PROGBITS) continue;
    const char* name = elf_strptr(elf, shstrndx, shdr.sh_name);
    if (name == nullptr || std::strcmp(name, ".eh_frame_hdr") != 0) continue;
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (data == nullptr || data->d_buf == nullptr || data->d_size < 12) return;
    const auto* p = static_cast<const uint8_t*>(data->d_buf);
    // version 1; eh_frame_ptr as pcrel sdata4; count as udata4; table of
    // (initial location, FDE address) pairs as datarel sdata4: what GNU ld
    // and lld write on Linux.  Anything else is left alone.
    if (p[0] != 1 || p[1] != (DW_EH_PE_pcrel | DW_EH_PE_sdata4) || p[2] != DW_EH_PE_udata4 ||
        p[3] != (DW_EH_PE_datarel | DW_EH_PE_sdata4)) {
      return;
    }
    uint32_t count = read_at<uint32_t>(p + 8);
    if (count > (data->d_size - 12) / 8) return;
    starts_.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      int32_t relative = read_at<int32_t>(p + 12 + 8 * static_cast<size_t>(i));
      starts_.push_back(shdr.sh_addr + static_cast<uint64_t>(static_cast<int64_t>(relative)));
    }
    std::sort(starts_.begin(), starts_.end());
    return;
  }
}

std::optional<uint64_t> FunctionStarts::start_before(uint64_t file_vaddr) const {
  auto it = std::upper_bound(starts_.begin(), starts_.end(), file_vaddr);
  if (it == starts_.begin()) return std::nullopt;
  return *(it - 1);
}

}  // namespace hprof
