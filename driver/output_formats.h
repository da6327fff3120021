// The output formats, in the order --help lists them.
#pragma once

#include <span>

#include "driver/output_format.h"

namespace hprof {

std::span<const OutputFormat* const> output_formats();
// The format of a run given no format flag.
const OutputFormat& default_output_format();

}  // namespace hprof
