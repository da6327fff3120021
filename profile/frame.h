// What symbolization says about one address: the frames of a profile location.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hprof {

struct Frame {
  std::string function;  // simplified, printable name ("ns::Holder::grow", "[libz.so.1]")
  std::string file;      // source file, empty when unknown
  uint32_t line = 0;     // 0 when unknown
  bool inlined = false;  // an inlined copy: printed with " (inline)"
  bool operator==(const Frame&) const = default;
};

// A frame that is only a name: placeholders such as "<unknown>" or "[libz.so.1]".
inline Frame placeholder_frame(std::string name) {
  Frame frame;
  frame.function = std::move(name);
  return frame;
}

// All frames at one address, innermost (deepest inlined) first; the last one
// is the real function that contains the address.  Never empty once resolved.
using FrameChain = std::vector<Frame>;

}  // namespace hprof
