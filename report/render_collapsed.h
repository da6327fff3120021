// Folded stacks, the input of FlameGraph's flamegraph.pl, inferno and
// speedscope: one line per distinct stack, "root;caller;...;leaf VALUE".
#pragma once

#include <string>

#include "report/stacks.h"

namespace hprof {

// Values are the chosen sample's integers (bytes or objects, never MB).
// Frame names are the text report's, with the characters the format cannot
// carry replaced: ';' (the frame separator) by ':', and line breaks by ' '.
// A name may contain spaces: readers split the value off at the last space.
// Lines are sorted bytewise.
std::string render_collapsed(const StackProfile& stacks);

}  // namespace hprof
