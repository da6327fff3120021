#include "parse/record_folding.h"

namespace hprof::parse_internal {

RecordFolder::RecordFolder(std::vector<Sample>& samples) : samples_(&samples) {}

uint64_t RecordFolder::hash_of(uint32_t index) const {
  const HeapValues& v = record_values_[index];
  uint64_t h = 1469598103934665603ull;  // FNV-1a over the pcs, then the values
  auto mix = [&h](uint64_t word) { h = (h ^ word) * 1099511628211ull; };
  for (uint64_t pc : (*samples_)[index].stack) mix(pc);
  mix(static_cast<uint64_t>(v.inuse_objects));
  mix(static_cast<uint64_t>(v.inuse_bytes));
  mix(static_cast<uint64_t>(v.alloc_objects));
  mix(static_cast<uint64_t>(v.alloc_bytes));
  return mix_hash(h);
}

bool RecordFolder::same_key(uint32_t a, uint32_t b) const {
  return record_values_[a] == record_values_[b] && (*samples_)[a].stack == (*samples_)[b].stack;
}

void RecordFolder::add(Sample&& sample) {
  record_values_.push_back(sample.values);
  samples_->push_back(std::move(sample));
  const auto index = static_cast<uint32_t>(samples_->size() - 1);
  const uint32_t found = distinct_.find_or_add(hash_of(index), index + 1,
                                               [&](uint32_t other) { return same_key(other - 1, index); });
  if (found == index + 1) return;
  Sample& earlier = (*samples_)[found - 1];
  const Sample& record = samples_->back();
  earlier.values.inuse_objects += record.values.inuse_objects;
  earlier.values.inuse_bytes += record.values.inuse_bytes;
  earlier.values.alloc_objects += record.values.alloc_objects;
  earlier.values.alloc_bytes += record.values.alloc_bytes;
  earlier.records += record.records;
  samples_->pop_back();
  record_values_.pop_back();
}

}  // namespace hprof::parse_internal
