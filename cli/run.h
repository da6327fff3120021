// The whole program as one re-entrant call: argv in, exit status out.
#pragma once

#include <ostream>

namespace hprof {

// Exit statuses: 0 report printed (with --output-suffix: every report
// written), 1 bad input (with --output-suffix: some report not written),
// 2 usage.  `err_is_terminal` says whether `err` is a terminal (isatty(2)
// for the real stderr): only then is a progress line drawn on `err`
// (--output-suffix's, or a long single run's).  `out_is_terminal` says the same of `out`: --proto refuses
// to write binary data there (status 2).
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err, bool err_is_terminal = false,
        bool out_is_terminal = false);

}  // namespace hprof
