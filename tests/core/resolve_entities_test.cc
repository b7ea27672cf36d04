// Entity finding and in-article resolution of the news extractor, on sentences written for it.

#include <catch2/catch.hpp>

#include "extract_helpers.h"

using kg::testing::EntityNamed;
using kg::testing::ExtractText;
using kg::testing::Has;
using kg::testing::LabelOf;

TEST_CASE("a later surname links to the full name of a person", "[core][resolve]") {
  auto x = ExtractText(
      "Prime Minister Shinzo Abe met reporters in Osaka on Monday.\n\n"
      "Abe said the economy was improving.");
  auto abe = EntityNamed(x, "Shinzo Abe");
  REQUIRE(abe);
  CHECK(x.entities[*abe].label == "Person");
  CHECK(x.entities[*abe].mentions.size() == 2);
  CHECK_FALSE(EntityNamed(x, "Abe"));
}

TEST_CASE("an honorific and surname link to the person named in full", "[core][resolve]") {
  auto x = ExtractText(
      "The Trade and Industry Secretary Patricia Hewitt announced the plan.\n\n"
      "Ms Hewitt said it would create jobs.");
  auto hewitt = EntityNamed(x, "Patricia Hewitt");
  REQUIRE(hewitt);
  CHECK(x.entities[*hewitt].mentions.size() == 2);
  CHECK_FALSE(EntityNamed(x, "Hewitt"));
  CHECK(Has(x, "Patricia Hewitt", "HOLDS_POSITION", "Trade and Industry Secretary"));
}

TEST_CASE("a demonym with government stands for the country", "[core][resolve]") {
  auto x = ExtractText("The French government rejected the proposal on Tuesday.");
  REQUIRE(EntityNamed(x, "France"));
  CHECK(LabelOf(x, "France") == "Country");
}

TEST_CASE("a capital acting in a sentence is its country, a capital as a venue a place",
          "[core][resolve]") {
  auto x = ExtractText(
      "Washington repeatedly warned against the deal.\n\n"
      "Officials will gather for a conference in Tokyo next month.\n\n"
      "The dispute deepened the rift between Paris and Berlin.\n\n"
      "Sanctions increased pressure on Moscow.");
  CHECK(LabelOf(x, "United States") == "Country");
  CHECK(LabelOf(x, "Tokyo") == "Place");
  CHECK(LabelOf(x, "France") == "Country");
  CHECK(LabelOf(x, "Germany") == "Country");
  CHECK(LabelOf(x, "Russia") == "Country");
  CHECK_FALSE(EntityNamed(x, "Washington"));
  CHECK_FALSE(EntityNamed(x, "Moscow"));
  // A capital standing for its country is not recorded as one of the country's names.
  auto us = EntityNamed(x, "United States");
  REQUIRE(us);
  for (const auto& alias : x.entities[*us].aliases) CHECK(alias != "Washington");
}

TEST_CASE("variants of one country or group are one entity", "[core][resolve]") {
  auto x = ExtractText(
      "U.S. officials met their counterparts.\n\n"
      "The US said America and the United States government agree.\n\n"
      "The G-7 met, and the G7 later said the Group of Seven was united.");
  int countries = 0;
  for (const auto& e : x.entities) countries += e.name == "United States" ? 1 : 0;
  CHECK(countries == 1);
  auto us = EntityNamed(x, "United States");
  REQUIRE(us);
  CHECK(x.entities[*us].mentions.size() >= 4);
  auto g7 = EntityNamed(x, "G-7");
  REQUIRE(g7);
  CHECK(x.entities[*g7].label == "Group");
  CHECK(x.entities[*g7].mentions.size() == 3);
}

TEST_CASE("a government named after its leader is the leader's country", "[core][resolve]") {
  auto x = ExtractText(
      "The U.S. administration of President Barack Obama imposed new rules.\n\n"
      "Later the Obama administration changed course.");
  CHECK(Has(x, "Barack Obama", "HOLDS_POSITION", "President of United States"));
  auto us = EntityNamed(x, "United States");
  REQUIRE(us);
  CHECK(x.entities[*us].mentions.size() == 2);
  CHECK_FALSE(EntityNamed(x, "Obama administration"));
}

TEST_CASE("place and organisation names are labelled by their last word", "[core][resolve]") {
  auto x = ExtractText(
      "Heavy rain hit Okinawa Prefecture and closed the Bank of Kyoto branch office.\n\n"
      "Residents of Okinawa were evacuated.");
  CHECK(LabelOf(x, "Okinawa Prefecture") == "Place");
  auto okinawa = EntityNamed(x, "Okinawa Prefecture");
  REQUIRE(okinawa);
  CHECK(x.entities[*okinawa].mentions.size() == 2);
}

TEST_CASE("bullet lists and very short lines yield no entities", "[core][resolve]") {
  auto x = ExtractText("\xE2\x80\xA2 Ukraine\n\n\xE2\x80\xA2 Trending Japan\n\nprint PRINT\n");
  CHECK(x.entities.empty());
  CHECK(x.relations.empty());
}

TEST_CASE("a hyphenated pair of known names is split into both persons", "[core][resolve]") {
  auto x = ExtractText(
      "German Chancellor Angela Merkel and French President Emmanuel Macron spoke.\n\n"
      "The Merkel-Macron talks ended without a deal.");
  auto merkel = EntityNamed(x, "Angela Merkel");
  auto macron = EntityNamed(x, "Emmanuel Macron");
  REQUIRE(merkel);
  REQUIRE(macron);
  CHECK(x.entities[*merkel].mentions.size() == 2);
  CHECK(x.entities[*macron].mentions.size() == 2);
  CHECK_FALSE(EntityNamed(x, "Merkel-Macron"));
}
