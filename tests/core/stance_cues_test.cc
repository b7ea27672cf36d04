// STANCE edges of the news extractor, on sentences written for them.

#include <catch2/catch.hpp>

#include "extract_helpers.h"

using kg::testing::ExtractText;
using kg::testing::Relations;
using kg::testing::StanceOf;

TEST_CASE("'critical of' is a negative stance of the clause subject", "[core][stance]") {
  auto x = ExtractText("Brazil has been critical of Venezuela over its election.");
  CHECK(StanceOf(x, "Brazil", "Venezuela") == "negative");
  auto r = Relations(x, "Brazil", "STANCE", "Venezuela");
  REQUIRE(r.size() == 1);
  CHECK(r[0]->evidence[0].properties["cue"] == "critical of");
}

TEST_CASE("support and backing are positive stances", "[core][stance]") {
  auto x = ExtractText("Canada supports Ukraine.\n\nIran backs the Syrian government.");
  CHECK(StanceOf(x, "Canada", "Ukraine") == "positive");
  CHECK(StanceOf(x, "Iran", "Syria") == "positive");
}

TEST_CASE("criticised for backing someone: the criticised one backs them", "[core][stance]") {
  auto x = ExtractText("Britain is critical of Iran for backing the Syrian government.");
  CHECK(StanceOf(x, "United Kingdom", "Iran") == "negative");
  CHECK(StanceOf(x, "Iran", "Syria") == "positive");
  CHECK(StanceOf(x, "United Kingdom", "Syria") == "");
}

TEST_CASE("a nominal cue takes its holder from the word before it", "[core][stance]") {
  auto x = ExtractText(
      "Italy ignored French opposition to the treaty with Libya.\n\n"
      "Spain voiced its objection to Morocco.");
  CHECK(StanceOf(x, "Spain", "Morocco") == "negative");
  CHECK(StanceOf(x, "Italy", "Libya") == "");
  CHECK(StanceOf(x, "France", "Libya") == "");
}

TEST_CASE("a rift between two countries is mutual", "[core][stance]") {
  auto x = ExtractText("The vote exposed a rift between India and Pakistan.");
  CHECK(StanceOf(x, "India", "Pakistan") == "negative");
  CHECK(StanceOf(x, "Pakistan", "India") == "negative");
}

TEST_CASE("a head of government's stance is also the country's", "[core][stance]") {
  auto x = ExtractText(
      "German Chancellor Angela Merkel spoke on Monday.\n\n"
      "But Merkel wants to maintain good relations with China.");
  CHECK(StanceOf(x, "Angela Merkel", "China") == "positive");
  CHECK(StanceOf(x, "Germany", "China") == "positive");
  auto r = Relations(x, "Germany", "STANCE", "China");
  REQUIRE(r.size() == 1);
  CHECK(r[0]->evidence[0].rule == "pattern:stance_via_leader");
  CHECK(r[0]->evidence[0].properties["via"] == "Angela Merkel");
}

TEST_CASE("pressure on a capital is a negative stance toward its country", "[core][stance]") {
  auto x = ExtractText("The United States kept up its pressure on Beijing.");
  CHECK(StanceOf(x, "United States", "China") == "negative");
}

TEST_CASE("a sentence without a cue has no stance", "[core][stance]") {
  auto x = ExtractText("Britain, Canada and France attended the meeting in Rome.");
  for (const auto& r : x.relations) CHECK(r.type != "STANCE");
}
