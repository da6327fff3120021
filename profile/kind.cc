#include "profile/kind.h"

namespace hprof {

std::size_t ProfileKind::index_of(std::string_view type) const {
  std::size_t i = 0;
  while (i < sample_types.size() && sample_types[i].type != type) ++i;
  return i;
}

}  // namespace hprof
