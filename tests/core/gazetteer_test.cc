#include "kg/core/gazetteer.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "test_support.h"

namespace {

const kg::Gazetteer& Gaz() {
  auto g = kg::Gazetteer::Default();
  if (!g) FAIL(g.error().ToString());
  return **g;
}

}  // namespace

TEST_CASE("demonyms resolve to their country", "[core][gazetteer]") {
  CHECK(Gaz().CountryOfDemonym("Japanese") == "Japan");
  CHECK(Gaz().CountryOfDemonym("British") == "United Kingdom");
  CHECK(Gaz().CountryOfDemonym("American") == "United States");
  CHECK_FALSE(Gaz().CountryOfDemonym("Tokyo").has_value());
  auto e = Gaz().Lookup("Japanese");
  REQUIRE(e.has_value());
  CHECK(e->canonical == "Japan");
  CHECK(e->label == "Country");
  CHECK(e->kind == kg::GazetteerKind::kDemonym);
}

TEST_CASE("country aliases and ISO names resolve to one canonical name", "[core][gazetteer]") {
  for (const char* alias : {"U.S.", "US", "USA", "America", "United States of America"}) {
    INFO(alias);
    auto e = Gaz().Lookup(alias);
    REQUIRE(e.has_value());
    CHECK(e->canonical == "United States");
  }
  CHECK(Gaz().Lookup("Britain")->canonical == "United Kingdom");
  CHECK(Gaz().Lookup("Russian Federation")->canonical == "Russia");
  CHECK(Gaz().Lookup("JAPAN")->canonical == "Japan");
  CHECK(Gaz().Lookup("JPN")->kind == kg::GazetteerKind::kCode);
  // Short capitals forms match only as written: "us" and "who" are ordinary words.
  CHECK_FALSE(Gaz().Lookup("us").has_value());
  CHECK_FALSE(Gaz().Lookup("who").has_value());
  CHECK(Gaz().Lookup("WHO")->canonical == "World Health Organization");
}

TEST_CASE("groupings have aliases and stable members", "[core][gazetteer]") {
  for (const char* alias : {"G7", "G-7", "G - 7", "Group of Seven"}) {
    INFO(alias);
    auto e = Gaz().Lookup(alias);
    REQUIRE(e.has_value());
    CHECK(e->canonical == "G-7");
    CHECK(e->label == "Group");
  }
  auto members = Gaz().MembersOf("G7");
  CHECK(members.size() == 7);
  CHECK(std::find(members.begin(), members.end(), "Japan") != members.end());
  CHECK(Gaz().Lookup("EU")->canonical == "European Union");
}

TEST_CASE("capitals know their country", "[core][gazetteer]") {
  CHECK(Gaz().CountryOfCapital("Tokyo") == "Japan");
  CHECK(Gaz().CountryOfCapital("Moscow") == "Russia");
  CHECK(Gaz().CountryOfCapital("Washington") == "United States");
  auto e = Gaz().Lookup("Tokyo");
  REQUIRE(e.has_value());
  CHECK(e->label == "Place");
  CHECK(e->kind == kg::GazetteerKind::kCapital);
  CHECK(Gaz().CountryOf("Tokyo") == "Japan");
  CHECK(Gaz().CountryOf("Japanese") == "Japan");
}

TEST_CASE("positions are recognised in any case", "[core][gazetteer]") {
  CHECK(Gaz().IsPosition("Prime Minister"));
  CHECK(Gaz().IsPosition("prime minister"));
  CHECK(Gaz().IsPosition("Secretary of State"));
  CHECK(Gaz().IsPosition("Trade and Industry Secretary"));
  CHECK(Gaz().IsPosition("chief executive"));
  CHECK_FALSE(Gaz().IsPosition("Japan"));
}

TEST_CASE("longest match over tokens prefers the longer phrase", "[core][gazetteer]") {
  std::vector<std::string> tokens = {"The", "Prime", "Minister", "met", "the", "Secretary", "of",
                                     "State", "in", "New", "Delhi", "before", "the", "G-7"};
  auto matches = Gaz().FindAll(tokens);
  std::vector<std::string> found;
  for (const auto& m : matches) found.push_back(m.entry->canonical);
  CHECK(found == std::vector<std::string>{"Prime Minister", "Secretary of State", "New Delhi",
                                          "G-7"});
  REQUIRE(matches.size() == 4);
  CHECK(matches[1].begin == 5);
  CHECK(matches[1].end == 8);
  auto at = Gaz().LongestMatchAt({"United", "States", "said"}, 0);
  REQUIRE(at.has_value());
  CHECK(at->end == 2);
  CHECK_FALSE(Gaz().LongestMatchAt({"said"}, 0).has_value());
}

TEST_CASE("a missing gazetteer file is reported by name", "[core][gazetteer]") {
  kg::testing::TempDir dir;
  kg::GazetteerOptions options;
  options.data_dir = dir.path();
  auto g = kg::Gazetteer::Load(options);
  REQUIRE_FALSE(g.has_value());
  CHECK(g.error().code() == kg::Status::Code::kNotFound);
  CHECK(g.error().message().find("countries.tsv") != std::string::npos);
}

TEST_CASE("a row naming an unknown country is refused with file:line", "[core][gazetteer]") {
  kg::testing::TempDir dir;
  auto src = kg::testing::SourceDir() / "data" / "gazetteers";
  for (const char* f : {"countries.tsv", "capitals.tsv", "groups.tsv", "places.tsv",
                        "positions.tsv"}) {
    std::filesystem::copy_file(src / f, dir.path() / f);
  }
  kg::testing::WriteFile(dir.path() / "demonyms.tsv", "# comment\nJapanese\tJapan\nMartian\tMars\n");
  kg::GazetteerOptions options;
  options.data_dir = dir.path();
  auto g = kg::Gazetteer::Load(options);
  REQUIRE_FALSE(g.has_value());
  CHECK(g.error().code() == kg::Status::Code::kParseError);
  CHECK(g.error().message().find("demonyms.tsv:3") != std::string::npos);
  CHECK(g.error().message().find("Mars") != std::string::npos);
}

namespace gazetteer_key_test {

// NormalizeKey as it was written before keys were continued in place (session 10): the
// reference the faster form must equal.
std::string ReferenceNormalizeKey(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (space) {
      if (!out.empty() && out.back() != ' ' && out.back() != '-' && out.back() != '/') {
        out.push_back(' ');
      }
      continue;
    }
    if ((c == '-' || c == '/') && !out.empty() && out.back() == ' ') out.pop_back();
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace gazetteer_key_test

TEST_CASE("gazetteer keys: NormalizeKey equals the reference on random text",
          "[core][gazetteer]") {
  const std::string alphabet = " \t\n\r-/AZaz.'\xC3\xA9";
  std::mt19937 rng(10);
  for (int n = 0; n < 20000; ++n) {
    std::string text;
    const size_t length = rng() % 12;
    for (size_t i = 0; i < length; ++i) text += alphabet[rng() % alphabet.size()];
    INFO(text);
    REQUIRE(kg::Gazetteer::NormalizeKey(text) == gazetteer_key_test::ReferenceNormalizeKey(text));
  }
}

TEST_CASE("gazetteer keys: multi-word look-ups join tokens as one normalised key",
          "[core][gazetteer]") {
  // LongestMatchAt continues the key token by token; these need the join rules: a hyphen or
  // slash glues, white space inside a token collapses.
  const std::vector<std::string> tokens = {"the", "United", "Kingdom", "said"};
  auto match = Gaz().LongestMatchAt(tokens, 1);
  REQUIRE(match.has_value());
  CHECK(match->end == 3);
  CHECK(match->entry->canonical == "United Kingdom");
  const std::vector<std::string> spaced = {"United ", " Kingdom"};
  auto spaced_match = Gaz().LongestMatchAt(spaced, 0);
  REQUIRE(spaced_match.has_value());
  CHECK(spaced_match->end == 2);
}

// The first-token filter turns a word away before any look-up: it must never turn away the
// first word of a phrase the tables hold (as written, in lower case, in upper case where that
// is no other phrase, and with any length: the filter hashes 8 bytes at a time).
TEST_CASE("gazetteer first-token filter: every table phrase is still found at its first word",
          "[core][gazetteer]") {
  const auto dir = kg::testing::SourceDir() / "data" / "gazetteers";
  size_t phrases = 0;
  for (const char* file : {"capitals.tsv", "countries.tsv", "demonyms.tsv", "groups.tsv",
                           "places.tsv", "positions.tsv"}) {
    std::ifstream in(dir / file);
    REQUIRE(in);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::vector<std::string> fields;
      std::stringstream row(line);
      for (std::string field; std::getline(row, field, '\t');) fields.push_back(field);
      // Names and aliases ('|'); countries.tsv's first column is a code, capitals' and
      // demonyms' second a country named elsewhere, groups' third their members.
      std::vector<std::string> surfaces;
      for (size_t c = 0; c < fields.size() && c < 3; ++c) {
        if (std::string_view(file) == "countries.tsv" && c == 0) continue;
        if (std::string_view(file) == "groups.tsv" && c == 2) continue;
        std::stringstream list(fields[c]);
        for (std::string s; std::getline(list, s, '|');) {
          if (!s.empty()) surfaces.push_back(s);
        }
      }
      for (const auto& surface : surfaces) {
        std::vector<std::string> tokens;
        std::stringstream words(surface);
        for (std::string w; words >> w;) tokens.push_back(w);
        if (tokens.empty()) continue;
        INFO(file << ": " << surface);
        auto as_written = Gaz().LongestMatchAt(tokens, 0);
        REQUIRE(as_written.has_value());
        CHECK(as_written->end == tokens.size());
        ++phrases;
        bool has_lower = false;
        for (char ch : surface) has_lower |= ch >= 'a' && ch <= 'z';
        if (!has_lower) continue;  // all capitals: may be matched only as written ("WHO")
        auto lower = tokens;
        for (auto& w : lower) {
          for (char& ch : w) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
        }
        auto lowered = Gaz().LongestMatchAt(lower, 0);
        REQUIRE(lowered.has_value());
        CHECK(lowered->end == tokens.size());
      }
    }
  }
  CHECK(phrases > 500);
}
