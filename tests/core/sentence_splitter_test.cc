#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "kg/core/text_pipeline.h"
#include "kg/core/tokenizer.h"

namespace {

// AnnotateSentences (offsets only) must find the sentences AnnotateText finds.
void CheckSameSpans(const std::string& text) {
  const kg::AnnotatedText full = kg::AnnotateText(text);
  const kg::AnnotatedText spans = kg::AnnotateSentences(text);
  REQUIRE(spans.sentences.size() == full.sentences.size());
  for (size_t k = 0; k < full.sentences.size(); ++k) {
    CHECK(spans.sentences[k].start == full.sentences[k].start);
    CHECK(spans.sentences[k].end == full.sentences[k].end);
    CHECK(spans.sentences[k].tokens.empty());
  }
  std::vector<kg::Token> tokens;
  std::vector<kg::TokenSpan> offsets;
  kg::Tokenize(text, 0, static_cast<uint32_t>(text.size()), &tokens);
  kg::TokenizeSpans(text, 0, static_cast<uint32_t>(text.size()), &offsets);
  REQUIRE(offsets.size() == tokens.size());
  for (size_t k = 0; k < tokens.size(); ++k) {
    CHECK(offsets[k].start == tokens[k].start);
    CHECK(offsets[k].end == tokens[k].end);
  }
}

std::vector<std::string> Sentences(const std::string& text) {
  CheckSameSpans(text);
  kg::AnnotatedText annotated = kg::AnnotateText(text);
  std::vector<std::string> out;
  for (const auto& sentence : annotated.sentences) {
    REQUIRE(sentence.end <= text.size());
    REQUIRE(!sentence.tokens.empty());
    CHECK(sentence.tokens.front().start == sentence.start);
    CHECK(sentence.tokens.back().end == sentence.end);
    out.push_back(text.substr(sentence.start, sentence.end - sentence.start));
  }
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("sentences end at periods before a capital", "[core][sentence]") {
  CHECK(Sentences("He came. She left.") == V{"He came.", "She left."});
  CHECK(Sentences("Really? Yes! Fine...") == V{"Really?", "Yes!", "Fine..."});
  CHECK(Sentences("It rose 2.5 percent. Then it fell.") ==
        V{"It rose 2.5 percent.", "Then it fell."});
}

TEST_CASE("abbreviations, dates and initials do not end sentences", "[core][sentence]") {
  CHECK(Sentences("Mr. Abe met Gov. Smith on Dec. 16 at No. 10 Downing Street.").size() == 1);
  CHECK(Sentences("The book by J. R. R. Tolkien sold well. George W. Bush read it.") ==
        V{"The book by J. R. R. Tolkien sold well.", "George W. Bush read it."});
  CHECK(Sentences("Japan has disregarded U.S. opposition to a summit.").size() == 1);
  CHECK(Sentences("The summit angered the U.S. The talks went ahead.") ==
        V{"The summit angered the U.S.", "The talks went ahead."});
}

TEST_CASE("closing quotes stay with their sentence", "[core][sentence]") {
  std::string text =
      "A source said, \xE2\x80\x9CIt causes no problem.\xE2\x80\x9D Moscow sought a summit.";
  CHECK(Sentences(text) ==
        V{"A source said, \xE2\x80\x9CIt causes no problem.\xE2\x80\x9D", "Moscow sought a summit."});
  CHECK(Sentences("He said \"no.\" Then he left.") == V{"He said \"no.\"", "Then he left."});
}

TEST_CASE("paragraph breaks end sentences even without punctuation", "[core][sentence]") {
  CHECK(Sentences("Japan disregards U.S. opposition\n\nJapan has decided.") ==
        V{"Japan disregards U.S. opposition", "Japan has decided."});
  // A single newline inside a paragraph is white space (hard-wrapped text).
  CHECK(Sentences("The talks\nwent ahead.") == V{"The talks\nwent ahead."});
}

TEST_CASE("lower-case continuations do not start a sentence", "[core][sentence]") {
  CHECK(Sentences("Shares of Yahoo! rose. It was a good day.") ==
        V{"Shares of Yahoo! rose.", "It was a good day."});
  CHECK(Sentences("It cost approx. ten dollars.").size() == 1);
}

TEST_CASE("empty and white-space-only texts have no sentences", "[core][sentence]") {
  CHECK(Sentences("").empty());
  CHECK(Sentences(" \n\n \t").empty());
}

TEST_CASE("sentences without tokens are the sentences with tokens, on random text",
          "[core][sentence]") {
  // Pieces the rules look at: terminal marks, abbreviations, initials, openers, closing quotes
  // and brackets (ASCII and typographic), bullets, dashes, paragraph breaks, numbers.
  const std::vector<std::string> pieces = {
      "The",    "the",   "He",    "said",  "U.S.",   "Mr.",   "Dec.",   "16",    "No.",
      "J.",     "R.",    "Tolkien", ".",   "!",      "?",     "...",    "\xE2\x80\xA6",
      "\"",     "'",     ")",     "]",     "}",      "(",     "\xE2\x80\x9C", "\xE2\x80\x9D",
      "\xE2\x80\x99", "\xE2\x80\x94", "--", "-",    "\xE2\x80\xA2", "\xC2\xB7", "*",
      "\xC2\xA3", "5",    "\xC3\x89" "cole", ",",  ";",  "Japan's", "don't", "$1.13bn", "76%",
      "\xC2\xAB", "\xC2\xBB", "etc.", "approx."};
  const std::vector<std::string> gaps = {" ", " ", " ", "", "\n", "\n\n", "\t",
                                         "\xC2\xA0"};
  std::mt19937 rng(11);
  for (int n = 0; n < 3000; ++n) {
    std::string text;
    const size_t length = rng() % 30;
    for (size_t i = 0; i < length; ++i) {
      text += pieces[rng() % pieces.size()];
      text += gaps[rng() % gaps.size()];
    }
    INFO(text);
    CheckSameSpans(text);
  }
}
