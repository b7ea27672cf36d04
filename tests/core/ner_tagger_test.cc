#include "kg/core/ner_tagger.h"

#include <catch2/catch.hpp>

#include "test_support.h"

namespace {

const kg::NerTagger& Tagger() {
  static auto tagger = kg::NerTagger::Load(kg::testing::SourceDir() / "models" / "ner.model");
  if (!tagger) FAIL(tagger.error().ToString());
  return **tagger;
}

// "PER:Shinzo Abe" for each span.
std::vector<std::string> Describe(const std::vector<std::string>& words,
                                  const std::vector<kg::EntitySpan>& spans) {
  std::vector<std::string> out;
  for (const auto& s : spans) {
    std::string text;
    for (uint32_t i = s.begin; i < s.end; ++i) text += (i > s.begin ? " " : "") + words[i];
    out.push_back(std::string(kg::EntityTypeName(s.type)) + ":" + text);
  }
  return out;
}

}  // namespace

TEST_CASE("the shipped model finds people and places", "[core][ner_tagger]") {
  std::vector<std::string> words = {"Prime", "Minister", "Shinzo", "Abe", "met", "Angela",
                                    "Merkel", "in",    "Tokyo",  "on",  "Monday", "."};
  CHECK(Describe(words, Tagger().TagSentence(words)) ==
        std::vector<std::string>{"PER:Shinzo Abe", "PER:Angela Merkel", "LOC:Tokyo"});
}

TEST_CASE("the shipped model finds organisations and nationalities", "[core][ner_tagger]") {
  std::vector<std::string> words = {"The", "European", "Commission", "fined", "Microsoft",
                                    "after", "German",  "regulators", "complained", "."};
  CHECK(Describe(words, Tagger().TagSentence(words)) ==
        std::vector<std::string>{"ORG:European Commission", "ORG:Microsoft", "MISC:German"});
}

TEST_CASE("spans carry a score between 0 and 1", "[core][ner_tagger]") {
  auto spans = Tagger().TagSentence({"Reuters", "reported", "from", "Paris", "."});
  REQUIRE_FALSE(spans.empty());
  for (const auto& s : spans) {
    CHECK(s.score > 0);
    CHECK(s.score < 1);
    CHECK(s.begin < s.end);
  }
  CHECK(Tagger().TagSentence({}).empty());
}

TEST_CASE("a document tags each of its sentences", "[core][ner_tagger]") {
  std::vector<std::vector<std::string>> doc = {
      {"Boris", "Johnson", "visited", "Washington", "."},
      {"Johnson", "said", "the", "talks", "went", "well", "."}};
  auto spans = Tagger().TagDocument(doc);
  REQUIRE(spans.size() == 2);
  CHECK(Describe(doc[0], spans[0]) == std::vector<std::string>{"PER:Boris Johnson",
                                                               "LOC:Washington"});
  CHECK(Describe(doc[1], spans[1]) == std::vector<std::string>{"PER:Johnson"});
  auto iob = Tagger().TagDocumentIob(doc);
  CHECK(iob[1] == std::vector<std::string>{"B-PER", "O", "O", "O", "O", "O", "O"});
}

TEST_CASE("a corrupted model file is refused on load", "[core][ner_tagger]") {
  kg::testing::TempDir dir;
  auto bytes = kg::testing::ReadFile(kg::testing::SourceDir() / "models" / "ner.model");
  kg::testing::WriteFile(dir.path() / "cut.model", bytes.substr(0, bytes.size() / 2));
  auto tagger = kg::NerTagger::Load(dir.path() / "cut.model");
  REQUIRE_FALSE(tagger.has_value());
  CHECK(tagger.error().code() == kg::Status::Code::kCorruption);
  CHECK(tagger.error().message().find("cut.model") != std::string::npos);
}
