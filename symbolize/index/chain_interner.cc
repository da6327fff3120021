#include "symbolize/index/chain_interner.h"

#include <memory>

namespace hprof {

using index_format::ChainRecord;
using index_format::mix;

uint32_t IndexContents::add_chain(const FrameChain& chain) {
  if (!interned) interned = std::make_shared<Interned>();
  Interned& in = *interned;
  const auto first = static_cast<uint32_t>(in.frame_ids.size());
  uint64_t hash = mix(chain.size());
  for (const Frame& frame : chain) {
    uint32_t id = in.interner.frame(frame);
    in.frame_ids.push_back(id);
    hash = mix(hash ^ id);
  }
  const auto count = static_cast<uint32_t>(chain.size());
  const auto number = static_cast<uint32_t>(in.chains.size());
  uint32_t found = in.chain_index.find_or_add(hash, number + 1, [&](uint32_t other) {
    const ChainRecord& r = in.chains[other - 1];
    return r.count == count &&
           std::equal(in.frame_ids.begin() + r.first, in.frame_ids.begin() + r.first + count,
                      in.frame_ids.begin() + first);
  });
  if (found != number + 1) {
    in.frame_ids.resize(first);  // a chain seen before
    return found - 1;
  }
  in.chains.push_back({first, count});
  return number;
}

FrameChain IndexContents::chain(uint32_t number) const {
  const Interned& in = *interned;
  const ChainRecord& record = in.chains.at(number);
  const std::string& pool = in.interner.pool();
  FrameChain frames;
  frames.reserve(record.count);
  for (uint32_t i = record.first; i < record.first + record.count; ++i) {
    const index_format::FrameRecord& frame = in.interner.frames()[in.frame_ids[i]];
    frames.push_back(Frame{pool.c_str() + frame.function, pool.c_str() + frame.file, frame.line, frame.inlined != 0});
  }
  return frames;
}

size_t IndexContents::chain_count() const { return interned ? interned->chains.size() : 0; }

}  // namespace hprof
