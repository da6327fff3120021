#include "report/render_flamegraph.h"

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <iterator>
#include <string_view>
#include <vector>

#include "common/paths.h"
#include "report/object_kind.h"
#include "report/render_text.h"
#include "report/xml_text.h"

namespace hprof {
namespace {

using Layout = FlameGraphLayout;

constexpr double kFontSize = 11;                 // px, labels and notes
constexpr double kCharWidth = kFontSize * 0.6;   // px: a monospace character is 0.6 em wide
constexpr double kFramesTop = 90;                // px: below the title, the notes and the legend
constexpr double kBottomMargin = 10;             // px
constexpr uint32_t kRoot = UINT32_MAX;           // the frame id of the "all" bar

struct Rgb {
  int r, g, b;
};

// The legend's colours; a frame's colour is its kind's, lightened by a hash
// of its name so that neighbours differ.
Rgb kind_colour(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::kJit:
      return {0x3c, 0xa0, 0x3c};  // green: Java, as FlameGraph's java palette
    case ObjectKind::kLibjvm:
      return {0xd8, 0xa0, 0x20};  // amber: the JVM's C++
    case ObjectKind::kLibz:
      return {0x98, 0x58, 0xd0};  // purple
    case ObjectKind::kLibc:
      return {0x48, 0x88, 0xd8};  // blue
    case ObjectKind::kProgram:
      return {0xd8, 0x50, 0x38};  // red
    case ObjectKind::kOther:
      return {0x98, 0x90, 0x80};  // grey-brown
  }
  return {0x98, 0x90, 0x80};
}
constexpr Rgb kRootColour{0xc8, 0xc8, 0xc8};

Rgb frame_colour(ObjectKind kind, std::string_view name) {
  uint32_t h = 2166136261u;  // FNV-1a: the same name, the same colour
  for (char c : name) h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
  const double lighten = 0.45 * static_cast<double>(h % 1024) / 1023.0;
  const Rgb base = kind_colour(kind);
  auto mix = [lighten](int c) { return c + static_cast<int>((255 - c) * lighten); };
  return {mix(base.r), mix(base.g), mix(base.b)};
}

std::string hex(Rgb c) { return fmt::format("#{:02x}{:02x}{:02x}", c.r, c.g, c.b); }

// The call tree of the drawn stacks: node 0 is the root ("all").
struct Node {
  uint32_t frame;  // frame id; kRoot for node 0
  int64_t value;   // of every stack through this node
  std::vector<uint32_t> children;  // in the stacks' order: by name
};

struct Tree {
  std::vector<Node> nodes;
  std::size_t depth = 0;         // levels above the root
  std::size_t shrank_stacks = 0;  // not drawn: negative value
  int64_t shrank_value = 0;
};

// The stacks are sorted by names from the root, so the stacks through one
// node are consecutive: each stack shares a prefix with the one before it
// and opens new nodes after it.
Tree build_tree(const StackProfile& stacks) {
  Tree tree;
  tree.nodes.push_back(Node{kRoot, 0, {}});
  std::vector<uint32_t> path;  // the nodes of the previous stack, above the root
  for (const Stack& stack : stacks.stacks) {
    if (stack.value < 0) {
      ++tree.shrank_stacks;
      tree.shrank_value += stack.value;
      continue;
    }
    std::size_t shared = 0;
    while (shared < path.size() && shared < stack.frames.size() &&
           tree.nodes[path[shared]].frame == stack.frames[shared]) {
      ++shared;
    }
    path.resize(shared);
    tree.nodes[0].value += stack.value;
    for (uint32_t node : path) tree.nodes[node].value += stack.value;
    for (std::size_t i = shared; i < stack.frames.size(); ++i) {
      const auto node = static_cast<uint32_t>(tree.nodes.size());
      tree.nodes.push_back(Node{stack.frames[i], stack.value, {}});
      tree.nodes[i == 0 ? 0 : path.back()].children.push_back(node);
      path.push_back(node);
    }
    tree.depth = std::max(tree.depth, stack.frames.size());
  }
  return tree;
}

// Walked with a stack of its own: a stack is as deep as the profile says.
std::size_t subtree_size(const Tree& tree, uint32_t node) {
  std::size_t size = 0;
  std::vector<uint32_t> pending{node};
  while (!pending.empty()) {
    const Node& n = tree.nodes[pending.back()];
    pending.pop_back();
    ++size;
    pending.insert(pending.end(), n.children.begin(), n.children.end());
  }
  return size;
}

class SvgWriter {
 public:
  SvgWriter(const StackProfile& stacks, const ReportOptions& options, const Tree& tree)
      : stacks_(stacks), options_(options), tree_(tree) {
    for (const std::string& object : stacks.objects) kinds_.push_back(object_kind(object));
    const int64_t drawn = tree.nodes[0].value;
    scale_ = drawn > 0 ? (Layout::kWidth - 2 * Layout::kMargin) / static_cast<double>(drawn) : 0;
    height_ = kFramesTop + static_cast<double>(tree.depth + 1) * Layout::kFrameHeight + kBottomMargin;
  }

  // The frames first (they count what is omitted), then the header around them.
  std::string write(const std::string& title) {
    if (tree_.nodes[0].value > 0) draw_frames();
    std::string out;
    auto to = std::back_inserter(out);
    fmt::format_to(to,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{0}\" height=\"{1}\" "
                   "viewBox=\"0 0 {0} {1}\" font-family=\"monospace\" font-size=\"{2}\">\n"
                   "<!-- hprof-text flame graph: root at the bottom, every frame above its caller, width "
                   "proportional to value; frames narrower than {3} px are not drawn (see the note) -->\n"
                   "<style>g.frame:hover rect {{ stroke: #000000; stroke-width: 1 }}</style>\n"
                   "<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>\n",
                   Layout::kWidth, height_, kFontSize, Layout::kMinFrameWidth);
    out += "<text x=\"600\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">";
    append_xml_text(out, "Flame graph of " + title + " (" + options_.sample_type.label + ")");
    out += "</text>\n";
    note(out, 40, totals_line());
    note(out, 56, omissions_line());
    legend(out, 66);
    out += "<g class=\"frames\">\n";
    // The frames are the bulk (300 bytes a frame, a deep stack has 100,000):
    // the header goes in front of them rather than they after it in a copy.
    frames_.insert(0, out);
    frames_ += "</g>\n</svg>\n";
    return std::move(frames_);
  }

 private:
  void note(std::string& out, double y, const std::string& text) const {
    fmt::format_to(std::back_inserter(out), "<text x=\"{}\" y=\"{}\">", Layout::kMargin, y);
    append_xml_text(out, text);
    out += "</text>\n";
  }

  std::string totals_line() const {
    const int64_t drawn = tree_.nodes[0].value;
    if (drawn == 0) return "Total: " + format_amount(stacks_.total, options_) + ". Nothing to draw.";
    return "Total: " + format_amount(stacks_.total, options_) + ". In the graph: " + format_amount(drawn, options_) +
           percent_of_total(drawn) + fmt::format(", {} frames drawn.", drawn_frames_);
  }

  std::string omissions_line() const {
    std::string line = "Root at the bottom; width is value.";
    if (omitted_frames_ > 0) {
      line += fmt::format(" {} frames narrower than {} px not drawn ({}).", omitted_frames_, Layout::kMinFrameWidth,
                          format_amount(omitted_value_, options_));
    }
    if (tree_.shrank_stacks > 0) {
      line += fmt::format(" {} stacks that shrank not drawn ({}).", tree_.shrank_stacks,
                          format_amount(tree_.shrank_value, options_));
    }
    return line;
  }

  void legend(std::string& out, double y) const {
    double x = Layout::kMargin;
    for (ObjectKind kind : kObjectKinds) {
      const std::string_view label = object_kind_label(kind);
      fmt::format_to(std::back_inserter(out),
                     "<rect class=\"legend\" x=\"{0:.1f}\" y=\"{1}\" width=\"12\" height=\"12\" fill=\"{2}\"/>"
                     "<text x=\"{3:.1f}\" y=\"{4}\">{5}</text>\n",
                     x, y, hex(kind_colour(kind)), x + 16, y + 10, label);
      x += 16 + static_cast<double>(label.size()) * kCharWidth + 14;
    }
  }

  // ", 12.3% of Total"; nothing when Total is not positive (a --base can make it so).
  std::string percent_of_total(int64_t value) const {
    if (stacks_.total <= 0) return "";
    return fmt::format(", {:.1f}% of Total", static_cast<double>(value) * 100.0 / static_cast<double>(stacks_.total));
  }

  void draw_frames() {
    struct Pending {
      uint32_t node;
      double x;  // px
      std::size_t level;
    };
    std::vector<Pending> pending{{0, Layout::kMargin, 0}};
    while (!pending.empty()) {
      const Pending p = pending.back();
      pending.pop_back();
      const Node& node = tree_.nodes[p.node];
      draw_frame(node, p.x, p.level);
      // Children left to right: pushed right to left.
      std::vector<Pending> children;
      double x = p.x;
      for (uint32_t child : node.children) {
        const double width = static_cast<double>(tree_.nodes[child].value) * scale_;
        if (width < Layout::kMinFrameWidth) {
          omitted_frames_ += subtree_size(tree_, child);
          omitted_value_ += tree_.nodes[child].value;
        } else {
          children.push_back({child, x, p.level + 1});
        }
        x += width;
      }
      pending.insert(pending.end(), children.rbegin(), children.rend());
    }
  }

  void draw_frame(const Node& node, double x, std::size_t level) {
    const bool root = node.frame == kRoot;
    if (!root) ++drawn_frames_;
    const std::string_view name = root ? std::string_view("all") : std::string_view(stacks_.names[node.frame]);
    const std::string_view object = root ? std::string_view() : std::string_view(stacks_.objects[node.frame]);
    const Rgb colour = root ? kRootColour : frame_colour(kinds_[node.frame], name);
    const double width = static_cast<double>(node.value) * scale_;
    const double y = height_ - kBottomMargin - static_cast<double>(level + 1) * Layout::kFrameHeight;

    std::string& out = frames_;
    out += "<g class=\"frame\"><title>";
    append_xml_text(out, name);
    out += '\n';
    append_xml_text(out, format_exact_amount(node.value, options_) + percent_of_total(node.value));
    if (!object.empty()) {
      out += "\nin ";
      append_xml_text(out, object.front() == '[' ? object : basename_of(object));
    }
    fmt::format_to(std::back_inserter(out),
                   "</title><rect x=\"{:.2f}\" y=\"{}\" width=\"{:.2f}\" height=\"{}\" fill=\"{}\"/>", x, y, width,
                   Layout::kFrameHeight - 1, hex(colour));
    const auto fits = static_cast<std::size_t>(std::max(0.0, (width - 6) / kCharWidth));
    if (fits >= 3) {
      fmt::format_to(std::back_inserter(out), "<text x=\"{:.2f}\" y=\"{}\">", x + 3, y + 11.5);
      if (utf8_length(name) <= fits) {
        append_xml_text(out, name);
      } else {
        append_xml_text(out, utf8_prefix(name, fits - 2));
        out += "..";
      }
      out += "</text>";
    }
    out += "</g>\n";
  }

  const StackProfile& stacks_;
  const ReportOptions& options_;
  const Tree& tree_;
  std::vector<ObjectKind> kinds_;  // by frame id
  double scale_ = 0;               // px per unit of value
  double height_ = 0;
  std::string frames_;
  std::size_t drawn_frames_ = 0;  // the "all" bar not counted
  std::size_t omitted_frames_ = 0;
  int64_t omitted_value_ = 0;
};

}  // namespace

std::string render_flamegraph(const StackProfile& stacks, const ReportOptions& options, const std::string& title) {
  const Tree tree = build_tree(stacks);
  return SvgWriter(stacks, options, tree).write(title);
}

}  // namespace hprof
