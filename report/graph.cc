#include "report/graph.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <numeric>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "report/row_keys.h"

namespace hprof {
namespace {

// |v|: what one report sums is bounded by 2^63-1, so no value is INT64_MIN.
int64_t magnitude(int64_t v) { return v < 0 ? -v : v; }

// The Go pprof's |int64(value * fraction)|.
int64_t cutoff(int64_t value, double fraction) {
  return magnitude(static_cast<int64_t>(static_cast<double>(value) * fraction));
}

// The Go pprof draws a node's samples by object size (its "bytes" label) as
// boxes beside it, and --nodecount counts up to this many of them per node.
constexpr int kMaxSizeBoxes = 4;

struct SizeSum {
  int64_t flat = 0;
  int64_t cum = 0;
};

// The Go pprof's label of an object size in its default unit ("minimum"):
// "16B", "1.01kB".  Sizes with one label are one box.
std::string size_label(int64_t bytes) {
  static constexpr std::array<std::pair<const char*, double>, 6> kUnits{
      {{"B", 1.0}, {"kB", 0x1p10}, {"MB", 0x1p20}, {"GB", 0x1p30}, {"TB", 0x1p40}, {"PB", 0x1p50}}};
  const double v = static_cast<double>(bytes);
  std::pair<const char*, double> unit = kUnits[0];
  for (const auto& u : kUnits) {
    if (v / u.second >= 1.0) unit = u;
  }
  std::string s = fmt::format("{:.2f}", v / unit.second);
  if (s.ends_with(".00")) s.resize(s.size() - 3);
  return s == "0" ? s : s + unit.first;
}

// How many boxes the Go pprof draws beside a node: its object sizes with flat
// whose flat or cum reaches the node cutoff, at most kMaxSizeBoxes.  Keyed
// by their labels in its default unit, or by the exact size with
// --show_bytes (its -unit=B).
int size_boxes(const std::unordered_map<int64_t, SizeSum>& sizes, int64_t node_cutoff, bool exact) {
  std::unordered_map<std::string, SizeSum> by_label;
  if (!exact) {
    for (const auto& [size, v] : sizes) {
      SizeSum& sum = by_label[size_label(size)];
      sum.flat += v.flat;
      sum.cum += v.cum;
    }
  }
  int boxes = 0;
  auto count = [&](const SizeSum& v) {
    if (v.flat != 0 && (magnitude(v.flat) >= node_cutoff || magnitude(v.cum) >= node_cutoff)) ++boxes;
  };
  if (exact) {
    for (const auto& [size, v] : sizes) count(v);
  } else {
    for (const auto& [label, v] : by_label) count(v);
  }
  return std::min(boxes, kMaxSizeBoxes);
}

struct EdgeSum {
  int64_t weight = 0;
  bool inlined = true;
  bool residual = false;
};

// The values of one pass over the samples, by row id.
struct Sums {
  std::vector<int64_t> flat, cum;
  std::vector<std::unordered_map<int64_t, SizeSum>> sizes;  // object size -> values
  std::unordered_map<uint64_t, EdgeSum> edges;              // caller id << 32 | callee id
};

uint64_t edge_key(uint32_t from, uint32_t to) { return (uint64_t{from} << 32) | to; }

// A graph between prunings: nodes are dense indices over row ids.
struct Work {
  struct Edge {
    uint32_t from, to;
    EdgeSum sum;
    bool kept = true;
  };
  std::vector<uint32_t> ids;  // node -> row id
  std::vector<int64_t> flat, cum;
  std::vector<Edge> edges;
  std::vector<std::vector<uint32_t>> in, out;  // node -> edge indices
};

// Go's math.Log2 (frexp, then the natural log), so that scores tie and
// truncate as the Go pprof's do.
double go_log2(double x) {
  int exp = 0;
  const double frac = std::frexp(x, &exp);
  if (frac == 0.5) return exp - 1;
  return std::log(frac) * 1.44269504088896340735992468100189214 + exp;
}

// pprof's edgeEntropyScore: how evenly a node's value spreads over its edges.
double edge_entropy(const Work& w, const std::vector<uint32_t>& edges, int64_t self) {
  int64_t total = self;
  for (uint32_t e : edges) {
    if (w.edges[e].sum.weight > 0) total += w.edges[e].sum.weight;
  }
  if (total == 0) return 0;
  double score = 0;
  auto add = [&](int64_t v) {
    const double frac = static_cast<double>(magnitude(v)) / static_cast<double>(total);
    if (frac > 0) score += -frac * go_log2(frac);  // Go's 0 * -Inf is NaN; a zero share adds nothing
  };
  for (uint32_t e : edges) add(w.edges[e].sum.weight);
  if (self > 0) add(self);
  return score;
}

// pprof's entropyScore: entry and leaf nodes, and nodes where paths split or
// join, are worth drawing; a node that only passes its value on is not.
int64_t entropy_score(const Work& w, uint32_t n) {
  double score = 0;
  score += w.in[n].empty() ? 1 : edge_entropy(w, w.in[n], 0);
  score += w.out[n].empty() ? 1 : edge_entropy(w, w.out[n], w.flat[n]);
  return static_cast<int64_t>(score * static_cast<double>(w.cum[n])) + w.flat[n];
}

class GraphBuilder {
 public:
  GraphBuilder(const std::vector<const ReportProfile*>& profiles, const ReportOptions& options)
      : profiles_(profiles), options_(options), keys_(options.granularity, InlineRows::kMerged) {
    rows_.resize(profiles.size());
    for (std::size_t p = 0; p < profiles.size(); ++p) rows_[p].assign(*profiles[p], keys_);
  }

  CallGraph build(const GraphOptions& o);

 private:
  Sums sum(const std::vector<uint8_t>& keep, bool with_sizes = true);
  Work work(const Sums& sums) const;
  std::vector<uint32_t> entropy_order(const Work& w) const;
  bool edge_before(const Work& w, uint32_t a, uint32_t b) const;
  std::vector<uint32_t> kept_edges_in_order(const Work& w, const std::vector<uint32_t>& edges) const;
  void remove_redundant_edges(Work& w, const std::vector<uint32_t>& order) const;
  std::size_t limit_degree(Work& w, int maxdegree) const;
  const std::string& name(const Work& w, uint32_t n) const { return keys_.name(w.ids[n]); }

  const std::vector<const ReportProfile*>& profiles_;
  const ReportOptions& options_;
  KeyTable keys_;
  std::vector<LocationRows> rows_;  // by profile
  CallGraph graph_;                 // total and empty stacks, summed by the first pass
  bool first_pass_ = true;
};

// pprof's newGraph: each sample walked root first, outermost frame of a
// location first; nodes `keep` drops are skipped, and the edge over them is
// residual; flat only when the innermost frame is kept.  `with_sizes`: the
// object sizes too, which only --nodecount's choice reads.
Sums GraphBuilder::sum(const std::vector<uint8_t>& keep, bool with_sizes) {
  const std::size_t n = keys_.size();
  Sums s;
  s.flat.assign(n, 0);
  s.cum.assign(n, 0);
  s.sizes.resize(n);
  std::vector<uint64_t> seen(n, 0);  // seen[id] == stamp: id got cum for this sample
  uint64_t stamp = 0;
  std::unordered_set<uint64_t> seen_edges;
  for (std::size_t p = 0; p < profiles_.size(); ++p) {
    const ReportProfile& profile = *profiles_[p];
    const LocationRows& rows = rows_[p];
    const std::size_t index = profile.kind->index_of(options_.sample_type.type);
    for (std::size_t i = 0; i < profile.samples.size(); ++i) {
      const ProfileSample& sample = profile.samples[i];
      const int64_t v = profile.value(sample, index);
      const bool has_frame = rows.has_frame(sample);
      if (first_pass_) {
        graph_.total += v;
        if (!has_frame) graph_.empty_stack_records += static_cast<int64_t>(sample.records);
      }
      if (v == 0 || !has_frame || !profile.is_kept(i)) continue;
      const int64_t size = profile.kind->object_size != nullptr ? profile.kind->object_size(sample.values) : 0;
      ++stamp;
      seen_edges.clear();
      constexpr uint32_t kNone = UINT32_MAX;
      uint32_t parent = kNone;
      bool residual = false;
      for (auto l = sample.locations.rbegin(); l != sample.locations.rend(); ++l) {
        const auto ids = rows.of(*l);
        for (std::size_t k = ids.size(); k-- > 0;) {
          const uint32_t id = ids[k];
          if (!keep[id]) {
            residual = true;
            continue;
          }
          if (seen[id] != stamp) {
            seen[id] = stamp;
            s.cum[id] += v;
            if (with_sizes) s.sizes[id][size].cum += v;
          }
          if (parent != kNone && parent != id && seen_edges.insert(edge_key(parent, id)).second) {
            EdgeSum& e = s.edges[edge_key(parent, id)];
            e.weight += v;
            e.residual = e.residual || residual;
            e.inlined = e.inlined && k + 1 != ids.size();  // not the location's outermost frame
          }
          parent = id;
          residual = false;
        }
      }
      if (parent != kNone && !residual) {
        s.flat[parent] += v;
        if (with_sizes) s.sizes[parent][size].flat += v;
      }
    }
  }
  first_pass_ = false;
  return s;
}

// The nodes with a value (--drop_negative: not negative) and the edges between them.
Work GraphBuilder::work(const Sums& sums) const {
  Work w;
  std::vector<uint32_t> node_of(sums.flat.size(), UINT32_MAX);
  for (uint32_t id = 0; id < sums.flat.size(); ++id) {
    const int64_t flat = sums.flat[id], cum = sums.cum[id];
    if (flat == 0 && cum == 0) continue;
    if (options_.drop_negative && (flat < 0 || (flat == 0 && cum < 0))) continue;
    node_of[id] = static_cast<uint32_t>(w.ids.size());
    w.ids.push_back(id);
    w.flat.push_back(flat);
    w.cum.push_back(cum);
  }
  w.in.resize(w.ids.size());
  w.out.resize(w.ids.size());
  for (const auto& [key, edge_sum] : sums.edges) {
    const uint32_t from = node_of[key >> 32], to = node_of[key & UINT32_MAX];
    if (from == UINT32_MAX || to == UINT32_MAX) continue;
    const auto e = static_cast<uint32_t>(w.edges.size());
    w.edges.push_back(Work::Edge{from, to, edge_sum});
    w.out[from].push_back(e);
    w.in[to].push_back(e);
  }
  return w;
}

// pprof's EntropyOrder: |score| descending, then name, then |flat| descending.
std::vector<uint32_t> GraphBuilder::entropy_order(const Work& w) const {
  std::vector<int64_t> score(w.ids.size());
  for (uint32_t n = 0; n < w.ids.size(); ++n) score[n] = entropy_score(w, n);
  std::vector<uint32_t> order(w.ids.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (magnitude(score[a]) != magnitude(score[b])) return magnitude(score[a]) > magnitude(score[b]);
    if (name(w, a) != name(w, b)) return name(w, a) < name(w, b);
    if (magnitude(w.flat[a]) != magnitude(w.flat[b])) return magnitude(w.flat[a]) > magnitude(w.flat[b]);
    return w.ids[a] < w.ids[b];  // two rows that print alike (--addresses across runs)
  });
  return order;
}

// pprof's edge order: |weight| descending, then caller name, then callee name.
bool GraphBuilder::edge_before(const Work& w, uint32_t a, uint32_t b) const {
  const Work::Edge& x = w.edges[a];
  const Work::Edge& y = w.edges[b];
  if (magnitude(x.sum.weight) != magnitude(y.sum.weight)) return magnitude(x.sum.weight) > magnitude(y.sum.weight);
  if (name(w, x.from) != name(w, y.from)) return name(w, x.from) < name(w, y.from);
  if (name(w, x.to) != name(w, y.to)) return name(w, x.to) < name(w, y.to);
  return a < b;
}

std::vector<uint32_t> GraphBuilder::kept_edges_in_order(const Work& w, const std::vector<uint32_t>& edges) const {
  std::vector<uint32_t> kept;
  for (uint32_t e : edges) {
    if (w.edges[e].kept) kept.push_back(e);
  }
  std::sort(kept.begin(), kept.end(), [&](uint32_t a, uint32_t b) { return edge_before(w, a, b); });
  return kept;
}

// pprof's RemoveRedundantEdges: a residual edge goes when its callee is
// reached from its caller another way; the lightest first, and never one
// heavier than a direct call into the same node.
void GraphBuilder::remove_redundant_edges(Work& w, const std::vector<uint32_t>& order) const {
  auto redundant = [&w](uint32_t edge) {
    const uint32_t src = w.edges[edge].from;
    std::vector<uint8_t> seen(w.ids.size(), 0);
    std::deque<uint32_t> queue{w.edges[edge].to};
    seen[w.edges[edge].to] = 1;
    while (!queue.empty()) {
      const uint32_t n = queue.front();
      queue.pop_front();
      for (uint32_t e : w.in[n]) {
        if (e == edge || !w.edges[e].kept || seen[w.edges[e].from]) continue;
        if (w.edges[e].from == src) return true;
        seen[w.edges[e].from] = 1;
        queue.push_back(w.edges[e].from);
      }
    }
    return false;
  };
  for (auto n = order.rbegin(); n != order.rend(); ++n) {
    const std::vector<uint32_t> in = kept_edges_in_order(w, w.in[*n]);
    for (auto e = in.rbegin(); e != in.rend(); ++e) {
      if (!w.edges[*e].sum.residual) break;
      if (redundant(*e)) w.edges[*e].kept = false;
    }
  }
}

// The Perl pprof's --maxdegree, heaviest edge first: an edge into a node no
// kept edge reaches yet is kept (the node stays reachable); another is
// dropped once its caller has `maxdegree` calls or its callee `maxdegree`
// callers.  Returns how many were dropped.
std::size_t GraphBuilder::limit_degree(Work& w, int maxdegree) const {
  if (maxdegree <= 0) return 0;
  std::vector<uint32_t> all(w.edges.size());
  std::iota(all.begin(), all.end(), 0);
  std::vector<int> in_degree(w.ids.size(), 0), out_degree(w.ids.size(), 0);
  std::size_t dropped = 0;
  for (uint32_t e : kept_edges_in_order(w, all)) {
    Work::Edge& edge = w.edges[e];
    if (in_degree[edge.to] != 0 && (out_degree[edge.from] >= maxdegree || in_degree[edge.to] >= maxdegree)) {
      edge.kept = false;
      ++dropped;
      continue;
    }
    ++out_degree[edge.from];
    ++in_degree[edge.to];
  }
  return dropped;
}

// pprof's newTrimmedGraph for a visual graph; every pruning rebuilds the
// graph from the samples, so that values stay exact.
CallGraph GraphBuilder::build(const GraphOptions& o) {
  std::vector<uint8_t> keep(keys_.size(), 1);
  Sums sums = sum(keep);
  Work w = work(sums);

  const int64_t flat_sum = std::accumulate(w.flat.begin(), w.flat.end(), int64_t{0});
  const int64_t node_cutoff = cutoff(flat_sum, o.nodefraction);
  const int64_t edge_cutoff = cutoff(flat_sum, o.edgefraction);
  if (node_cutoff > 0) {
    std::fill(keep.begin(), keep.end(), 0);
    std::size_t kept = 0;
    for (uint32_t n = 0; n < w.ids.size(); ++n) {
      if (magnitude(w.cum[n]) < node_cutoff) continue;
      keep[w.ids[n]] = 1;
      ++kept;
    }
    if (kept != w.ids.size()) {
      graph_.dropped_nodes = w.ids.size() - kept;
      sums = sum(keep);
      w = work(sums);
    }
  }
  graph_.nodes_before_count = w.ids.size();

  std::vector<uint32_t> order = entropy_order(w);
  if (o.nodecount > 0) {
    // The first nodes in order until they and their object-size boxes (those
    // with flat, past the node cutoff) number nodecount.
    std::size_t chosen = std::min(static_cast<std::size_t>(o.nodecount), order.size());
    std::size_t count = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
      const int boxes = size_boxes(sums.sizes[w.ids[order[i]]], node_cutoff, options_.show_bytes);
      count += static_cast<std::size_t>(boxes) + 1;
      if (count >= static_cast<std::size_t>(o.nodecount)) {
        chosen = i + 1;
        break;
      }
    }
    if (chosen != order.size()) {
      std::fill(keep.begin(), keep.end(), 0);
      for (std::size_t i = 0; i < chosen; ++i) keep[w.ids[order[i]]] = 1;
      sums = sum(keep, false);
      w = work(sums);
      order = entropy_order(w);
    }
  }

  for (Work::Edge& e : w.edges) {
    if (magnitude(e.sum.weight) >= edge_cutoff) continue;
    e.kept = false;
    ++graph_.dropped_edges;
  }
  remove_redundant_edges(w, order);
  graph_.dropped_edges += limit_degree(w, o.maxdegree);

  graph_.node_limit = cutoff(graph_.total, o.nodefraction);
  graph_.edge_limit = cutoff(graph_.total, o.edgefraction);
  std::vector<uint32_t> position(w.ids.size());
  for (uint32_t n : order) {
    position[n] = static_cast<uint32_t>(graph_.nodes.size());
    graph_.nodes.push_back(GraphNode{keys_.name(w.ids[n]), w.flat[n], w.cum[n]});
  }
  std::vector<uint32_t> all(w.edges.size());
  std::iota(all.begin(), all.end(), 0);
  for (uint32_t e : kept_edges_in_order(w, all)) {
    const Work::Edge& edge = w.edges[e];
    graph_.edges.push_back(
        GraphEdge{position[edge.from], position[edge.to], edge.sum.weight, edge.sum.inlined, edge.sum.residual});
  }
  return std::move(graph_);
}

}  // namespace

CallGraph build_call_graph(const std::vector<const ReportProfile*>& profiles, const ReportOptions& options,
                           const GraphOptions& graph_options) {
  return GraphBuilder(profiles, options).build(graph_options);
}

}  // namespace hprof
