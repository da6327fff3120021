#include "symbolize/elf/function_starts.h"

#include <dwarf.h>
#include <elfutils/libdw.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "symbolize/elf/elf_sections.h"

namespace hprof {
namespace {

template <typename T>
T read_at(const uint8_t* p) {
  T value;
  std::memcpy(&value, p, sizeof value);
  return value;
}

bool read_uleb(const uint8_t*& p, const uint8_t* end, uint64_t& value) {
  value = 0;
  for (unsigned shift = 0; p < end && shift < 64; shift += 7) {
    uint8_t byte = *p++;
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

bool read_sleb(const uint8_t*& p, const uint8_t* end, int64_t& value) {
  uint64_t result = 0;
  unsigned shift = 0;
  while (p < end && shift < 64) {
    uint8_t byte = *p++;
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    shift += 7;
    if ((byte & 0x80) == 0) {
      if (shift < 64 && (byte & 0x40)) result |= ~uint64_t{0} << shift;
      value = static_cast<int64_t>(result);
      return true;
    }
  }
  return false;
}

template <typename T>
bool read_fixed(const uint8_t*& p, const uint8_t* end, uint64_t& value) {
  if (end - p < static_cast<std::ptrdiff_t>(sizeof(T))) return false;
  // Signed types sign-extend, unsigned ones zero-extend.
  value = static_cast<uint64_t>(read_at<T>(p));
  p += sizeof(T);
  return true;
}

// One pointer in DW_EH_PE encoding `encoding`; `field_address` is where the
// field itself is loaded (for pc-relative values).  Absolute and
// pc-relative values only: nothing on Linux uses the others in FDEs.
std::optional<uint64_t> read_pointer(const uint8_t*& p, const uint8_t* end, uint8_t encoding,
                                     uint64_t field_address, bool wide) {
  if (encoding == DW_EH_PE_omit || (encoding & DW_EH_PE_indirect)) return std::nullopt;
  uint64_t value = 0;
  bool ok = false;
  switch (encoding & 0x0f) {
    case DW_EH_PE_absptr: ok = wide ? read_fixed<uint64_t>(p, end, value) : read_fixed<uint32_t>(p, end, value); break;
    case DW_EH_PE_uleb128: ok = read_uleb(p, end, value); break;
    case DW_EH_PE_udata2: ok = read_fixed<uint16_t>(p, end, value); break;
    case DW_EH_PE_udata4: ok = read_fixed<uint32_t>(p, end, value); break;
    case DW_EH_PE_udata8: ok = read_fixed<uint64_t>(p, end, value); break;
    case DW_EH_PE_sleb128: {
      int64_t signed_value = 0;
      ok = read_sleb(p, end, signed_value);
      value = static_cast<uint64_t>(signed_value);
      break;
    }
    case DW_EH_PE_sdata2: ok = read_fixed<int16_t>(p, end, value); break;
    case DW_EH_PE_sdata4: ok = read_fixed<int32_t>(p, end, value); break;
    case DW_EH_PE_sdata8: ok = read_fixed<int64_t>(p, end, value); break;
    default: return std::nullopt;
  }
  if (!ok) return std::nullopt;
  switch (encoding & 0x70) {
    case DW_EH_PE_absptr: return value;
    case DW_EH_PE_pcrel: return value + field_address;
    default: return std::nullopt;
  }
}

// The FDE pointer encoding a CIE announces ('R' in a "z" augmentation);
// nullopt when the augmentation is not understood.
std::optional<uint8_t> fde_encoding(const Dwarf_CIE& cie, bool wide) {
  const char* augmentation = cie.augmentation != nullptr ? cie.augmentation : "";
  uint8_t absolute = DW_EH_PE_absptr;
  if (*augmentation == '\0') return absolute;
  if (*augmentation != 'z' || cie.augmentation_data == nullptr) return std::nullopt;
  const uint8_t* p = cie.augmentation_data;
  const uint8_t* end = p + cie.augmentation_data_size;
  uint8_t encoding = absolute;
  for (const char* a = augmentation + 1; *a != '\0'; ++a) {
    switch (*a) {
      case 'R':
        if (p >= end) return std::nullopt;
        encoding = *p++;
        break;
      case 'L':
        if (p >= end) return std::nullopt;
        ++p;
        break;
      case 'P': {
        if (p >= end) return std::nullopt;
        uint8_t personality = *p++;
        // Its value does not matter, only its size; pc-relative is fine at 0.
        if (!read_pointer(p, end, personality & ~DW_EH_PE_indirect & 0x7f, 0, wide)) return std::nullopt;
        break;
      }
      case 'S':
      case 'B':
        break;
      default:
        return std::nullopt;
    }
  }
  return encoding;
}

}  // namespace

void FdeExtents::add_sections(Elf* elf, bool debug_frame) {
  for (const char* name : {".eh_frame", ".debug_frame"}) {
    if (!debug_frame && std::strcmp(name, ".debug_frame") == 0) continue;
    GElf_Shdr shdr;
    Elf_Scn* scn = section_named(elf, name, &shdr);
    if (scn == nullptr) continue;
    // Debug sections are often compressed (SHF_COMPRESSED); libdw does the same.
    if ((shdr.sh_flags & SHF_COMPRESSED) != 0 &&
        (elf_compress(scn, 0, 0) < 0 || gelf_getshdr(scn, &shdr) == nullptr)) {
      continue;
    }
    add_section(elf, scn, shdr, std::strcmp(name, ".eh_frame") == 0);
  }
}

void FdeExtents::add_section(Elf* elf, Elf_Scn* scn, const GElf_Shdr& shdr, bool eh_frame) {
  Elf_Data* data = elf_getdata(scn, nullptr);
  const auto* ident = reinterpret_cast<const unsigned char*>(elf_getident(elf, nullptr));
  if (data == nullptr || data->d_buf == nullptr || ident == nullptr) return;
  const bool wide = ident[EI_CLASS] == ELFCLASS64;
  const auto* base = static_cast<const uint8_t*>(data->d_buf);
  std::unordered_map<Dwarf_Off, std::optional<uint8_t>> encodings;  // by CIE offset
  Dwarf_Off offset = 0, next = 0;
  Dwarf_CFI_Entry entry;
  while (dwarf_next_cfi(ident, data, eh_frame, offset, &next, &entry) == 0) {
    if (dwarf_cfi_cie_p(&entry)) {
      encodings[offset] = fde_encoding(entry.cie, wide);
    } else if (auto cie = encodings.find(entry.fde.CIE_pointer); cie != encodings.end() && cie->second) {
      const uint8_t* p = entry.fde.start;
      const uint8_t* end = entry.fde.end;
      uint64_t field_address = shdr.sh_addr + static_cast<uint64_t>(p - base);
      auto start = read_pointer(p, end, *cie->second, field_address, wide);
      auto range = read_pointer(p, end, *cie->second & 0x0f, 0, wide);
      if (start && range && *range > 0) extents_.push_back({*start, *start + *range});
    }
    offset = next;
  }
}

void FdeExtents::finish() {
  std::sort(extents_.begin(), extents_.end(), [](const Extent& a, const Extent& b) { return a.start < b.start; });
}

std::optional<uint64_t> FdeExtents::start_of(uint64_t file_vaddr) const {
  return extent_start_of<Extent>(extents_, file_vaddr);
}

}  // namespace hprof
