// MapsAttributes: "NAME=VALUE" lines of a memory map and "$NAME" in the lines
// after them, as the Go pprof reads them (profile/legacy_profile.go).
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "parse/maps_attributes.h"

namespace hprof {
namespace {

// `line` after the definitions `lines`, in order.
std::string substituted(std::initializer_list<std::string_view> lines, std::string_view line) {
  MapsAttributes attributes;
  for (std::string_view definition : lines) attributes.define(definition);
  std::string storage;
  return std::string(attributes.substitute(line, storage));
}

TEST(MapsAttributes, ANameIsReplacedByItsValue) {
  EXPECT_EQ(substituted({"source=/home"}, "  00400000-00fcb000: $source/cppbench_server_main"),
            "  00400000-00fcb000: /home/cppbench_server_main");
}

TEST(MapsAttributes, NameAndValueAreTrimmed) {
  EXPECT_EQ(substituted({"\t source = /home \r"}, "$source/app"), "/home/app");
}

TEST(MapsAttributes, EveryPlaceInTheLineIsReplaced) {
  EXPECT_EQ(substituted({"v=1.2"}, "/opt/app-$v/lib-$v.so"), "/opt/app-1.2/lib-1.2.so");
}

TEST(MapsAttributes, AValueMayHoldAnEqualsSign) {
  EXPECT_EQ(substituted({"dir=/srv/a=b"}, "$dir/app"), "/srv/a=b/app");
}

TEST(MapsAttributes, ALineWithoutEqualsSignDefinesNothing) {
  MapsAttributes attributes;
  EXPECT_FALSE(attributes.define("garbage"));
  EXPECT_TRUE(attributes.define("source=/home"));
}

TEST(MapsAttributes, AnUndefinedNameStaysAsWritten) {
  EXPECT_EQ(substituted({"source=/home"}, "$build/app $ /x"), "$build/app $ /x");
}

TEST(MapsAttributes, WithNothingDefinedTheLineIsReturnedAsItIs) {
  const std::string_view line = "$source/app";
  MapsAttributes attributes;
  std::string storage;
  EXPECT_EQ(attributes.substitute(line, storage).data(), line.data());
}

TEST(MapsAttributes, AValueIsNotSearchedForNamesAgain) {
  EXPECT_EQ(substituted({"a=$b", "b=/x"}, "$a/app"), "$b/app");
}

TEST(MapsAttributes, ANameDefinedAgainKeepsItsFirstValue) {
  // Go's strings.Replacer gives the pair passed first priority.
  EXPECT_EQ(substituted({"source=/home", "source=/srv"}, "$source/app"), "/home/app");
}

TEST(MapsAttributes, OfTwoNamesThatMatchAtOnePlaceTheOneDefinedFirstWins) {
  EXPECT_EQ(substituted({"s=/a", "source=/home"}, "$source/app"), "/aource/app");
  EXPECT_EQ(substituted({"source=/home", "s=/a"}, "$source/app $s/x"), "/home/app /a/x");
}

}  // namespace
}  // namespace hprof
