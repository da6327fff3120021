// hprof-text's text report against the Go pprof's of the same dump.
#pragma once

#include <string>
#include <vector>

namespace e2e {

struct GoComparison {
  int agreeing_names = 0;                               // rows compared
  std::vector<std::string> our_flat_rows_unknown_to_go;  // rows with flat that Go does not name
};

// Every row both reports name (ours `--show_bytes`, Go's `-text
// -nodefraction=0 -unit=B`) must carry the same flat and cum: a test
// failure for each that does not.  A function that is two rows here, inlined
// and out of line, is one Go node labelled by its edges (docs/compat.md): such
// functions are not compared.
GoComparison compare_with_go_report(const std::string& ours, const std::string& go);

}  // namespace e2e
