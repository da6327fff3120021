// A hash set of nonzero 32-bit ids whose keys live elsewhere (in a vector of
// samples, of locations, in a string pool): open addressing, linear probing,
// each slot the id and 32 bits of its key's hash.  For a few million keys a
// node-based set costs a malloc each and more than the rest of the work.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace hprof {

class IdSet {
 public:
  // The id of the key `same` recognizes when the set has it; else `id`,
  // which is added.  `hash` must be well mixed (mix_hash): its high half
  // picks the slot.
  template <typename Same>
  uint32_t find_or_add(uint64_t hash, uint32_t id, Same same) {
    if ((count_ + 1) * 2 > slots_.size()) grow();
    const uint64_t tag = hash >> 32;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = tag & mask;; i = (i + 1) & mask) {
      uint64_t slot = slots_[i];
      if (slot == 0) {
        slots_[i] = tag << 32 | id;
        ++count_;
        return id;
      }
      if ((slot >> 32) == tag && same(static_cast<uint32_t>(slot))) return static_cast<uint32_t>(slot);
    }
  }

 private:
  void grow() {
    std::vector<uint64_t> old =
        std::exchange(slots_, std::vector<uint64_t>(std::max<std::size_t>(1024, 2 * slots_.size())));
    const std::size_t mask = slots_.size() - 1;
    for (uint64_t slot : old) {
      if (slot == 0) continue;
      std::size_t i = (slot >> 32) & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }
  std::vector<uint64_t> slots_;
  std::size_t count_ = 0;
};

// murmur3's finalizer: every input bit reaches every output bit.
inline uint64_t mix_hash(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 33);
}

}  // namespace hprof
