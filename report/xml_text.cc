#include "report/xml_text.h"

#include <cstdint>

namespace hprof {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The length of the valid UTF-8 sequence at the start of `s` (1 to 4), or 0
// when it is not one (overlong forms, surrogates and values past U+10FFFF
// included).
std::size_t utf8_sequence(std::string_view s) {
  const auto b0 = static_cast<uint8_t>(s[0]);
  if (b0 < 0x80) return 1;
  std::size_t n;
  uint32_t cp;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2, cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3, cp = b0 & 0x0F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4, cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (s.size() < n) return 0;
  for (std::size_t i = 1; i < n; ++i) {
    const auto b = static_cast<uint8_t>(s[i]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
  if (cp == 0xFFFE || cp == 0xFFFF) return 0;  // not XML characters
  return n;
}

}  // namespace

void append_xml_text(std::string& out, std::string_view text) {
  while (!text.empty()) {
    const std::size_t n = utf8_sequence(text);
    if (n == 0) {
      out += kReplacement;
      text.remove_prefix(1);
      continue;
    }
    if (n == 1) {
      const char c = text[0];
      switch (c) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        case '\'':
          out += "&apos;";
          break;
        default:
          if (static_cast<uint8_t>(c) < 0x20 && c != '\t' && c != '\n') {
            out += kReplacement;  // '\r' too: XML would read it as a line break
          } else {
            out += c;
          }
      }
    } else {
      out.append(text.substr(0, n));
    }
    text.remove_prefix(n);
  }
}

std::size_t utf8_length(std::string_view text) {
  std::size_t count = 0;
  while (!text.empty()) {
    const std::size_t n = utf8_sequence(text);
    text.remove_prefix(n == 0 ? 1 : n);
    ++count;
  }
  return count;
}

std::string_view utf8_prefix(std::string_view text, std::size_t n) {
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < n && bytes < text.size(); ++i) {
    const std::size_t len = utf8_sequence(text.substr(bytes));
    bytes += len == 0 ? 1 : len;
  }
  return text.substr(0, bytes);
}

}  // namespace hprof
