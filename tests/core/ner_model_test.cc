#include "kg/core/ner_model.h"

#include <catch2/catch.hpp>

#include <cmath>

#include "kg/core/ner_tagger.h"
#include "kg/core/ner_trainer.h"
#include "test_support.h"

namespace {

// A toy corpus: enough for the perceptron to learn "Xxx said" -> PER, "in Xxx" -> LOC.
std::vector<kg::ConllDocument> ToyCorpus() {
  std::vector<kg::ConllDocument> docs(1);
  const char* people[] = {"Smith", "Jones", "Brown", "Taylor", "Wilson"};
  const char* places[] = {"Paris", "Berlin", "Madrid", "Rome", "Vienna"};
  for (const char* p : people) {
    for (const char* l : places) {
      docs[0].sentences.push_back(
          {{p, "said", "it", "rained", "in", l, "."}, {"B-PER", "O", "O", "O", "O", "B-LOC", "O"}});
    }
  }
  return docs;
}

kg::ner::NerModel TrainToy(uint64_t seed) {
  kg::ner::NerTrainOptions options;
  options.epochs = 3;
  options.seed = seed;
  options.hash_bits = 16;
  options.groups = kg::ner::kAllFeatures & ~kg::ner::kFeatGazetteer;
  options.description = "toy";
  kg::ner::NerResources resources;
  resources.lower_words.insert(kg::ner::HashBytes("said"));
  resources.clusters.emplace(kg::ner::HashLower("paris"), (1u << 16) | 7u);
  auto model = kg::ner::TrainNerModel(ToyCorpus(), {}, resources, nullptr, options, nullptr);
  REQUIRE(model.has_value());
  return std::move(model).value();
}

}  // namespace

TEST_CASE("training is deterministic for a seed", "[core][ner_model]") {
  CHECK(TrainToy(7).Serialize() == TrainToy(7).Serialize());
}

TEST_CASE("a model survives a save/load round trip", "[core][ner_model]") {
  kg::testing::TempDir dir;
  auto model = TrainToy(1);
  auto path = dir.path() / "toy.model";
  REQUIRE(model.Save(path).ok());
  auto loaded = kg::ner::NerModel::Load(path);
  REQUIRE(loaded.has_value());
  CHECK(loaded->description == "toy");
  CHECK(loaded->groups == model.groups);
  CHECK(loaded->hash_bits == 16);
  CHECK(loaded->transitions == model.transitions);
  CHECK(loaded->rows.size() == model.rows.size());
  CHECK(loaded->resources.lower_words == model.resources.lower_words);
  CHECK(loaded->resources.clusters == model.resources.clusters);
  CHECK(loaded->Serialize() == model.Serialize());
  // Weights are stored as 16-bit integers: equal up to the quantisation step.
  float max_diff = 0;
  size_t row_mismatches = 0;
  for (uint32_t b = 0; b < model.index.size(); ++b) {
    const float* w = model.Row(b);
    const float* v = loaded->Row(b);
    if ((w == nullptr) != (v == nullptr)) ++row_mismatches;
    if (w == nullptr || v == nullptr) continue;
    for (int t = 0; t < kg::ner::kNumTags; ++t) max_diff = std::max(max_diff, std::abs(v[t] - w[t]));
  }
  CHECK(row_mismatches == 0);
  CHECK(max_diff < 1e-2f);
  // The loaded model tags the toy pattern.
  kg::NerTagger tagger(std::move(loaded).value(), nullptr);
  auto spans = tagger.TagSentence({"Wilson", "said", "it", "rained", "in", "Rome", "."});
  REQUIRE(spans.size() == 2);
  CHECK(spans[0].type == kg::EntityType::kPer);
  CHECK(spans[1].type == kg::EntityType::kLoc);
  CHECK(spans[1].begin == 5);
  CHECK(spans[1].end == 6);
  CHECK(spans[0].score > 0);
  CHECK(spans[0].score < 1);
}

TEST_CASE("a corrupted or truncated model is refused", "[core][ner_model]") {
  std::string bytes = TrainToy(1).Serialize();
  SECTION("truncated") {
    auto r = kg::ner::NerModel::Parse(bytes.substr(0, bytes.size() - 10), "t.model");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code() == kg::Status::Code::kCorruption);
    CHECK(r.error().message().find("t.model") != std::string::npos);
    CHECK(r.error().message().find("truncated") != std::string::npos);
  }
  SECTION("a flipped payload byte") {
    bytes[bytes.size() / 2] ^= 0x5a;
    auto r = kg::ner::NerModel::Parse(bytes, "f.model");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code() == kg::Status::Code::kCorruption);
  }
  SECTION("another file type") {
    auto r = kg::ner::NerModel::Parse("hello world, this is not a model at all", "x.txt");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message().find("bad magic") != std::string::npos);
  }
  SECTION("a newer version") {
    bytes[8] = 99;
    auto r = kg::ner::NerModel::Parse(bytes, "v.model");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message().find("version 99") != std::string::npos);
  }
  SECTION("a missing file") {
    auto r = kg::ner::NerModel::Load("/nonexistent/ner.model");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code() == kg::Status::Code::kNotFound);
  }
}

TEST_CASE("Viterbi never starts an entity with I-", "[core][ner_model]") {
  std::array<float, (kg::ner::kNumTags + 1) * kg::ner::kNumTags> transitions{};
  std::vector<float> emissions(2 * kg::ner::kNumTags, 0.0f);
  emissions[kg::ner::TagIndex("I-PER")] = 10;  // token 0 prefers I-PER, which cannot start
  emissions[kg::ner::kNumTags + kg::ner::TagIndex("I-PER")] = 10;
  int tags[2];
  kg::ner::ViterbiDecode(emissions.data(), 2, transitions.data(), tags);
  CHECK(tags[0] != kg::ner::TagIndex("I-PER"));
  CHECK(kg::ner::AllowedTransition(tags[0], tags[1]));
}
