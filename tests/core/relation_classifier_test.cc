// CoNLL04 reading and scoring, and the trained relation classifier, on data written here.

#include <string>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>

#include "kg/core/conll04.h"
#include "kg/core/ner_features.h"
#include "kg/core/relation_classifier.h"
#include "test_support.h"

namespace {

kg::Conll04Sentence Sentence(const std::string& person, const std::string& verb,
                             const std::string& org, bool related) {
  kg::Conll04Sentence s;
  s.tokens = {person, "Smith", verb, "for", org, "Inc", "."};
  s.entities = {{0, 2, "Peop"}, {4, 6, "Org"}};
  if (related) s.relations.push_back({0, 1, "Work_For"});
  return s;
}

std::vector<kg::Conll04Sentence> ToyData() {
  std::vector<kg::Conll04Sentence> data;
  const char* people[] = {"Ann", "Bob", "Cid", "Dee", "Eve", "Fay", "Gus", "Hal"};
  const char* orgs[] = {"Acme", "Bolt", "Crux", "Dyna", "Echo", "Flux", "Gale", "Hive"};
  for (int k = 0; k < 8; ++k) {
    data.push_back(Sentence(people[k], "works", orgs[k], true));
    data.push_back(Sentence(people[(k + 3) % 8], "campaigned", orgs[(k + 5) % 8], false));
  }
  return data;
}

}  // namespace

TEST_CASE("CoNLL04 JSON is read with its spans and relations", "[core][relation]") {
  auto parsed = kg::ParseConll04(
      R"([{"tokens": ["PERUGIA", ",", "Italy"], "entities": [{"type": "Loc", "start": 0,
      "end": 1}, {"type": "Loc", "start": 2, "end": 3}], "relations": [{"type": "Located_In",
      "head": 0, "tail": 1}]}])",
      "test.json");
  REQUIRE(parsed);
  REQUIRE(parsed->size() == 1);
  CHECK((*parsed)[0].entities[1] == kg::Conll04Entity{2, 3, "Loc"});
  CHECK((*parsed)[0].relations[0].type == "Located_In");
}

TEST_CASE("bad CoNLL04 input is refused with its location", "[core][relation]") {
  auto bad_json = kg::ParseConll04("[{\"tokens\": [\"a\"],\n \"entities\": [}]", "x.json");
  REQUIRE_FALSE(bad_json);
  CHECK(bad_json.error().message().rfind("x.json:2:", 0) == 0);
  auto overflow = kg::ParseConll04("[{\"tokens\": [1e999]}]", "big.json");
  REQUIRE_FALSE(overflow);
  CHECK(overflow.error().message().find("big.json: invalid JSON") == 0);
  auto bad_span = kg::ParseConll04(
      R"([{"tokens": ["a"], "entities": [{"type": "Loc", "start": 0, "end": 4}]}])", "y.json");
  REQUIRE_FALSE(bad_span);
  CHECK(bad_span.error().message().find("y.json: sentence 0") != std::string::npos);
  CHECK_FALSE(kg::ReadConll04("/nonexistent/conll04.json"));
}

TEST_CASE("strict scoring needs both spans and types of a relation", "[core][relation]") {
  auto gold = Sentence("Ann", "works", "Acme", true);
  auto predicted = gold;
  predicted.entities[1] = {4, 5, "Org"};  // right type, wrong span
  kg::Conll04Scorer scorer;
  scorer.Add(gold, predicted);
  CHECK(scorer.entities().correct == 1);
  CHECK(scorer.entities().gold == 2);
  CHECK(scorer.relations().correct == 0);
  CHECK(scorer.relations().predicted == 1);
  scorer.Add(gold, gold);
  CHECK(scorer.relations().correct == 1);
  CHECK(scorer.relation_types().at("Work_For").gold == 2);
}

TEST_CASE("the relation classifier learns a cue and survives a save and load",
          "[core][relation]") {
  kg::RelationTrainOptions options;
  options.epochs = 5;
  options.hash_bits = 16;
  auto model = kg::RelationClassifier::Train(ToyData(), {}, options, nullptr);
  REQUIRE(model);
  auto related = Sentence("Ivy", "works", "Iota", true);
  auto unrelated = Sentence("Ivy", "campaigned", "Iota", false);
  auto found = (*model)->Predict(related.tokens, related.entities);
  REQUIRE(found.size() == 1);
  CHECK(found[0].type == "Work_For");
  CHECK(found[0].head == 0);
  CHECK(found[0].tail == 1);
  CHECK((*model)->Predict(unrelated.tokens, unrelated.entities).empty());

  kg::testing::TempDir dir;
  auto path = dir.path() / "re.model";
  REQUIRE((*model)->Save(path).ok());
  auto loaded = kg::RelationClassifier::Load(path);
  REQUIRE(loaded);
  auto again = (*loaded)->Predict(related.tokens, related.entities);
  REQUIRE(again.size() == 1);
  CHECK(again[0].score == Approx(found[0].score));
}

TEST_CASE("a file that is no relation model is refused", "[core][relation]") {
  kg::testing::TempDir dir;
  auto path = dir.path() / "garbage.model";
  kg::testing::WriteFile(path, "KGREMDL1 but then nothing sensible");
  auto loaded = kg::RelationClassifier::Load(path);
  REQUIRE_FALSE(loaded);
  CHECK(loaded.error().message().find("garbage.model") != std::string::npos);
  CHECK_FALSE(kg::RelationClassifier::Load(dir.path() / "absent.model"));
}

TEST_CASE("dev tunes one threshold per relation type, kept by save and load",
          "[core][relation]") {
  auto train = ToyData();
  std::vector<kg::Conll04Sentence> dev = {Sentence("Ivy", "works", "Iota", true),
                                          Sentence("Jon", "campaigned", "Kilo", false)};
  kg::RelationTrainOptions options;
  options.epochs = 3;
  options.hash_bits = 16;
  kg::RelationTrainReport report;
  auto model = kg::RelationClassifier::Train(train, dev, options, &report);
  REQUIRE(model);
  REQUIRE(report.dev_f1.size() == 3);
  CHECK(report.dev_f1[static_cast<size_t>(report.best_epoch - 1)] == Approx(100.0));
  kg::testing::TempDir dir;
  REQUIRE((*model)->Save(dir.path() / "re.model").ok());
  auto loaded = kg::RelationClassifier::Load(dir.path() / "re.model");
  REQUIRE(loaded);
  for (const auto& type : kg::RelationClassifier::RelationTypes()) {
    CHECK((*loaded)->threshold(type) == Approx((*model)->threshold(type)));
  }
  auto related = dev[0];
  REQUIRE((*loaded)->Predict(related.tokens, related.entities).size() == 1);
  CHECK((*loaded)->Predict(dev[1].tokens, dev[1].entities).empty());
}

TEST_CASE("a version 1 relation model (one threshold) still loads", "[core][relation]") {
  kg::RelationTrainOptions options;
  options.epochs = 3;
  options.hash_bits = 16;
  auto model = kg::RelationClassifier::Train(ToyData(), {}, options, nullptr);
  REQUIRE(model);
  kg::testing::TempDir dir;
  REQUIRE((*model)->Save(dir.path() / "v2.model").ok());
  // Version 1 = version 2 without the five per-type thresholds after the description.
  std::string bytes = kg::testing::ReadFile(dir.path() / "v2.model");
  REQUIRE(bytes.substr(0, 8) == "KGREMDL2");
  const size_t description_end = 8 + 4 * 4 + (*model)->description().size();
  std::string v1 = "KGREMDL1" + bytes.substr(8, description_end - 8) +
                   bytes.substr(description_end + 5 * 4);
  kg::testing::WriteFile(dir.path() / "v1.model", v1);
  auto loaded = kg::RelationClassifier::Load(dir.path() / "v1.model");
  REQUIRE(loaded);
  auto related = Sentence("Ivy", "works", "Iota", true);
  auto a = (*model)->Predict(related.tokens, related.entities);
  auto b = (*loaded)->Predict(related.tokens, related.entities);
  REQUIRE(a.size() == 1);
  REQUIRE(b.size() == 1);
  CHECK(a[0].score == Approx(b[0].score));
}

TEST_CASE("tagged training entities teach the classifier what a wrong span looks like",
          "[core][relation]") {
  auto train = ToyData();
  kg::RelationTrainOptions options;
  options.epochs = 5;
  options.hash_bits = 16;
  options.train_entities.push_back({});
  auto mismatched = kg::RelationClassifier::Train(train, {}, options, nullptr);
  REQUIRE_FALSE(mismatched);
  // The tagger cut every organisation short ("Acme" without "Inc").
  options.train_entities.clear();
  options.train_entities.assign(train.size(), {{0, 2, "Peop"}, {4, 5, "Org"}});
  auto model = kg::RelationClassifier::Train(train, {}, options, nullptr);
  REQUIRE(model);
  auto s = Sentence("Ivy", "works", "Iota", true);
  CHECK((*model)->Predict(s.tokens, s.entities).size() == 1);
  std::vector<kg::Conll04Entity> cut = {{0, 2, "Peop"}, {4, 5, "Org"}};
  CHECK((*model)->Predict(s.tokens, cut).empty());
  options.train_entities.clear();
  auto plain = kg::RelationClassifier::Train(train, {}, options, nullptr);
  REQUIRE(plain);
  CHECK((*plain)->Predict(s.tokens, cut).size() == 1);
}

TEST_CASE("the mean of several seeds' models still learns the cue, deterministically",
          "[core][relation]") {
  kg::RelationTrainOptions options;
  options.epochs = 3;
  options.hash_bits = 16;
  options.seeds = 3;
  std::vector<kg::Conll04Sentence> dev = {Sentence("Ivy", "works", "Iota", true),
                                          Sentence("Jon", "campaigned", "Kilo", false)};
  kg::RelationTrainReport report;
  auto a = kg::RelationClassifier::Train(ToyData(), dev, options, &report);
  auto b = kg::RelationClassifier::Train(ToyData(), dev, options, nullptr);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(report.final_dev_f1 == Approx(100.0));
  auto s = Sentence("Liv", "works", "Mako", true);
  auto found = (*a)->Predict(s.tokens, s.entities);
  REQUIRE(found.size() == 1);
  CHECK(found[0].type == "Work_For");
  REQUIRE((*b)->Predict(s.tokens, s.entities).size() == 1);
  CHECK((*b)->Predict(s.tokens, s.entities)[0].score == found[0].score);
  auto other = Sentence("Liv", "campaigned", "Mako", false);
  CHECK((*a)->Predict(other.tokens, other.entities).empty());
}

TEST_CASE("word clusters of the words between let an unseen cue count, kept by save and load",
          "[core][relation]") {
  kg::RelationTrainOptions options;
  options.epochs = 5;
  options.hash_bits = 16;
  // "labours" shares the coarse cluster of "works"; "lobbied" that of "campaigned".
  options.clusters = {{kg::ner::HashLower("works"), (1u << 16) | 1u},
                      {kg::ner::HashLower("labours"), (1u << 16) | 2u},
                      {kg::ner::HashLower("campaigned"), (2u << 16) | 3u},
                      {kg::ner::HashLower("lobbied"), (2u << 16) | 4u}};
  auto model = kg::RelationClassifier::Train(ToyData(), {}, options, nullptr);
  REQUIRE(model);
  auto related = Sentence("Ivy", "labours", "Iota", true);
  auto unrelated = Sentence("Ivy", "lobbied", "Iota", false);
  auto found = (*model)->Predict(related.tokens, related.entities);
  REQUIRE(found.size() == 1);
  CHECK(found[0].type == "Work_For");
  CHECK((*model)->Predict(unrelated.tokens, unrelated.entities).empty());

  kg::testing::TempDir dir;
  REQUIRE((*model)->Save(dir.path() / "v3.model").ok());
  CHECK(kg::testing::ReadFile(dir.path() / "v3.model").substr(0, 8) == "KGREMDL3");
  auto loaded = kg::RelationClassifier::Load(dir.path() / "v3.model");
  REQUIRE(loaded);
  auto again = (*loaded)->Predict(related.tokens, related.entities);
  REQUIRE(again.size() == 1);
  CHECK(again[0].score == Approx(found[0].score));
  CHECK((*loaded)->Predict(unrelated.tokens, unrelated.entities).empty());
  // A truncated cluster table is damage, not a smaller model.
  std::string bytes = kg::testing::ReadFile(dir.path() / "v3.model");
  kg::testing::WriteFile(dir.path() / "cut.model", bytes.substr(0, bytes.size() - 3));
  CHECK_FALSE(kg::RelationClassifier::Load(dir.path() / "cut.model"));

  // Without clusters the model is a version 2 file, as before.
  options.clusters.clear();
  auto plain = kg::RelationClassifier::Train(ToyData(), {}, options, nullptr);
  REQUIRE(plain);
  REQUIRE((*plain)->Save(dir.path() / "v2.model").ok());
  CHECK(kg::testing::ReadFile(dir.path() / "v2.model").substr(0, 8) == "KGREMDL2");
}

namespace {

// "<person> Smith lives in <city> , Mass ." with Live_In to the city only (not CoNLL04's
// convention for "City , State", so that counting the completion shows in the dev score).
kg::Conll04Sentence CommaPlaceSentence(const std::string& person, const std::string& city) {
  kg::Conll04Sentence s;
  s.tokens = {person, "Smith", "lives", "in", city, ",", "Mass", "."};
  s.entities = {{0, 2, "Peop"}, {4, 5, "Loc"}, {6, 7, "Loc"}};
  s.relations.push_back({0, 1, "Live_In"});
  return s;
}

}  // namespace

TEST_CASE("thresholds tuned with place completion count the copied relation",
          "[core][relation]") {
  std::vector<kg::Conll04Sentence> train;
  const char* people[] = {"Ann", "Bob", "Cid", "Dee", "Eve", "Fay", "Gus", "Hal"};
  const char* cities[] = {"Avon", "Bath", "Cork", "Deal", "Ely", "Fife", "Goole", "Hull"};
  for (int k = 0; k < 8; ++k) train.push_back(CommaPlaceSentence(people[k], cities[k]));
  const std::vector<kg::Conll04Sentence> dev = {CommaPlaceSentence("Ivy", "Iona")};
  kg::RelationTrainOptions options;
  options.epochs = 3;
  options.hash_bits = 16;
  kg::RelationTrainReport alone;
  auto model = kg::RelationClassifier::Train(train, dev, options, &alone);
  REQUIRE(model);
  // Each pair alone: Live_In to the city only, as gold.
  CHECK(alone.dev_f1[static_cast<size_t>(alone.best_epoch - 1)] == Approx(100.0));
  options.tune_with_place_completion = true;
  kg::RelationTrainReport completed;
  model = kg::RelationClassifier::Train(train, dev, options, &completed);
  REQUIRE(model);
  // Completion copies it to "Mass", which gold does not have: one of two found is right.
  CHECK(completed.dev_f1[static_cast<size_t>(completed.best_epoch - 1)] == Approx(200.0 / 3));
}

// The shipped model on a sentence with many entities: a pair turned down is neither asked for
// nor returned, and each pair scores the same whether or not the sentence's other pairs were
// scored before it (the classifier keeps per-sentence hashes for them).
TEST_CASE("a pair filter drops pairs before scoring and leaves the others' scores unchanged",
          "[core][relation]") {
  auto model = kg::RelationClassifier::Load(kg::testing::SourceDir() / "models" / "re.model");
  REQUIRE(model);
  const std::vector<std::string> tokens = {
      "John", "Smith", ",",  "who",   "works", "for",   "Acme", "Corp.",  "in",     "London",
      ",",    "met",   "Mary", "Jones", "of",  "Bolt", "Inc",  "in",     "Paris",  ",",
      "France", "and", "Tom",  "Lee",   "of",  "Crux", "Ltd",  "from",   "Dallas", ",",
      "Texas", "."};
  const std::vector<kg::Conll04Entity> entities = {
      {0, 2, "Peop"},  {6, 8, "Org"},   {9, 10, "Loc"},  {12, 14, "Peop"}, {15, 17, "Org"},
      {18, 19, "Loc"}, {20, 21, "Loc"}, {22, 24, "Peop"}, {25, 27, "Org"}, {28, 29, "Loc"},
      {30, 31, "Loc"}};
  const auto all = (*model)->Predict(tokens, entities);
  REQUIRE(all.size() >= 3);

  std::vector<std::tuple<uint32_t, uint32_t, std::string>> asked;
  const auto everything = (*model)->Predict(
      tokens, entities, [&](uint32_t head, uint32_t tail, const std::string& type) {
        asked.emplace_back(head, tail, type);
        return true;
      });
  REQUIRE(everything.size() == all.size());
  for (size_t k = 0; k < all.size(); ++k) {
    CHECK(everything[k].head == all[k].head);
    CHECK(everything[k].tail == all[k].tail);
    CHECK(everything[k].type == all[k].type);
    CHECK(everything[k].score == all[k].score);
  }
  // Asked once per ordered pair whose types allow a relation, with that relation's type.
  size_t compatible = 0;
  for (const auto& [head, tail, type] : asked) {
    CHECK(head != tail);
    const std::string pair = entities[head].type + ">" + entities[tail].type;
    CHECK(type == (pair == "Peop>Org"   ? "Work_For"
                   : pair == "Peop>Peop" ? "Kill"
                   : pair == "Org>Loc"   ? "OrgBased_In"
                   : pair == "Peop>Loc"  ? "Live_In"
                   : pair == "Loc>Loc"   ? "Located_In"
                                         : "?"));
    ++compatible;
  }
  CHECK(compatible == 3 * 3 + 3 * 2 + 3 * 5 + 3 * 5 + 5 * 4);

  // Each found pair alone (nothing else scored in the sentence): the same score, bit for bit.
  for (const auto& r : all) {
    const auto alone = (*model)->Predict(
        tokens, entities, [&](uint32_t head, uint32_t tail, const std::string&) {
          return head == r.head && tail == r.tail;
        });
    REQUIRE(alone.size() == 1);
    CHECK(alone[0].type == r.type);
    CHECK(alone[0].score == r.score);
  }
  // The first found pair turned down: the others stay, in order, with their scores.
  const auto rest = (*model)->Predict(
      tokens, entities, [&](uint32_t head, uint32_t tail, const std::string&) {
        return !(head == all[0].head && tail == all[0].tail);
      });
  REQUIRE(rest.size() == all.size() - 1);
  for (size_t k = 0; k < rest.size(); ++k) {
    CHECK(rest[k].head == all[k + 1].head);
    CHECK(rest[k].tail == all[k + 1].tail);
    CHECK(rest[k].score == all[k + 1].score);
  }
}
