#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kg/core/text_pipeline.h"

namespace {

std::vector<std::string> Sentences(const std::string& text) {
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
