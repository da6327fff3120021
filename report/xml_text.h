// Text made safe for an XML document (the flame graph's SVG): names come from
// binaries and perf maps and may hold '<', '&', control characters or bytes
// that are not UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hprof {

// Appends `text` escaped for element content and attribute values ('&', '<',
// '>', '"', '\''); bytes that are not valid UTF-8, and characters XML 1.0
// forbids (controls other than tab and newline), become U+FFFD.
void append_xml_text(std::string& out, std::string_view text);

// The number of characters (code points) of `text`; an invalid byte counts as one.
std::size_t utf8_length(std::string_view text);

// The first `n` characters of `text`, never cutting a character in two.
std::string_view utf8_prefix(std::string_view text, std::size_t n);

}  // namespace hprof
