// What one run asks of the driver: the command line, parsed (cli/options.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "driver/output_formats.h"
#include "report/filter.h"
#include "report/graph.h"
#include "report/report.h"
#include "symbolize/symbolize_options.h"

namespace hprof {

struct Options {
  const OutputFormat* format = &default_output_format();
  // The sample type reported (--inuse_objects, ...); empty: the kind's default.
  // The driver sets report.sample_type from it.
  std::string sample_type;
  ReportOptions report;
  FilterOptions filter;
  GraphOptions graph;  // --nodecount, --nodefraction, --edgefraction, --maxdegree (call graphs)
  SymbolizeOptions symbolize;          // symbolize.program: PROGRAM, when the first argument is an ELF file
  std::optional<std::string> base;     // --base: a profile subtracted from the sum of `profiles`
  std::vector<std::string> profiles;
  // --output-suffix: batch mode, one report per profile written to
  // PROFILE + suffix (never empty, never naming an input); stdout stays empty.
  std::optional<std::string> output_suffix;
  // --trend and --trend-chart: each profile reported on its own, the reports
  // joined into one table (or chart) with a column per profile (two or more;
  // neither --base nor --output-suffix).
  bool trend() const { return format->model == ReportModel::kTrend; }
};

}  // namespace hprof
