// The NER tagger inside the news extractor: it finds and types the names the gazetteer does not
// know, while the gazetteer keeps the entities it knows (countries, groupings, titles).

#include <catch2/catch.hpp>

#include "extract_helpers.h"

using kg::testing::EntityNamed;
using kg::testing::ExtractText;
using kg::testing::LabelOf;

namespace {

kg::Extraction ExtractWithoutTagger(const std::string& text) {
  kg::NewsExtractorOptions options;
  options.use_ner = false;
  static std::unique_ptr<kg::Extractor> extractor = [&] {
    auto made = kg::NewNewsExtractor(options);
    if (!made) FAIL("cannot build the news extractor: " << made.error().ToString());
    return std::move(*made);
  }();
  kg::DocumentInfo doc;
  doc.id = "test";
  doc.text = text;
  return extractor->Extract(doc, kg::AnnotateText(doc.text));
}

}  // namespace

TEST_CASE("a one-word name the gazetteer does not know gets the tagger's type",
          "[core][news_ner]") {
  const std::string text =
      "Toyota said its profits rose by 10% in the quarter.";
  CHECK(LabelOf(ExtractText(text), "Toyota") == "Organization");
  // The heuristics alone cannot type it.
  CHECK(LabelOf(ExtractWithoutTagger(text), "Toyota") == "Other");
}

TEST_CASE("capitalised words that are no names do not become entities", "[core][news_ner]") {
  auto x = ExtractText(
      "\"I'm delighted with the result,\" the coach said after the match.\n\n"
      "Speaking on Monday, the minister said talks would continue.\n\n"
      "Analysts expect European markets to rise.");
  CHECK_FALSE(EntityNamed(x, "I'm"));
  CHECK_FALSE(EntityNamed(x, "Speaking"));
  CHECK_FALSE(EntityNamed(x, "Analysts"));
  CHECK_FALSE(EntityNamed(x, "European"));  // a modifier, not a thing
}

TEST_CASE("the tagger's longer name wins over a gazetteer place inside it", "[core][news_ner]") {
  auto x = ExtractText("Manchester United beat Arsenal 2-0 at Old Trafford on Saturday.");
  CHECK(LabelOf(x, "Manchester United") == "Organization");
  CHECK(LabelOf(x, "Arsenal") == "Organization");
}

TEST_CASE("gazetteer entities and titles stay the gazetteer's with the tagger",
          "[core][news_ner]") {
  auto x = ExtractText(
      "Japanese Prime Minister Shinzo Abe met German Chancellor Angela Merkel in Berlin.");
  CHECK(LabelOf(x, "Shinzo Abe") == "Person");
  CHECK(LabelOf(x, "Angela Merkel") == "Person");
  CHECK(LabelOf(x, "Berlin") == "Place");
  CHECK(kg::testing::Has(x, "Shinzo Abe", "HOLDS_POSITION", "Prime Minister of Japan"));
}

TEST_CASE("a surname the tagger types links to the full name", "[core][news_ner]") {
  auto x = ExtractText(
      "Microsoft chairman Bill Gates unveiled the new software in Las Vegas.\n\n"
      "Gates said sales of Windows would grow.");
  auto gates = EntityNamed(x, "Bill Gates");
  REQUIRE(gates);
  CHECK(x.entities[*gates].label == "Person");
  CHECK(x.entities[*gates].mentions.size() == 2);
  CHECK_FALSE(EntityNamed(x, "Gates"));
  CHECK(LabelOf(x, "Microsoft") == "Organization");
}

TEST_CASE("an honorific inside a tagged span starts the person's name", "[core][news_ner]") {
  auto x = ExtractText("Speaking in Harrogate Mr Kennedy said the party offered a new vision.");
  CHECK_FALSE(EntityNamed(x, "Harrogate Mr Kennedy"));
  CHECK(LabelOf(x, "Kennedy") == "Person");
}
