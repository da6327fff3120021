// Strings, frames and chains, each distinct one stored once, as the index
// file stores them: what IndexContents::add_chain builds and the writer lays
// out.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "profile/frame.h"
#include "symbolize/index/index_format.h"
#include "symbolize/index/symbol_index.h"

namespace hprof {
namespace index_format {

// A hash set of nonzero 32-bit ids whose keys live elsewhere (in the string
// pool, in the frame records): open addressing, linear probing, each slot
// the id and 32 bits of its key's hash.  For a few million frames a
// node-based map costs more than all the rest of the serialization.
class IdSet {
 public:
  // The id of the key `same` recognizes when the set has it; else `id`,
  // which is added.
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

inline uint64_t mix(uint64_t h) {  // murmur3's finalizer
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 33);
}

// Strings and frames, each distinct one stored once.
class Interner {
 public:
  Interner() { pool_.push_back('\0'); }  // offset 0: ""

  uint32_t string(std::string_view s) {
    s = s.substr(0, s.find('\0'));  // a NUL would end it in the pool anyway
    if (s.empty()) return 0;
    if (pool_.size() + s.size() + 1 > std::numeric_limits<uint32_t>::max()) {
      too_big_ = true;
      return 0;
    }
    const auto offset = static_cast<uint32_t>(pool_.size());
    uint32_t found = strings_.find_or_add(std::hash<std::string_view>()(s), offset, [&](uint32_t at) {
      return pool_.compare(at, s.size(), s) == 0 && pool_[at + s.size()] == '\0';
    });
    if (found == offset) {
      pool_.append(s);
      pool_.push_back('\0');
    }
    return found;
  }

  uint32_t frame(const Frame& frame) {
    FrameRecord record{string(frame.function), string(frame.file), frame.line, frame.inlined, {}};
    uint64_t hash =
        mix((uint64_t{record.function} << 32 | record.file) ^ mix(uint64_t{record.line} << 1 | record.inlined));
    const auto id = static_cast<uint32_t>(frames_.size() + 1);  // ids are nonzero: index + 1
    uint32_t found = frames_index_.find_or_add(hash, id, [&](uint32_t other) {
      const FrameRecord& r = frames_[other - 1];
      return r.function == record.function && r.file == record.file && r.line == record.line &&
             r.inlined == record.inlined;
    });
    if (found == id) frames_.push_back(record);
    return found - 1;
  }

  const std::string& pool() const { return pool_; }
  const std::vector<FrameRecord>& frames() const { return frames_; }
  bool too_big() const { return too_big_; }

 private:
  std::string pool_;
  IdSet strings_;  // pool offsets
  std::vector<FrameRecord> frames_;
  IdSet frames_index_;  // frame index + 1
  bool too_big_ = false;
};

}  // namespace index_format

// The chains as the file stores them, built as they are added.
struct IndexContents::Interned {
  index_format::Interner interner;
  std::vector<index_format::ChainRecord> chains;
  std::vector<uint32_t> frame_ids;
  index_format::IdSet chain_index;  // chain number + 1
};

}  // namespace hprof
