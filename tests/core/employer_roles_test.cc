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

TEST_CASE("a name after a word for a work is a work", "[core][roles]") {
  // Without the rule: Small Island an Organization, and Andrea Levy WORKS_FOR it (BBC).
  auto x = ExtractText(
      "Orange Prize winner Andrea Levy has seen her book Small Island win the Whitbread Novel "
      "of the Year Award.");
  REQUIRE(EntityNamed(x, "Small Island"));
  CHECK(LabelOf(x, "Small Island") == "Other");
  CHECK_FALSE(kg::testing::Has(x, "Andrea Levy", "WORKS_FOR", "Small Island"));
}
