// One output format: its flag, its line in --help, the model the driver
// builds for it and how that model is written.  Each format is one file
// (driver/format_*.cc) and one row of the table in driver/output_formats.cc.
#pragma once

#include <string>

#include "report/graph.h"
#include "report/pprof_profile.h"
#include "report/report.h"
#include "report/stacks.h"
#include "report/trend.h"

namespace hprof {

// What the driver builds for a format.
enum class ReportModel {
  kRows,    // the text report's rows (Report)
  kStacks,  // each distinct stack with its value (StackProfile)
  kPprof,   // pprof's profile.proto (PprofProfile)
  kTrend,   // each profile reported on its own, the reports joined (Trend)
  kGraph,   // the call graph, pruned (CallGraph)
};

// The model of one output, the one the format names set.
struct Rendering {
  const ReportOptions& options;
  std::string title;  // the profiles shown: "a.heap + b.heap - base.heap"
  const Report* rows = nullptr;
  const StackProfile* stacks = nullptr;
  const PprofProfile* pprof = nullptr;
  const Trend* trend = nullptr;
  const CallGraph* graph = nullptr;
};

struct OutputFormat {
  const char* flag;  // "--text"
  const char* help;  // its line in --help (the man page and completions are made from it)
  ReportModel model;
  std::string (*render)(const Rendering& rendering);
  bool binary = false;  // not for a terminal
  // What a trend prints, for messages: "table", "chart".
  const char* shape = "report";
};

}  // namespace hprof
