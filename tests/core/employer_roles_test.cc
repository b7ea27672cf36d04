// A one-word name the tagger calls a person, written as the employer of a role ("Chelsea boss
// Jose Mourinho"), is an organisation (core/src/extract/roles.cc).

#include <catch2/catch.hpp>

#include "extract_helpers.h"

using kg::testing::EntityNamed;
using kg::testing::ExtractText;
using kg::testing::LabelOf;

TEST_CASE("a name before a role and a person is the employer", "[core][roles]") {
  // Without the rule the tagger's Person stands (BBC: in every sentence naming Chelsea).
  auto x = ExtractText("Chelsea boss Jose Mourinho said the title race was far from over.");
  REQUIRE(EntityNamed(x, "Jose Mourinho"));
  CHECK(LabelOf(x, "Chelsea") == "Organization");
  CHECK(LabelOf(x, "Jose Mourinho") == "Person");
}

TEST_CASE("a full name before a role stays a person", "[core][roles]") {
  auto x = ExtractText("Tony Blair spokesman Tom Kelly said the report would be published.");
  CHECK(LabelOf(x, "Tony Blair") == "Person");
}

TEST_CASE("a star is no role of an employer", "[core][roles]") {
  auto x = ExtractText("Rock star Ozzy Osbourne is to return to the stage next year.");
  CHECK(LabelOf(x, "Rock") != "Organization");
}
