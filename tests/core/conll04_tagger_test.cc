// The CoNLL04 entity tagger stacked on the CoNLL-2003 tagger (models/re-ner.model on
// models/ner.model), and the trainer's guide feature group.

#include "kg/core/conll04_tagger.h"

#include <catch2/catch.hpp>
#include <unordered_map>

#include "kg/core/ner_trainer.h"
#include "test_support.h"

namespace {

const kg::Conll04EntityTagger& Tagger() {
  static auto tagger =
      kg::Conll04EntityTagger::Load(kg::testing::SourceDir() / "models" / "re-ner.model",
                                    kg::testing::SourceDir() / "models" / "ner.model");
  if (!tagger) FAIL(tagger.error().ToString());
  return **tagger;
}

// "Peop:John Smith" for each entity.
std::vector<std::string> Describe(const std::vector<std::string>& words,
                                  const std::vector<kg::Conll04Entity>& entities) {
  std::vector<std::string> out;
  for (const auto& e : entities) {
    std::string text;
    for (uint32_t i = e.start; i < e.end; ++i) text += (i > e.start ? " " : "") + words[i];
    out.push_back(e.type + ":" + text);
  }
  return out;
}

}  // namespace

TEST_CASE("the shipped CoNLL04 tagger is stacked on the CoNLL-2003 tagger",
          "[core][conll04_tagger]") {
  CHECK((Tagger().model().groups & kg::ner::kFeatGuide) != 0);
  std::vector<std::string> words = {"Lee", "Harvey", "Oswald", "shot", "John", "F.",
                                    "Kennedy", "in", "Dallas", "."};
  CHECK(Describe(words, Tagger().Tag(words)) ==
        std::vector<std::string>{"Peop:Lee Harvey Oswald", "Peop:John F. Kennedy",
                                 "Loc:Dallas"});
  words = {"John", "Smith", ",", "a", "spokesman", "for", "General", "Motors", "Corp.", ",",
           "said", "the", "plant", "in", "Detroit", "would", "close", "."};
  CHECK(Describe(words, Tagger().Tag(words)) ==
        std::vector<std::string>{"Peop:John Smith", "Org:General Motors Corp.", "Loc:Detroit"});
  CHECK(Tagger().Tag({}).empty());
}

TEST_CASE("a stacked model is refused by the plain tagger, which cannot feed it",
          "[core][conll04_tagger]") {
  auto plain = kg::NerTagger::Load(kg::testing::SourceDir() / "models" / "re-ner.model");
  REQUIRE_FALSE(plain);
  CHECK(plain.error().message().find("Conll04EntityTagger") != std::string::npos);
}

TEST_CASE("guide tags are one tag index per word", "[core][conll04_tagger]") {
  auto guide = kg::NerTagger::Load(kg::testing::SourceDir() / "models" / "ner.model");
  REQUIRE(guide);
  std::vector<std::string> words = {"Angela", "Merkel", "visited", "Paris", "."};
  auto tags = kg::Conll04EntityTagger::GuideTags(**guide, words);
  CHECK(tags == std::vector<int>{kg::ner::TagIndex("B-PER"), kg::ner::TagIndex("I-PER"), 0,
                                 kg::ner::TagIndex("B-LOC"), 0});
}

TEST_CASE("the guide feature group learns from the guide's tags alone",
          "[core][conll04_tagger]") {
  // Made-up words whose type only the guide knows: capitalised 'Zq...' words are people when
  // the guide says so and places otherwise.
  std::vector<kg::ConllDocument> train;
  std::vector<std::vector<int>> guide_of;
  for (int k = 0; k < 20; ++k) {
    kg::ConllSentence s;
    s.words = {"Zq" + std::to_string(k), "came", "."};
    s.tags = {k % 2 == 0 ? "B-PER" : "B-LOC", "O", "O"};
    train.push_back({{s}});
  }
  kg::ner::NerTrainOptions options;
  options.epochs = 5;
  options.hash_bits = 16;
  options.groups = kg::ner::kFeatGuide;
  auto no_guide = kg::ner::TrainNerModel(train, {}, {}, nullptr, options, nullptr);
  REQUIRE_FALSE(no_guide);
  options.guide = [](const std::vector<std::string>& words) {
    int n = std::stoi(words[0].substr(2));
    return std::vector<int>{n % 2 == 0 ? kg::ner::TagIndex("B-PER") : kg::ner::TagIndex("B-LOC"),
                            0, 0};
  };
  auto model = kg::ner::TrainNerModel(train, {}, {}, nullptr, options, nullptr);
  REQUIRE(model);
  CHECK((model->groups & kg::ner::kFeatGuide) != 0);
  // The features of a new word differ only through the guide's tag.
  kg::ner::FeatureExtractor extractor(model->resources, nullptr, model->groups, model->hash_bits);
  std::vector<std::string> words = {"Zq99", "came", "."};
  std::vector<int> as_person = {kg::ner::TagIndex("B-PER"), 0, 0};
  std::vector<int> as_place = {kg::ner::TagIndex("B-LOC"), 0, 0};
  kg::ner::FeatureBuffer a, b;
  extractor.Extract(words, {}, &as_person, &a);
  extractor.Extract(words, {}, &as_place, &b);
  CHECK(a.buckets != b.buckets);
  auto score = [&](const kg::ner::FeatureBuffer& buf, const char* tag) {
    double sum = 0;
    for (uint32_t k = buf.offsets[0]; k < buf.offsets[1]; ++k) {
      if (const float* w = model->Row(buf.buckets[k])) sum += w[kg::ner::TagIndex(tag)];
    }
    return sum;
  };
  CHECK(score(a, "B-PER") > score(a, "B-LOC"));
  CHECK(score(b, "B-LOC") > score(b, "B-PER"));
}

TEST_CASE("entity phrases match the longest known entity string, ignoring case",
          "[core][conll04_tagger]") {
  std::unordered_map<uint64_t, uint32_t> phrases;
  kg::ner::AddEntityPhrases({"New", "York", "and", "York", "Times", "met", "John"},
                            {"B-LOC", "I-LOC", "O", "B-ORG", "I-ORG", "O", "B-PER"}, &phrases);
  kg::ner::AddEntityPhrases({"New", "York"}, {"B-ORG", "I-ORG"}, &phrases);
  kg::ner::AddEntityPhrases({"York"}, {"B-LOC"}, &phrases);
  CHECK(phrases.size() == 4);
  CHECK(phrases.at(kg::ner::PhraseHash({"new", "YORK"}, 0, 2)) == (1u << 1 | 1u << 2));
  const std::vector<std::string> words = {"NEW", "YORK", "Times", "said", "new", "york",
                                          "times", "John", "York"};
  const uint32_t org_loc = (1u << 1 | 1u << 2) << 2, loc = (1u << 2) << 2, per = 1u << 2;
  // "NEW YORK" is the longest match at 0 ("York Times" starts inside it); "john" at 7.
  CHECK(kg::ner::EntityPhraseCodes(phrases, words) ==
        std::vector<uint32_t>{org_loc | 1, org_loc | 2, 0, 0, org_loc | 1, org_loc | 2, 0,
                              per | 1, loc | 1});
  CHECK(kg::ner::EntityPhraseCodes({}, words) == std::vector<uint32_t>(words.size(), 0));
  CHECK(kg::ner::EntityPhraseCodes(phrases, {}).empty());
}

TEST_CASE("a model with entity phrase features stores its phrases; one without stores none",
          "[core][conll04_tagger]") {
  kg::ner::NerModel model = kg::ner::NerModel::FromDense(
      std::vector<float>((size_t{1} << 8) * kg::ner::kNumTags, 0.5f), 8, 0.01f);
  model.resources.entity_phrases[kg::ner::PhraseHash({"Acme"}, 0, 1)] = 2;
  model.groups = kg::ner::kAllFeatures;
  const std::string plain = model.Serialize();
  auto parsed = kg::ner::NerModel::Parse(plain, "plain");
  REQUIRE(parsed);
  CHECK(parsed->resources.entity_phrases.empty());
  model.groups |= kg::ner::kFeatEntityPhrases;
  const std::string with_phrases = model.Serialize();
  CHECK(with_phrases != plain);
  parsed = kg::ner::NerModel::Parse(with_phrases, "with phrases");
  REQUIRE(parsed);
  CHECK(parsed->resources.entity_phrases == model.resources.entity_phrases);
  CHECK(parsed->Serialize() == with_phrases);
}

TEST_CASE("training features of entity phrases come from the caller's jackknifed codes",
          "[core][conll04_tagger]") {
  // Every training name is a phrase of the resources (as if the phrases were built from train
  // itself), but the jackknifed codes show none of them: the model must learn from the words.
  std::vector<kg::ConllDocument> train;
  kg::ner::NerResources resources;
  for (int k = 0; k < 12; ++k) {
    kg::ConllSentence s;
    s.words = {"Zq" + std::to_string(k), "came", "."};
    s.tags = {"B-PER", "O", "O"};
    kg::ner::AddEntityPhrases(s.words, s.tags, &resources.entity_phrases);
    train.push_back({{s}});
  }
  kg::ner::NerTrainOptions options;
  options.epochs = 2;
  options.hash_bits = 16;
  options.groups = kg::ner::kFeatEntityPhrases;
  std::vector<size_t> docs_seen;
  options.entity_codes = [&docs_seen](size_t doc, size_t sentence,
                                      const std::vector<std::string>& words) {
    CHECK(sentence == 0);
    docs_seen.push_back(doc);
    return std::vector<uint32_t>(words.size(), 0);
  };
  auto model = kg::ner::TrainNerModel(train, train, resources, nullptr, options, nullptr);
  REQUIRE(model);
  // Called once per training sentence (features are computed once), never for dev.
  CHECK(docs_seen.size() == train.size());
  CHECK(docs_seen.front() == 0);
  CHECK(docs_seen.back() == train.size() - 1);
  CHECK(model->resources.entity_phrases.size() == 12);
  // Matching the stored phrases changes the features of a known name.
  kg::ner::FeatureExtractor extractor(model->resources, nullptr, model->groups, model->hash_bits);
  const std::vector<std::string> words = {"Zq3", "came", "."};
  const std::vector<uint32_t> none(words.size(), 0);
  kg::ner::FeatureBuffer matched, unmatched;
  extractor.Extract(words, {}, nullptr, &matched);
  extractor.Extract(words, {}, nullptr, &none, &unmatched);
  CHECK(matched.buckets != unmatched.buckets);
}
