#include "symbolize/elf/load_segments.h"

namespace hprof {

LoadSegments::LoadSegments(Elf* elf) {
  size_t count = 0;
  if (elf == nullptr || elf_getphdrnum(elf, &count) != 0) return;
  for (size_t i = 0; i < count; ++i) {
    GElf_Phdr phdr;
    if (gelf_getphdr(elf, static_cast<int>(i), &phdr) != nullptr && phdr.p_type == PT_LOAD) {
      loads_.push_back({phdr.p_offset, phdr.p_vaddr, phdr.p_filesz, (phdr.p_flags & PF_X) != 0});
    }
  }
}

std::optional<uint64_t> LoadSegments::bias_for_mapping(uint64_t start, uint64_t offset) const {
  auto bias_of = [&](const Segment& seg) { return start - offset + seg.offset - seg.vaddr; };
  for (const Segment& seg : loads_) {
    if (offset >= seg.offset && offset < seg.offset + seg.filesz) return bias_of(seg);
  }
  // The kernel maps whole pages: a mapping's offset may be the segment's
  // offset rounded down to a page.
  for (const Segment& seg : loads_) {
    if (offset < seg.offset && seg.offset - offset < 0x10000 && seg.filesz > 0) return bias_of(seg);
  }
  return std::nullopt;
}

std::optional<uint64_t> LoadSegments::segment_mapping_size(uint64_t offset, uint64_t page_size) const {
  const Segment* holder = nullptr;
  for (const Segment& seg : loads_) {
    uint64_t first_page = seg.offset & ~(page_size - 1);
    if (seg.filesz > 0 && offset >= first_page && offset < seg.offset + seg.filesz) {
      holder = &seg;
      break;
    }
  }
  if (holder == nullptr) return std::nullopt;
  uint64_t end = (holder->offset + holder->filesz + page_size - 1) & ~(page_size - 1);
  return end - (holder->offset & ~(page_size - 1));
}

bool LoadSegments::matches_mapping(uint64_t offset, uint64_t size) const {
  for (uint64_t page_size : {uint64_t{4096}, uint64_t{16384}, uint64_t{65536}}) {
    const uint64_t mask = page_size - 1;
    for (const Segment& seg : loads_) {
      if (seg.filesz == 0 || (seg.offset & ~mask) != offset) continue;
      if (((seg.offset + seg.filesz + mask) & ~mask) - offset == size) return true;
    }
  }
  return false;
}

bool LoadSegments::holds_mapping(uint64_t offset, uint64_t size) const {
  for (uint64_t page_size : {uint64_t{4096}, uint64_t{16384}, uint64_t{65536}}) {
    const uint64_t mask = page_size - 1;
    if ((offset & mask) != 0) continue;
    for (const Segment& seg : loads_) {
      const uint64_t first = seg.offset & ~mask, end = (seg.offset + seg.filesz + mask) & ~mask;
      if (seg.executable && seg.filesz > 0 && offset >= first && offset < end && size <= end - offset) return true;
    }
  }
  return false;
}

std::optional<uint64_t> LoadSegments::first_vaddr() const {
  return loads_.empty() ? std::nullopt : std::optional<uint64_t>(loads_.front().vaddr);
}

std::optional<uint64_t> first_load_vaddr(Elf* elf) { return LoadSegments(elf).first_vaddr(); }

}  // namespace hprof
