// The output modes: exactly one per run, each selected by its flag.  A new
// mode is one enumerator, one line of kOutputModes and one case in run.cc.
#pragma once

#include <array>

namespace hprof {

enum class OutputMode { kText, kCollapsed, kFlamegraph, kTrend, kTrendChart, kProto };

struct OutputModeFlag {
  OutputMode mode;
  const char* flag;
  const char* help;
};

inline constexpr std::array kOutputModes = {
    OutputModeFlag{OutputMode::kText, "--text", "Print the text report (the default)"},
    OutputModeFlag{OutputMode::kCollapsed, "--collapsed",
                   "Print folded stacks, 'root;...;leaf VALUE' (FlameGraph, inferno, speedscope)"},
    OutputModeFlag{OutputMode::kFlamegraph, "--flamegraph", "Print a flame graph as a self-contained SVG"},
    OutputModeFlag{OutputMode::kTrend, "--trend",
                   "One column per profile (dumps of one process, in order), rows sorted by growth"},
    OutputModeFlag{OutputMode::kTrendChart, "--trend-chart",
                   "The --trend as an SVG line chart: the rows that grew most, and the Total"},
    OutputModeFlag{OutputMode::kProto, "--proto",
                   "Write pprof's profile.proto, gzip-compressed, for pprof and its web UI (binary: redirect stdout)"},
};

}  // namespace hprof
