// Reads hprof-text's flame graph SVG back with expat (a real XML parser, so
// a document that is not well-formed fails here as in a browser): its
// frames with their tooltips, the legend, the notes and every element name.
// Shared by the unit tests of the renderer and the end-to-end tests.
#pragma once

#include <expat.h>

#include <cstdlib>
#include <map>
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

struct Document {
  bool well_formed = false;
  std::string error;  // expat's message and line when not well-formed
  double width = 0, height = 0;
  std::vector<Frame> frames;               // in document order
  std::vector<std::string> legend_fills;   // in order
  std::vector<std::string> texts;          // the <text> elements outside frames (title, notes, legend)
  std::vector<std::string> element_names;  // every element, in order
  std::string comments;
};

namespace detail {

struct State {
  Document doc;
  std::vector<std::string> open;  // element names from the root
  bool in_frame = false;
  std::string* text = nullptr;  // where character data goes
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

inline void start(void* data, const XML_Char* name, const XML_Char** atts) {
  auto& s = *static_cast<State*>(data);
  const std::string element = name;
  const auto a = attributes(atts);
  s.doc.element_names.push_back(element);
  s.open.push_back(element);
  if (element == "svg") {
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
  if (element == "title" || element == "text") s.text = nullptr;
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
