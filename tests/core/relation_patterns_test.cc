// The news extractor's relation patterns, each on sentences written for it.

#include <catch2/catch.hpp>

#include "extract_helpers.h"

using kg::testing::EntityNamed;
using kg::testing::ExtractText;
using kg::testing::Has;
using kg::testing::LabelOf;
using kg::testing::Relations;
using kg::testing::SourcesOf;

TEST_CASE("an enumeration after 'groups' makes each item a member", "[core][relation]") {
  auto x = ExtractText("The Nordic Council groups Denmark, Finland, Iceland, Norway and Sweden.");
  CHECK(SourcesOf(x, "MEMBER_OF", "Nordic Council") ==
        std::vector<std::string>{"Denmark", "Finland", "Iceland", "Norway", "Sweden"});
  auto r = Relations(x, "Denmark", "MEMBER_OF", "Nordic Council");
  REQUIRE(r.size() == 1);
  REQUIRE(r[0]->evidence.size() == 1);
  CHECK(r[0]->evidence[0].rule == "pattern:member_enumeration");
  CHECK(r[0]->evidence[0].sentence ==
        "The Nordic Council groups Denmark, Finland, Iceland, Norway and Sweden.");
}

TEST_CASE("'members include' and 'members of X are' list members", "[core][relation]") {
  auto x = ExtractText(
      "The Shanghai Cooperation Organisation's members include China, Russia and India.\n\n"
      "Members of NATO include Norway and Denmark.");
  CHECK(SourcesOf(x, "MEMBER_OF", "Shanghai Cooperation Organisation") ==
        std::vector<std::string>{"China", "India", "Russia"});
  CHECK(SourcesOf(x, "MEMBER_OF", "NATO") == std::vector<std::string>{"Denmark", "Norway"});
}

TEST_CASE("'X, a member of Y' is one membership", "[core][relation]") {
  auto x = ExtractText("Norway, a member of NATO, sent two ships to the region.");
  CHECK(Has(x, "Norway", "MEMBER_OF", "NATO"));
}

TEST_CASE("a list without a grouping verb gives no membership", "[core][relation]") {
  auto x = ExtractText("Leaders from Denmark, Finland and Norway met in Oslo.");
  for (const auto& r : x.relations) CHECK(r.type != "MEMBER_OF");
}

TEST_CASE("a demonym and title before a name give a position of that country",
          "[core][relation]") {
  auto x = ExtractText("Russian President Vladimir Putin arrived in Tokyo on Thursday.");
  auto r = Relations(x, "Vladimir Putin", "HOLDS_POSITION", "President of Russia");
  REQUIRE(r.size() == 1);
  CHECK(r[0]->properties["of"] == "Russia");
  CHECK(r[0]->properties["title"] == "President");
  CHECK(LabelOf(x, "President of Russia") == "Position");
}

TEST_CASE("an appositive title with 'of' gives a position and employment", "[core][relation]") {
  auto x = ExtractText("John Harlow, the chief executive of Acme Corp., resigned on Friday.");
  CHECK(Has(x, "John Harlow", "HOLDS_POSITION", "Chief Executive of Acme Corp."));
  CHECK(Has(x, "John Harlow", "WORKS_FOR", "Acme Corp."));
}

TEST_CASE("annexation with its year", "[core][relation]") {
  auto x = ExtractText(
      "Germany's annexation of Austria in 1938 alarmed its neighbours.\n\n"
      "China annexed Tibet.");
  auto r = Relations(x, "Germany", "ANNEXED", "Austria");
  REQUIRE(r.size() == 1);
  CHECK(r[0]->properties["year"] == 1938);
  CHECK(Has(x, "China", "ANNEXED", "Tibet"));
}

TEST_CASE("a prefecture is part of Japan only when the article names Japan",
          "[core][relation]") {
  auto with = ExtractText("The storm hit Okinawa Prefecture, the southernmost part of Japan.");
  CHECK(Has(with, "Okinawa Prefecture", "PART_OF", "Japan"));
  auto without = ExtractText("The storm hit Okinawa Prefecture on Sunday night.");
  for (const auto& r : without.relations) CHECK(r.type != "PART_OF");
}

TEST_CASE("'City, Country' places the city in the country", "[core][relation]") {
  auto x = ExtractText("The bank opened an office in Perugia, Italy.");
  CHECK(Has(x, "Perugia", "LOCATED_IN", "Italy"));
}

TEST_CASE("a summit between two leaders has participants, place and date", "[core][relation]") {
  std::string text =
      "Officials announced a summit between German Chancellor Angela Merkel and French "
      "President Emmanuel Macron in Berlin on Jan. 22.\n\n"
      "The Merkel-Macron summit will be followed by another meeting in Aachen Province the "
      "following day.";
  SECTION("without an article date the year stays open") {
    auto x = ExtractText(text);
    auto summit = EntityNamed(x, "Merkel-Macron summit in Berlin on --01-22");
    REQUIRE(summit);
    CHECK(x.entities[*summit].label == "Event");
    CHECK(x.entities[*summit].properties["date_text"] == "Jan. 22");
    CHECK(Has(x, "Angela Merkel", "PARTICIPANT_IN", "Merkel-Macron summit in Berlin on --01-22"));
    CHECK(Has(x, "Emmanuel Macron", "PARTICIPANT_IN", "Merkel-Macron summit in Berlin on --01-22"));
    CHECK(Has(x, "Merkel-Macron summit in Berlin on --01-22", "HELD_IN", "Berlin"));
    CHECK(Has(x, "Angela Merkel", "MEETS", "Emmanuel Macron"));
    CHECK(EntityNamed(x, "Merkel-Macron meeting in Aachen Province on --01-23"));
  }
  SECTION("with an article date the date is resolved") {
    auto x = ExtractText(text, "2019-01-10");
    CHECK(EntityNamed(x, "Merkel-Macron summit in Berlin on 2019-01-22"));
    CHECK(Has(x, "Merkel-Macron summit in Berlin on 2019-01-22", "ON_DATE", "2019-01-22"));
    CHECK(EntityNamed(x, "Merkel-Macron meeting in Aachen Province on 2019-01-23"));
  }
}

TEST_CASE("an undated event is named after its article, so articles do not share it",
          "[core][relation]") {
  // "meeting in London" of six BBC articles was one node for six meetings.
  std::string text = "Ministers held a meeting in London to discuss the budget.";
  SECTION("the day it was reported, when the article has a date") {
    auto x = ExtractText(text, "2019-01-10");
    CHECK(EntityNamed(x, "meeting in London, reported 2019-01-10"));
  }
  SECTION("else the article's id") {
    auto x = ExtractText(text);  // ExtractText's document id is "test"
    CHECK(EntityNamed(x, "meeting in London (test)"));
  }
}

TEST_CASE("'meeting' used as a verb is no event", "[core][relation]") {
  auto x = ExtractText("The minister will not be meeting with Prime Minister Justin Trudeau.");
  for (const auto& e : x.entities) CHECK(e.label != "Event");
}
