#include <catch2/catch.hpp>

#include <string>

#include "kg/core/boilerplate.h"

TEST_CASE("page furniture lines are boilerplate", "[core][boilerplate]") {
  for (const char* line : {"Print PRINT", "  Share this article", "Advertisement",
                           "Trending Japan", "We use cookies to improve your experience.",
                           "Subscribe now", "Sign up for our newsletter",
                           "\xE2\x80\xA2 Ambassador \xE2\x80\xA2 Ukraine \xE2\x80\xA2 COVID-19",
                           "\xC2\xA9 2016 Example News. All rights reserved."}) {
    INFO(line);
    CHECK(kg::IsBoilerplateLine(line));
  }
}

TEST_CASE("news sentences are not boilerplate, even with trigger words", "[core][boilerplate]") {
  for (const char* line :
       {"Japan has disregarded U.S. opposition to a planned bilateral summit.",
        "The newspaper said readers who subscribe to its print edition would pay more next year "
        "because of rising paper costs.",
        "Print media revenues fell.", "", "Trade talks resume"}) {
    INFO(line);
    CHECK_FALSE(kg::IsBoilerplateLine(line));
  }
}

TEST_CASE("only the final block of short bulleted lines is a tag list", "[core][boilerplate]") {
  kg::CleanedArticle cleaned = kg::CleanPlainArticle(
      "Title\n\nThe plan has three parts:\n\xE2\x80\xA2 a tax cut\n\nBody ends here.\n\n"
      "  \xE2\x80\xA2 Ambassador\n  \xE2\x80\xA2 Trending Japan\n");
  CHECK(cleaned.title == "Title");
  CHECK(cleaned.text ==
        "Title\n\nThe plan has three parts:\n\xE2\x80\xA2 a tax cut\n\nBody ends here.");
  CHECK(cleaned.stripped.size() == 2);
}

TEST_CASE("layout normalisation collapses blank-line runs and trims", "[core][boilerplate]") {
  CHECK(kg::NormalizeLayout("\n\n  a  \n\n\n\nb\nc\n\n") == "  a\n\nb\nc");
  CHECK(kg::NormalizeLayout("") == "");
}
