// k-best taggings of the CoNLL04 entity tagger and joint entity-relation decoding over them
// (the shipped models/re-ner.model and models/re.model), and training on alternative taggings.

#include "kg/core/conll04_joint.h"

#include <algorithm>

#include <catch2/catch.hpp>

#include "test_support.h"

namespace {

const kg::Conll04EntityTagger& JointTestTagger() {
  static auto tagger =
      kg::Conll04EntityTagger::Load(kg::testing::SourceDir() / "models" / "re-ner.model",
                                    kg::testing::SourceDir() / "models" / "ner.model");
  if (!tagger) FAIL(tagger.error().ToString());
  return **tagger;
}

const kg::RelationClassifier& JointTestClassifier() {
  static auto classifier =
      kg::RelationClassifier::Load(kg::testing::SourceDir() / "models" / "re.model");
  if (!classifier) FAIL(classifier.error().ToString());
  return **classifier;
}

const std::vector<std::vector<std::string>>& JointTestSentences() {
  static const std::vector<std::vector<std::string>> sentences = {
      {"Lee", "Harvey", "Oswald", "shot", "John", "F.", "Kennedy", "in", "Dallas", "."},
      {"John", "Smith", ",", "a", "spokesman", "for", "General", "Motors", "Corp.", ",", "said",
       "the", "plant", "in", "Detroit", "would", "close", "."},
      {"Composer", "Thomas", "is", "a", "native", "of", "Chisholm", ",", "Minn", "."},
      {"He", "works", "at", "the", "Pentagon", "as", "a", "public", "affairs", "officer", "."}};
  return sentences;
}

bool SameJointRelations(const std::vector<kg::Conll04Relation>& a,
                   const std::vector<kg::Conll04Relation>& b) {
  if (a.size() != b.size()) return false;
  for (size_t k = 0; k < a.size(); ++k) {
    if (a[k].head != b[k].head || a[k].tail != b[k].tail || a[k].type != b[k].type) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("the best of the k best taggings is the tagger's own, and the rest are distinct",
          "[core][conll04_joint]") {
  for (const auto& words : JointTestSentences()) {
    const auto one = JointTestTagger().TagKBest(words, 1);
    REQUIRE(one.size() == 1);
    CHECK(one[0].entities == JointTestTagger().Tag(words));
    const auto many = JointTestTagger().TagKBest(words, 8);
    REQUIRE(many.size() == 8);
    CHECK(many[0].entities == JointTestTagger().Tag(words));
    CHECK(many[0].score == Approx(one[0].score));
    for (size_t k = 1; k < many.size(); ++k) {
      CHECK(many[k].score <= many[k - 1].score);
      for (size_t j = 0; j < k; ++j) CHECK_FALSE(many[k].entities == many[j].entities);
    }
    CHECK(JointTestTagger().TagKBest(words, 8)[5].entities == many[5].entities);  // deterministic
  }
  CHECK(JointTestTagger().TagKBest({}, 4).empty());
  // One word has at most nine taggings (O, or B- of a type; I- cannot start a sentence): five.
  CHECK(JointTestTagger().TagKBest({"Paris"}, 20).size() == 5);
}

TEST_CASE("pair scores are the margins over each type's threshold that Predict keeps",
          "[core][conll04_joint]") {
  const auto& words = JointTestSentences()[1];
  const auto entities = JointTestTagger().Tag(words);
  const auto scored = JointTestClassifier().ScorePairs(words, entities);
  const auto kept = JointTestClassifier().Predict(words, entities);
  size_t positive = 0;
  for (const auto& r : scored) positive += r.score > 0 ? 1 : 0;
  CHECK(positive == kept.size());
  CHECK_FALSE(kept.empty());  // John Smith works for General Motors Corp.
}

TEST_CASE("joint decoding with one tagging, or no weight on relations, is the pipeline",
          "[core][conll04_joint]") {
  for (const auto& words : JointTestSentences()) {
    kg::Conll04JointOptions pipeline;
    pipeline.k_best = 1;
    const auto a = kg::ExtractConll04(words, JointTestTagger(), JointTestClassifier(), pipeline);
    CHECK(a.tokens == words);
    CHECK(a.entities == JointTestTagger().Tag(words));
    std::vector<kg::Conll04Relation> expected;
    for (const auto& r : JointTestClassifier().Predict(words, a.entities)) {
      expected.push_back({r.head, r.tail, r.type});
    }
    CHECK(SameJointRelations(a.relations, expected));
    kg::Conll04JointOptions unweighted;
    unweighted.k_best = 8;
    unweighted.relation_weight = 0;
    const auto b = kg::ExtractConll04(words, JointTestTagger(), JointTestClassifier(), unweighted);
    CHECK(b.entities == a.entities);
    CHECK(SameJointRelations(b.relations, a.relations));
  }
}

TEST_CASE("a heavy relation weight picks a tagging whose entities carry more relations",
          "[core][conll04_joint]") {
  // With an overwhelming weight the objective is the relations' summed margins: the chosen
  // tagging's margins are at least the best tagging's.
  kg::Conll04JointOptions heavy;
  heavy.k_best = 16;
  heavy.relation_weight = 1e6;
  auto margins = [](const kg::Conll04Sentence& s) {
    double sum = 0;
    for (const auto& r : JointTestClassifier().ScorePairs(s.tokens, s.entities)) {
      if (r.score > 0) sum += r.score;
    }
    return sum;
  };
  for (const auto& words : JointTestSentences()) {
    const auto joint = kg::ExtractConll04(words, JointTestTagger(), JointTestClassifier(), heavy);
    kg::Conll04Sentence best;
    best.tokens = words;
    best.entities = JointTestTagger().Tag(words);
    CHECK(margins(joint) >= margins(best) - 1e-6);
    for (const auto& r : joint.relations) {
      CHECK(r.head < joint.entities.size());
      CHECK(r.tail < joint.entities.size());
    }
  }
}

TEST_CASE("alternative taggings in training teach the classifier their wrong spans too",
          "[core][conll04_joint]") {
  std::vector<kg::Conll04Sentence> train;
  const char* people[] = {"Ann", "Bob", "Cid", "Dee", "Eve", "Fay", "Gus", "Hal"};
  const char* orgs[] = {"Acme", "Bolt", "Crux", "Dyna", "Echo", "Flux", "Gale", "Hive"};
  for (int k = 0; k < 8; ++k) {
    kg::Conll04Sentence s;
    s.tokens = {people[k], "Smith", "works", "for", orgs[k], "Inc", "."};
    s.entities = {{0, 2, "Peop"}, {4, 6, "Org"}};
    s.relations.push_back({0, 1, "Work_For"});
    train.push_back(s);
  }
  kg::RelationTrainOptions options;
  options.epochs = 5;
  options.hash_bits = 16;
  // The best tagging is right; the second cuts every organisation short.
  options.train_entities.assign(train.size(), {{0, 2, "Peop"}, {4, 6, "Org"}});
  auto plain = kg::RelationClassifier::Train(train, {}, options, nullptr);
  options.train_alternatives.assign(train.size(), {{{0, 2, "Peop"}, {4, 5, "Org"}}});
  auto taught = kg::RelationClassifier::Train(train, {}, options, nullptr);
  REQUIRE(plain);
  REQUIRE(taught);
  const std::vector<std::string> words = {"Ivy", "Smith", "works", "for", "Iota", "Inc", "."};
  const std::vector<kg::Conll04Entity> cut = {{0, 2, "Peop"}, {4, 5, "Org"}};
  const std::vector<kg::Conll04Entity> whole = {{0, 2, "Peop"}, {4, 6, "Org"}};
  CHECK((*plain)->Predict(words, cut).size() == 1);
  CHECK((*taught)->Predict(words, cut).empty());
  CHECK((*taught)->Predict(words, whole).size() == 1);
}

TEST_CASE("Live_In and OrgBased_In go to both places of a \"City , State\" pair",
          "[core][conll04_joint]") {
  const std::vector<std::string> tokens = {"Ann",  "Lee", "of", "Miami", ",", "Fla.", ",",
                                           "and",  "Acme", "of", "Dallas", "in", "Texas", "."};
  const std::vector<kg::Conll04Entity> entities = {
      {0, 2, "Peop"}, {3, 4, "Loc"}, {5, 6, "Loc"}, {8, 9, "Org"}, {10, 11, "Loc"},
      {12, 13, "Loc"}};
  std::vector<kg::Conll04Relation> relations = {
      {0, 1, "Live_In"}, {3, 4, "OrgBased_In"}, {1, 2, "Located_In"}};
  kg::CompleteCommaPlaces(tokens, entities, &relations);
  // Miami , Fla.: Ann lives in both. Dallas in Texas: no comma, nothing added; Located_In is
  // never completed.
  REQUIRE(relations.size() == 4);
  CHECK(relations[3].head == 0);
  CHECK(relations[3].tail == 2);
  CHECK(relations[3].type == "Live_In");
  // Applying it again adds nothing; the other direction (the state given) adds the city.
  kg::CompleteCommaPlaces(tokens, entities, &relations);
  CHECK(relations.size() == 4);
  relations = {{3, 2, "OrgBased_In"}};
  kg::CompleteCommaPlaces(tokens, entities, &relations);
  REQUIRE(relations.size() == 2);
  CHECK(relations[1].head == 3);
  CHECK(relations[1].tail == 1);
  CHECK(relations[1].type == "OrgBased_In");
  // Only two places: a person after the comma is not completed.
  const std::vector<kg::Conll04Entity> person_after = {
      {0, 2, "Peop"}, {3, 4, "Loc"}, {5, 6, "Peop"}};
  relations = {{0, 1, "Live_In"}};
  kg::CompleteCommaPlaces(tokens, person_after, &relations);
  CHECK(relations.size() == 1);
}

TEST_CASE("the default decoding completes places; the option turns it off",
          "[core][conll04_joint]") {
  CHECK(kg::DefaultConll04JointOptions().complete_comma_places);
  // The shipped models find Ferraro living in Bethany only; completion adds Conn.
  const std::vector<std::string> tokens = {"Marie", "Magdefrau", "Ferraro", ",", "50", ",",
                                           "of", "Bethany", ",", "Conn.", ",", "was", "killed",
                                           "."};
  kg::Conll04JointOptions options = kg::DefaultConll04JointOptions();
  const auto with = kg::ExtractConll04(tokens, JointTestTagger(), JointTestClassifier(), options);
  options.complete_comma_places = false;
  const auto without =
      kg::ExtractConll04(tokens, JointTestTagger(), JointTestClassifier(), options);
  REQUIRE(with.entities == without.entities);
  REQUIRE(with.entities.size() == 3);
  auto lives_in = [](const kg::Conll04Sentence& s, uint32_t place) {
    return std::any_of(s.relations.begin(), s.relations.end(), [&](const auto& r) {
      return r.head == 0 && r.tail == place && r.type == "Live_In";
    });
  };
  CHECK(lives_in(without, 1));
  CHECK_FALSE(lives_in(without, 2));
  CHECK(lives_in(with, 1));
  CHECK(lives_in(with, 2));
  CHECK(with.relations.size() == without.relations.size() + 1);
}
