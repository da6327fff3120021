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

#include "common/id_set.h"
#include "profile/frame.h"
#include "symbolize/index/index_format.h"
#include "symbolize/index/symbol_index.h"

namespace hprof {
namespace index_format {

using hprof::IdSet;

inline uint64_t mix(uint64_t h) { return mix_hash(h); }

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
