#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kg/core/tokenizer.h"

namespace {

std::vector<std::string> Texts(const std::string& text) {
  std::vector<kg::Token> tokens;
  kg::Tokenize(text, 0, static_cast<uint32_t>(text.size()), &tokens);
  std::vector<std::string> out;
  for (const auto& token : tokens) {
    // Offsets always point at the token's bytes.
    REQUIRE(text.substr(token.start, token.end - token.start) == token.text);
    out.push_back(token.text);
  }
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("tokens split like CoNLL: possessives, currency, percent, punctuation",
          "[core][tokenizer]") {
  CHECK(Texts("Japan's decision") == V{"Japan", "'s", "decision"});
  CHECK(Texts("Putin\xE2\x80\x99s visit") == V{"Putin", "\xE2\x80\x99s", "visit"});
  CHECK(Texts("don't go") == V{"do", "n't", "go"});
  CHECK(Texts("jumped 76% to $1.13bn (£600m).") ==
        V{"jumped", "76", "%", "to", "$", "1.13bn", "(", "\xC2\xA3", "600m", ")", "."});
  CHECK(Texts("said: \"Yes,\" he") == V{"said", ":", "\"", "Yes", ",", "\"", "he"});
}

TEST_CASE("abbreviations, acronyms, hyphenated names and numbers stay whole",
          "[core][tokenizer]") {
  CHECK(Texts("the U.S. and Mr. Abe") == V{"the", "U.S.", "and", "Mr.", "Abe"});
  CHECK(Texts("on Dec. 16 the G-7 met") == V{"on", "Dec.", "16", "the", "G-7", "met"});
  CHECK(Texts("Abe-Putin talks at 10:30 cost 1,000") ==
        V{"Abe-Putin", "talks", "at", "10:30", "cost", "1,000"});
  CHECK(Texts("J. R. R. Tolkien") == V{"J.", "R.", "R.", "Tolkien"});
  CHECK(Texts("ended.") == V{"ended", "."});
  CHECK(Texts("wait...") == V{"wait", "..."});
}

TEST_CASE("em dashes between words are split off; norm folds typography", "[core][tokenizer]") {
  std::string text = "peace\xE2\x80\x94" "and \xE2\x80\x9C" "war\xE2\x80\x9D";
  std::vector<kg::Token> tokens;
  kg::Tokenize(text, 0, static_cast<uint32_t>(text.size()), &tokens);
  REQUIRE(tokens.size() == 6);
  CHECK(tokens[0].text == "peace");
  CHECK(tokens[1].norm == "-");
  CHECK(tokens[2].text == "and");
  CHECK(tokens[3].norm == "\"");
  CHECK(tokens[4].text == "war");
  CHECK(tokens[5].norm == "\"");
  CHECK(kg::NormalizeToken("Putin\xE2\x80\x99s") == "Putin's");
}

TEST_CASE("non-breaking spaces separate tokens", "[core][tokenizer]") {
  CHECK(Texts("Prime\xC2\xA0Minister") == V{"Prime", "Minister"});
}
