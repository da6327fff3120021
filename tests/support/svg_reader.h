// Reads hprof-text's SVG back with expat (a real XML parser, so a document
// that is not well-formed fails here as in a browser): the flame graph's
// frames with their tooltips, the trend chart's lines with their points and
// its legend entries, the legends, the notes and every element name.
// Shared by the unit tests of the renderers and the end-to-end tests.
#pragma once

#include <expat.h>

#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace svg {

struct Frame {
  std::string title;  // the whole <title> text: name, then value lines
  std::string name;   // the title's first line
  std::string label;  // the <text> drawn on the frame; empty when none
  std::string fill;
  double x = 0, y = 0, width = 0, height = 0;
};

struct Point {
  double x = 0, y = 0;
  std::string title;  // the point's <title>; empty when the series has fewer circles than points
};

// A trend chart's line: <g class="series"> with a <polyline> and a <circle> per point.
struct Series {
  std::string name;  // the group's <title>
  bool total = false;  // class "series total"
  std::string stroke, dasharray;
  std::vector<Point> points;  // the polyline's, in order
};

// A trend chart's legend entry: <g class="legend-entry">.
struct LegendEntry {
  std::string title;  // the whole <title>: full name, then change
  std::string name;   // the drawn (maybe cut) name
  std::string marker;  // "+" or empty
  std::string stroke, dasharray;
  double x = 0, y = 0;  // where the swatch (a piece of the line) starts
};

struct Document {
  bool well_formed = false;
  std::string error;  // expat's message and line when not well-formed
  double width = 0, height = 0;
  std::vector<Frame> frames;               // in document order
  std::vector<std::string> legend_fills;   // in order
  std::vector<std::string> texts;  // the <text> elements outside frames and chart legend entries (title, notes, legend)
  std::vector<std::string> element_names;  // every element, in order
  std::map<std::string, std::vector<std::string>> texts_by_class;  // those of `texts` with a class, by class
  std::vector<Series> series;
  std::vector<LegendEntry> legend;
  std::string comments;
};

namespace detail {

struct State {
  Document doc;
  std::vector<std::string> open;  // element names from the root
  bool in_frame = false;
  bool in_series = false, in_legend = false;
  std::size_t circles = 0;  // of the open series
  std::string* text = nullptr;  // where character data goes
  std::string text_class;       // of the open <text> outside frames and chart parts
  std::string scratch;
};

inline std::map<std::string, std::string> attributes(const XML_Char** atts) {
  std::map<std::string, std::string> out;
  for (int i = 0; atts[i] != nullptr; i += 2) out[atts[i]] = atts[i + 1];
  return out;
}

inline double number(const std::map<std::string, std::string>& a, const std::string& key) {
  auto it = a.find(key);
  return it == a.end() ? 0 : std::strtod(it->second.c_str(), nullptr);
}

inline std::string value(const std::map<std::string, std::string>& a, const std::string& key) {
  auto it = a.find(key);
  return it == a.end() ? "" : it->second;
}

// "x,y x,y ..."
inline std::vector<Point> points(const std::string& text) {
  std::vector<Point> out;
  std::istringstream in(text);
  for (std::string pair; in >> pair;) {
    const std::size_t comma = pair.find(',');
    out.push_back(Point{std::strtod(pair.substr(0, comma).c_str(), nullptr),
                        std::strtod(pair.substr(comma + 1).c_str(), nullptr), ""});
  }
  return out;
}

// The elements inside a trend chart's series or legend entry.
inline void start_chart_part(State& s, const std::string& element, const std::map<std::string, std::string>& a) {
  if (s.in_series) {
    Series& series = s.doc.series.back();
    if (element == "polyline") {
      series.points = points(value(a, "points"));
      series.stroke = value(a, "stroke"), series.dasharray = value(a, "stroke-dasharray");
    } else if (element == "circle") {
      ++s.circles;
    } else if (element == "title") {
      if (s.circles == 0) {
        s.text = &series.name;
      } else if (s.circles <= series.points.size()) {
        s.text = &series.points[s.circles - 1].title;
      }
    }
    return;
  }
  LegendEntry& entry = s.doc.legend.back();
  if (element == "line") {
    entry.stroke = value(a, "stroke"), entry.dasharray = value(a, "stroke-dasharray");
    entry.x = number(a, "x1"), entry.y = number(a, "y1");
  } else if (element == "title") {
    s.text = &entry.title;
  } else if (element == "text") {
    s.text = value(a, "class") == "marker" ? &entry.marker : &entry.name;
  }
}

inline void start(void* data, const XML_Char* name, const XML_Char** atts) {
  auto& s = *static_cast<State*>(data);
  const std::string element = name;
  const auto a = attributes(atts);
  s.doc.element_names.push_back(element);
  s.open.push_back(element);
  const std::string cls = value(a, "class");
  if (s.in_series || s.in_legend) {
    start_chart_part(s, element, a);
  } else if (element == "g" && (cls == "series" || cls == "series total")) {
    s.in_series = true;
    s.circles = 0;
    s.doc.series.emplace_back();
    s.doc.series.back().total = cls == "series total";
  } else if (element == "g" && cls == "legend-entry") {
    s.in_legend = true;
    s.doc.legend.emplace_back();
  } else if (element == "svg") {
    s.doc.width = number(a, "width");
    s.doc.height = number(a, "height");
  } else if (element == "g" && a.count("class") && a.at("class") == "frame") {
    s.in_frame = true;
    s.doc.frames.emplace_back();
  } else if (element == "title" && s.in_frame) {
    s.text = &s.doc.frames.back().title;
  } else if (element == "rect" && s.in_frame) {
    Frame& f = s.doc.frames.back();
    f.x = number(a, "x"), f.y = number(a, "y"), f.width = number(a, "width"), f.height = number(a, "height");
    f.fill = a.count("fill") ? a.at("fill") : "";
  } else if (element == "rect" && a.count("class") && a.at("class") == "legend") {
    s.doc.legend_fills.push_back(a.count("fill") ? a.at("fill") : "");
  } else if (element == "text") {
    if (s.in_frame) {
      s.text = &s.doc.frames.back().label;
    } else {
      s.doc.texts.emplace_back();
      s.text = &s.doc.texts.back();
      s.text_class = cls;
    }
  }
}

inline void end(void* data, const XML_Char* name) {
  auto& s = *static_cast<State*>(data);
  const std::string element = name;
  s.open.pop_back();
  if (element == "g" && s.in_frame) {
    Frame& f = s.doc.frames.back();
    f.name = f.title.substr(0, f.title.find('\n'));
    s.in_frame = false;
  }
  if (element == "g") s.in_series = s.in_legend = false;  // neither holds a <g>
  if (element == "text" && !s.text_class.empty()) s.doc.texts_by_class[s.text_class].push_back(s.doc.texts.back());
  if (element == "title" || element == "text") s.text = nullptr, s.text_class.clear();
}

inline void characters(void* data, const XML_Char* text, int len) {
  auto& s = *static_cast<State*>(data);
  if (s.text != nullptr) s.text->append(text, static_cast<std::size_t>(len));
}

inline void comment(void* data, const XML_Char* text) { static_cast<State*>(data)->doc.comments += text; }

}  // namespace detail

inline Document read(const std::string& text) {
  detail::State state;
  XML_Parser parser = XML_ParserCreate("UTF-8");
  XML_SetUserData(parser, &state);
  XML_SetElementHandler(parser, detail::start, detail::end);
  XML_SetCharacterDataHandler(parser, detail::characters);
  XML_SetCommentHandler(parser, detail::comment);
  if (XML_Parse(parser, text.data(), static_cast<int>(text.size()), XML_TRUE) == XML_STATUS_ERROR) {
    state.doc.error = std::string(XML_ErrorString(XML_GetErrorCode(parser))) + " at line " +
                      std::to_string(XML_GetCurrentLineNumber(parser));
  } else {
    state.doc.well_formed = true;
  }
  XML_ParserFree(parser);
  return state.doc;
}

// The frame named `name` (its first), or nullptr.
inline const Frame* frame_named(const Document& doc, const std::string& name) {
  for (const Frame& f : doc.frames) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace svg
