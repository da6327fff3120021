#include "report/render_dot.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>

#include "report/value_format.h"

namespace hprof {
namespace {

int64_t magnitude(int64_t v) { return v < 0 ? -v : v; }

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

// Graphviz's escString: quotes and backslashes escaped, a newline ends a
// left-justified line.
std::string escaped(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\l";
      continue;
    }
    out += c;
  }
  return out;
}

// The Go pprof's dotColor: -1 green, 0 grey, 1 red; light for a background.
std::string dot_color(double score, bool background) {
  constexpr double kShift = 0.7;
  double saturation = background ? 0.1 : 1.0;
  const double value = background ? 0.93 : 0.7;
  score = std::max(-1.0, std::min(1.0, score));
  if (std::abs(score) < 0.2) saturation *= std::abs(score) / 0.2;
  if (score > 0.0) score = std::pow(score, 1.0 - kShift);
  if (score < 0.0) score = -std::pow(-score, 1.0 - kShift);
  double r, g;
  if (score < 0.0) {
    g = value;
    r = value * (1 + saturation * score);
  } else {
    r = value;
    g = value * (1 - saturation * score);
  }
  const double b = value * (1 - saturation);
  auto byte = [](double x) { return static_cast<unsigned>(static_cast<uint8_t>(x * 255.0)); };
  return fmt::format("#{:02x}{:02x}{:02x}", byte(r), byte(g), byte(b));
}

// The Go pprof's |value * k / total|, in integers where the product fits.
int64_t scaled_share(int64_t value, int64_t k, int64_t total) {
  if (magnitude(value) <= INT64_MAX / k) return magnitude(value * k / total);
  const double ratio = static_cast<double>(value) / static_cast<double>(total);
  return static_cast<int64_t>(std::abs(ratio * static_cast<double>(k)));
}

double share(int64_t value, int64_t total) {
  return total == 0 ? 0.0 : static_cast<double>(value) / static_cast<double>(magnitude(total));
}

class DotWriter {
 public:
  DotWriter(const CallGraph& graph, const ReportOptions& options)
      : graph_(graph), options_(options), format_(options) {}

  std::string write(const std::string& title) {
    fmt::format_to(out(), "digraph \"{}\" {{\n", escaped(title));
    fmt::format_to(out(), "node [style=filled fillcolor=\"#f8f8f8\"]\n");
    legend();
    int64_t max_flat = 0;
    for (const GraphNode& n : graph_.nodes) max_flat = std::max(max_flat, magnitude(n.flat));
    for (std::size_t i = 0; i < graph_.nodes.size(); ++i) node(i, max_flat);
    for (const GraphEdge& e : graph_.edges) edge(e);
    fmt::format_to(out(), "}}\n");
    return fmt::to_string(buffer_);
  }

 private:
  std::back_insert_iterator<fmt::memory_buffer> out() { return std::back_inserter(buffer_); }

  std::string value(int64_t v) const {
    fmt::memory_buffer b;
    format_.append(b, v);
    return fmt::format("{} {}", fmt::string_view(b.data(), b.size()), format_.unit());
  }

  void legend() {
    std::vector<std::string> lines;
    if (!graph_.program.empty()) lines.push_back("File: " + graph_.program);
    lines.push_back("Type: " + options_.sample_type.type);
    int64_t flat_sum = 0;
    for (const GraphNode& n : graph_.nodes) flat_sum += n.flat;
    lines.push_back(fmt::format("Showing nodes accounting for {}, {} of {} total", value(flat_sum),
                                go_percentage(flat_sum, graph_.total), value(graph_.total)));
    if (graph_.total != 0) {
      if (graph_.dropped_nodes > 0) {
        lines.push_back(fmt::format("Dropped {} node{} (cum <= {})", graph_.dropped_nodes,
                                    graph_.dropped_nodes > 1 ? "s" : "", value(graph_.node_limit)));
      }
      if (graph_.dropped_edges > 0) {
        lines.push_back(fmt::format("Dropped {} edge{} (freq <= {})", graph_.dropped_edges,
                                    graph_.dropped_edges > 1 ? "s" : "", value(graph_.edge_limit)));
      }
      if (!graph_.nodes.empty() && graph_.nodes.size() < graph_.nodes_before_count) {
        lines.push_back(fmt::format("Showing top {} nodes out of {}", graph_.nodes.size(), graph_.nodes_before_count));
      }
    }
    std::string label;
    for (const std::string& line : lines) label += escaped(line) + "\\l";
    fmt::format_to(out(), "subgraph cluster_L {{ \"{}\" [shape=box fontsize=16 label=\"{}\"] }}\n",
                   escaped(lines.front()), label);
  }

  // The Go pprof's multilinePrintableName: a function's short name, a line
  // per namespace or class.
  std::string name_lines(const std::string& name) const {
    if (options_.granularity != Granularity::kFunctions) return escaped(name) + "\\n";
    std::string s = escaped(shortened_function_name(name));
    replace_all(s, "::", "\\n");
    // Java's and Go's dots; not the dots of a file named for code no symbol covers ("libz.so.1+0x40").
    if (s.find("+0x") == std::string::npos && !s.starts_with('[')) replace_all(s, ".", "\\n");
    return s + "\\n";
  }

  void node(std::size_t i, int64_t max_flat) {
    const GraphNode& n = graph_.nodes[i];
    std::string label = name_lines(n.name);
    const std::string flat = value(n.flat);
    label += n.flat != 0 ? fmt::format("{} ({})", flat, go_percentage(n.flat, graph_.total)) : "0";
    std::string cum = flat;
    if (n.cum != n.flat) {
      cum = value(n.cum);
      label += fmt::format("{}of {} ({})", n.flat != 0 ? "\\n" : " ", cum, go_percentage(n.cum, graph_.total));
    }
    // From 8 to 24 points, growing as the square root of flat.
    int font_size = 8;
    if (max_flat != 0 && n.flat != 0) {
      font_size += static_cast<int>(
          std::ceil(16.0 * std::sqrt(static_cast<double>(magnitude(n.flat)) / static_cast<double>(max_flat))));
    }
    const double score = share(n.cum, graph_.total);
    fmt::format_to(out(),
                   "N{} [label=\"{}\" id=\"node{}\" fontsize={} shape=box tooltip=\"{} ({})\" color=\"{}\" "
                   "fillcolor=\"{}\"]\n",
                   i + 1, label, i + 1, font_size, escaped(n.name), cum, dot_color(score, false),
                   dot_color(score, true));
  }

  void edge(const GraphEdge& e) {
    const std::string w = value(e.weight);
    std::string attributes = fmt::format("label=\" {}{}\"", w, e.inlined ? "\\n (inline)" : "");
    if (graph_.total != 0) {
      // The layout's weight grows to 101 and the pen to 6 with the share of Total.
      if (const int64_t weight = 1 + std::min<int64_t>(scaled_share(e.weight, 100, graph_.total), 100); weight > 1) {
        attributes += fmt::format(" weight={}", weight);
      }
      if (const int64_t width = 1 + std::min<int64_t>(scaled_share(e.weight, 5, graph_.total), 5); width > 1) {
        attributes += fmt::format(" penwidth={}", width);
      }
      attributes += fmt::format(" color=\"{}\"", dot_color(share(e.weight, graph_.total), false));
    }
    const std::string tooltip = fmt::format("\"{} {} {} ({})\"", escaped(graph_.nodes[e.from].name),
                                            e.residual ? "..." : "->", escaped(graph_.nodes[e.to].name), w);
    attributes += fmt::format(" tooltip={} labeltooltip={}", tooltip, tooltip);
    if (e.residual) {
      attributes += " style=\"dotted\"";
    } else if (e.inlined) {
      attributes += " style=\"dashed\"";
    }
    fmt::format_to(out(), "N{} -> N{} [{}]\n", e.from + 1, e.to + 1, attributes);
  }

  const CallGraph& graph_;
  const ReportOptions& options_;
  ValueFormat format_;
  fmt::memory_buffer buffer_;
};

}  // namespace

std::string shortened_function_name(const std::string& name) {
  // google/pprof internal/graph/graph.go, the patterns as they are there.
  static const RE2 anonymous_prefix(R"(^\(anonymous namespace\)::)");
  static const RE2 go_version(R"(^(.*?)/v(?:[2-9]|[1-9][0-9]+)([./].*)$)");
  static const RE2 go_name(R"(^(?:[\w\-\.]+\/)+([^.]+\..+))");
  static const RE2 java_name(R"(^(?:[a-z]\w*\.)*([A-Z][\w\$]*\.(?:<init>|[a-z][\w\$]*(?:\$\d+)?))(?:(?:\()|$))");
  static const RE2 cpp_name(R"(^(?:[_a-zA-Z]\w*::)+(_*[A-Z]\w*::~?[_a-zA-Z]\w*(?:<.*>)?))");
  std::string s = name;
  RE2::Replace(&s, anonymous_prefix, "");
  RE2::Replace(&s, go_version, R"(\1\2)");
  std::string short_name;
  for (const RE2* re : {&go_name, &java_name, &cpp_name}) {
    if (RE2::PartialMatch(s, *re, &short_name)) return short_name;
  }
  return s;
}

std::string go_percentage(int64_t value, int64_t total) {
  const double ratio = total == 0 ? 0.0 : std::abs(static_cast<double>(value) / static_cast<double>(total) * 100);
  if (ratio >= 99.95 && ratio <= 100.05) return "100%";
  if (ratio >= 1.0) return fmt::format("{:.2f}%", ratio);
  return fmt::format("{:.2g}%", ratio);
}

std::string render_dot(const CallGraph& graph, const ReportOptions& options, const std::string& title) {
  return DotWriter(graph, options).write(title);
}

}  // namespace hprof
