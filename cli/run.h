// The whole program as one re-entrant call: argv in, exit status out.
#pragma once

#include <ostream>

namespace hprof {

// Exit statuses: 0 report printed, 1 bad input, 2 usage.
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace hprof
