// Records with equal stacks and equal values are one sample.  A heap
// checker's dump (HEAPCHECK=normal) writes one record per leaked object:
// gigabytes of a few stacks.  Folded while parsing, memory follows the
// distinct records, not the lines.  Not a public interface of the parse stage.
#pragma once

#include <cstdint>
#include <vector>

#include "common/id_set.h"
#include "parse/heap_profile.h"

namespace hprof::parse_internal {

class RecordFolder {
 public:
  // `samples` must outlive this and grow only through add().
  explicit RecordFolder(std::vector<Sample>& samples);
  RecordFolder(const RecordFolder&) = delete;
  RecordFolder& operator=(const RecordFolder&) = delete;

  // Appends `sample` (one record, its values unsampled), or adds its values
  // to the earlier sample of the same stack and the same values, whose
  // `records` it counts.  The values of records that fold are equal, so the
  // sum is the same as the report's sum over them, and no larger than the
  // sum of their magnitudes, which the parser bounds before folding.
  void add(Sample&& sample);

 private:
  // A sample's key: its stack and the values of one of its records (its
  // own values grow as records fold into it).
  uint64_t hash_of(uint32_t index) const;
  bool same_key(uint32_t a, uint32_t b) const;
  std::vector<Sample>* samples_;
  std::vector<HeapValues> record_values_;  // per sample, the values of one record
  IdSet distinct_;  // indices into *samples_, plus one
};

}  // namespace hprof::parse_internal
