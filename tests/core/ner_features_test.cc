#include "kg/core/ner_features.h"

#include <catch2/catch.hpp>

#include <algorithm>

#include "kg/core/gazetteer.h"

namespace {

std::vector<uint32_t> TokenFeatures(const kg::ner::FeatureBuffer& buf, size_t token) {
  std::vector<uint32_t> out(buf.buckets.begin() + buf.offsets[token],
                            buf.buckets.begin() + buf.offsets[token + 1]);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("word shapes fold letters and digits", "[core][ner_features]") {
  CHECK(kg::ner::WordShape("Tokyo", true) == "Xx");
  CHECK(kg::ner::WordShape("Tokyo", false) == "Xxxxx");
  CHECK(kg::ner::WordShape("U.S.", true) == "X.X.");
  CHECK(kg::ner::WordShape("1996-08-22", false) == "dddd-dd-dd");
  CHECK(kg::ner::WordShape("G-7", true) == "X-d");
  CHECK(kg::ner::WordShape("abcdefghijklmnop", false).size() == 12);
}

TEST_CASE("tag indices follow IOB2 and forbid O -> I-X", "[core][ner_features]") {
  CHECK(kg::ner::TagIndex("O") == 0);
  CHECK(kg::ner::TagIndex("B-PER") == 1);
  CHECK(kg::ner::TagIndex("I-MISC") == 8);
  CHECK(kg::ner::TagIndex("B-FOO") == -1);
  CHECK(kg::ner::AllowedTransition(-1, kg::ner::TagIndex("B-ORG")));
  CHECK_FALSE(kg::ner::AllowedTransition(-1, kg::ner::TagIndex("I-ORG")));
  CHECK_FALSE(kg::ner::AllowedTransition(0, kg::ner::TagIndex("I-ORG")));
  CHECK(kg::ner::AllowedTransition(kg::ner::TagIndex("B-ORG"), kg::ner::TagIndex("I-ORG")));
  CHECK_FALSE(kg::ner::AllowedTransition(kg::ner::TagIndex("B-PER"), kg::ner::TagIndex("I-ORG")));
}

TEST_CASE("hashing lower-cases only where asked", "[core][ner_features]") {
  CHECK(kg::ner::HashLower("Tokyo") == kg::ner::HashBytes("tokyo"));
  CHECK(kg::ner::HashBytes("Tokyo") != kg::ner::HashBytes("tokyo"));
}

TEST_CASE("features depend on the word and its context", "[core][ner_features]") {
  kg::ner::NerResources resources;
  kg::ner::FeatureExtractor extractor(resources, nullptr,
                                      kg::ner::kAllFeatures & ~kg::ner::kFeatGazetteer, 18);
  kg::ner::NerDocContext doc;
  kg::ner::FeatureBuffer a, b, c;
  extractor.Extract({"Mr", "Abe", "visited", "Tokyo", "."}, doc, &a);
  extractor.Extract({"Mr", "Abe", "visited", "Tokyo", "."}, doc, &b);
  extractor.Extract({"Mr", "Abe", "visited", "Osaka", "."}, doc, &c);
  REQUIRE(a.offsets.size() == 6);
  // Deterministic: the same sentence gives the same buckets.
  CHECK(a.buckets == b.buckets);
  // Every bucket lies inside the table.
  for (uint32_t bucket : a.buckets) CHECK(bucket < (1u << 18));
  // "Abe" is 2 tokens away from the changed word: its distance-2 features change.
  CHECK(TokenFeatures(a, 1) != TokenFeatures(c, 1));
  // "Mr" is 3 tokens away: nothing it sees changes.
  CHECK(TokenFeatures(a, 0) == TokenFeatures(c, 0));
}

TEST_CASE("feature groups can be switched off", "[core][ner_features]") {
  kg::ner::NerResources resources;
  kg::ner::NerDocContext doc;
  kg::ner::FeatureExtractor all(resources, nullptr,
                                kg::ner::kAllFeatures & ~kg::ner::kFeatGazetteer, 20);
  kg::ner::FeatureExtractor fewer(
      resources, nullptr,
      kg::ner::kAllFeatures & ~(kg::ner::kFeatGazetteer | kg::ner::kFeatAffixes), 20);
  kg::ner::FeatureBuffer a, b;
  all.Extract({"Reuters", "reported"}, doc, &a);
  fewer.Extract({"Reuters", "reported"}, doc, &b);
  // Affixes are 8 features per token of 4+ letters.
  CHECK(a.buckets.size() == b.buckets.size() + 16);
}

TEST_CASE("gazetteer matches become features", "[core][ner_features]") {
  auto gaz = kg::Gazetteer::Default();
  REQUIRE(gaz.has_value());
  kg::ner::NerResources resources;
  kg::ner::NerDocContext doc;
  kg::ner::FeatureExtractor with(resources, *gaz, kg::ner::kAllFeatures, 20);
  kg::ner::FeatureExtractor without(resources, *gaz,
                                    kg::ner::kAllFeatures & ~kg::ner::kFeatGazetteer, 20);
  kg::ner::FeatureBuffer a, b;
  with.Extract({"in", "Japan"}, doc, &a);
  without.Extract({"in", "Japan"}, doc, &b);
  // Japan: gazetteer, previous and next gazetteer and gazetteer-with-word features.
  CHECK(a.offsets[2] - a.offsets[1] == b.offsets[2] - b.offsets[1] + 4);
}

TEST_CASE("document context records how a word is written elsewhere", "[core][ner_features]") {
  kg::ner::NerResources resources;
  kg::ner::FeatureExtractor extractor(resources, nullptr, kg::ner::kAllFeatures, 20);
  auto ctx = extractor.AnalyzeDocument({{"JAPAN", "WINS", "IN", "ASIA"},
                                        {"The", "team", "of", "Japan", "won", "."}});
  // Get answers 0 for a word never seen, and present words always carry a bit.
  CHECK(ctx.flags.Get(kg::ner::HashLower("japan")) != 0);
  // Headlines are not evidence: "wins" appears only in the headline.
  CHECK(ctx.flags.Get(kg::ner::HashLower("wins")) == 0);
}
