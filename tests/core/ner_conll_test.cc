#include "kg/core/conll.h"

#include <catch2/catch.hpp>

#include "test_support.h"

TEST_CASE("CoNLL files split into documents and sentences", "[core][ner_conll]") {
  kg::testing::TempDir dir;
  auto path = dir.path() / "x.txt";
  kg::testing::WriteFile(path,
                         "-DOCSTART- -X- -X- O\n\nEU NNP B-NP I-ORG\nrejects VBZ B-VP O\n\n"
                         "Peter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n\n"
                         "-DOCSTART- -X- -X- O\n\nBRUSSELS NNP B-NP B-LOC\n");
  auto docs = kg::ReadConll(path);
  REQUIRE(docs.has_value());
  REQUIRE(docs->size() == 2);
  REQUIRE((*docs)[0].sentences.size() == 2);
  // IOB1 "I-ORG" at the start of an entity becomes "B-ORG".
  CHECK((*docs)[0].sentences[0].tags == std::vector<std::string>{"B-ORG", "O"});
  CHECK((*docs)[0].sentences[1].words == std::vector<std::string>{"Peter", "Blackburn"});
  CHECK((*docs)[1].sentences[0].tags == std::vector<std::string>{"B-LOC"});
}

TEST_CASE("a bad CoNLL line is reported with file:line", "[core][ner_conll]") {
  kg::testing::TempDir dir;
  auto path = dir.path() / "bad.txt";
  kg::testing::WriteFile(path, "EU NNP B-NP B-ORG\nrejects VBZ B-VP X-FOO\n");
  auto docs = kg::ReadConll(path);
  REQUIRE_FALSE(docs.has_value());
  CHECK(docs.error().code() == kg::Status::Code::kParseError);
  CHECK(docs.error().message().find("bad.txt:2") != std::string::npos);
  CHECK(kg::ReadConll(dir.path() / "absent.txt").error().code() == kg::Status::Code::kNotFound);
}

TEST_CASE("entity scoring counts exact spans only", "[core][ner_conll]") {
  kg::NerScorer scorer;
  scorer.Add({"B-PER", "I-PER", "O", "B-LOC"}, {"B-PER", "O", "O", "B-LOC"});
  scorer.Add({"B-ORG", "O"}, {"B-ORG", "B-MISC"});
  CHECK(scorer.overall().gold == 3);
  CHECK(scorer.overall().predicted == 4);
  CHECK(scorer.overall().correct == 2);
  CHECK(scorer.overall().precision() == Approx(50.0));
  CHECK(scorer.overall().recall() == Approx(200.0 / 3));
  CHECK(scorer.types().at("PER").correct == 0);
  CHECK(scorer.types().at("LOC").f1() == Approx(100.0));
}

TEST_CASE("spans of tags follow conlleval for stray I- tags", "[core][ner_conll]") {
  auto spans = kg::SpansOfTags({"O", "I-PER", "I-PER", "B-LOC", "I-ORG"});
  REQUIRE(spans.size() == 3);
  CHECK(spans[0] == kg::TaggedSpan{1, 3, "PER"});
  CHECK(spans[1] == kg::TaggedSpan{3, 4, "LOC"});
  CHECK(spans[2] == kg::TaggedSpan{4, 5, "ORG"});
}
