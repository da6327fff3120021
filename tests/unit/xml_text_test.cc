// Names made safe for the flame graph's XML.
#include "report/xml_text.h"

#include <gtest/gtest.h>

#include <string>

namespace hprof {
namespace {

std::string xml(std::string_view text) {
  std::string out;
  append_xml_text(out, text);
  return out;
}

TEST(XmlText, MarkupCharactersAreEscaped) {
  EXPECT_EQ(xml("std::map<K, V>::operator[]&"), "std::map&lt;K, V&gt;::operator[]&amp;");
  EXPECT_EQ(xml("say \"it's\""), "say &quot;it&apos;s&quot;");
}

TEST(XmlText, ValidUtf8IsKept) {
  EXPECT_EQ(xml("caf\xC3\xA9 \xE2\x86\x92 \xF0\x9F\x94\xA5"), "caf\xC3\xA9 \xE2\x86\x92 \xF0\x9F\x94\xA5");
}

TEST(XmlText, InvalidBytesAndForbiddenControlsBecomeTheReplacementCharacter) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(xml("a\xFF" "b"), "a" + fffd + "b");
  EXPECT_EQ(xml("\xC3"), fffd);                      // cut short
  EXPECT_EQ(xml("\xC0\xAF"), fffd + fffd);           // overlong '/'
  EXPECT_EQ(xml("\xED\xA0\x80"), fffd + fffd + fffd);  // a surrogate
  EXPECT_EQ(xml(std::string("a\0b\x1b" "c\r", 6)), "a" + fffd + "b" + fffd + "c" + fffd);
  EXPECT_EQ(xml("tab\tand\nline"), "tab\tand\nline");
}

TEST(XmlText, LengthCountsCharactersNotBytes) {
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("caf\xC3\xA9"), 4u);
  EXPECT_EQ(utf8_length("\xFF\xFE"), 2u);
}

TEST(XmlText, PrefixNeverCutsACharacterInTwo) {
  EXPECT_EQ(utf8_prefix("caf\xC3\xA9s", 4), "caf\xC3\xA9");
  EXPECT_EQ(utf8_prefix("caf\xC3\xA9s", 3), "caf");
  EXPECT_EQ(utf8_prefix("ab", 5), "ab");
}

}  // namespace
}  // namespace hprof
