#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "kg/core/gazetteer.h"
#include "kg/core/ner_features.h"

namespace {

using Sentences = std::vector<std::vector<std::string>>;

// Sorted buckets of one token, from Extract().
std::vector<uint32_t> WholeTokenFeatures(const kg::ner::FeatureBuffer& buf, size_t token) {
  std::vector<uint32_t> out(buf.buckets.begin() + buf.offsets[token],
                            buf.buckets.begin() + buf.offsets[token + 1]);
  std::sort(out.begin(), out.end());
  return out;
}

// Appends the buckets of the codes of one token of ExtractSplit()'s output.
void AppendCodeBuckets(const kg::ner::FeatureExtractor& extractor,
                       const kg::ner::SplitFeatureBuffer& buf, size_t token,
                       std::vector<uint32_t>* out) {
  constexpr size_t kCodes = kg::ner::SplitFeatureBuffer::kCodesPerToken;
  REQUIRE(buf.codes.size() == buf.word_ids.size() * kCodes);
  for (size_t c = token * kCodes; c < (token + 1) * kCodes; ++c) {
    REQUIRE(buf.codes[c] < extractor.code_count());
    const auto buckets = extractor.CodeBuckets(buf.codes[c]);
    out->insert(out->end(), buckets.begin(), buckets.end());
  }
}

// Sorted buckets of one token, its cached parts, its codes and its per-position features
// together, from ExtractSplit().
std::vector<uint32_t> SplitTokenFeatures(const kg::ner::FeatureExtractor& extractor,
                                         const kg::ner::NerWordCache& cache,
                                         const kg::ner::SplitFeatureBuffer& buf, size_t token) {
  using Cache = kg::ner::NerWordCache;
  const long n = static_cast<long>(buf.word_ids.size());
  auto id_at = [&](long k) -> uint32_t {
    if (k < 0) return Cache::kStartId;
    if (k >= n) return Cache::kEndId;
    return buf.word_ids.at(static_cast<size_t>(k));
  };
  const long t = static_cast<long>(token);
  const std::pair<uint32_t, int> parts[] = {
      {id_at(t), Cache::kOwn},        {id_at(t - 1), Cache::kToNext},
      {id_at(t - 2), Cache::kToNext2}, {id_at(t + 1), Cache::kToPrev},
      {id_at(t + 2), Cache::kToPrev2}};
  std::vector<uint32_t> out;
  for (const auto& [id, part] : parts) {
    const auto& entry = cache.entries.at(id);
    out.insert(out.end(), cache.buckets.begin() + entry.parts[part],
               cache.buckets.begin() + entry.parts[part + 1]);
  }
  AppendCodeBuckets(extractor, buf, token, &out);
  out.insert(out.end(), buf.buckets.begin() + buf.offsets[token],
             buf.buckets.begin() + buf.offsets[token + 1]);
  std::sort(out.begin(), out.end());
  return out;
}

Sentences SplitTestDocument() {
  return {
      {"JAPAN", "BEATS", "CHINA", "IN", "TOKYO", "FINAL"},
      {"Prime", "Minister", "Shinzo", "Abe", "visited", "Tokyo", "on", "Monday", "."},
      {"Abe", "met", "the", "U.S.", "envoy", ",", "Mr", "Abe", "said", "in", "Tokyo", "."},
      {"Tokyo"},
      {},
      {"AT&T", "and", "Rolls-Royce", "gained", "3.5", "%", "to", "1,234", "yen", "in", "Japan"},
      {"The", "New", "York", "Stock", "Exchange", "said", "Japan", "'s", "Toyota", "rose", "."},
      {"caf\xc3\xa9", "owners", "in", "Paris", "and", "TOKYO", "protested", "."},
  };
}

kg::ner::NerResources SplitTestResources() {
  kg::ner::NerResources resources;
  for (const char* w : {"visited", "met", "the", "said", "on", "and", "gained", "rose", "yen"}) {
    resources.lower_words.insert(kg::ner::HashBytes(w));
  }
  for (const char* w : {"tokyo", "japan", "paris", "abe"}) {
    resources.proper_words.insert(kg::ner::HashLower(w));
  }
  resources.clusters[kg::ner::HashLower("tokyo")] = (3u << 16) | 17u;
  resources.clusters[kg::ner::HashLower("paris")] = (3u << 16) | 18u;
  resources.clusters[kg::ner::HashLower("abe")] = (5u << 16) | 2u;
  kg::ner::AddEntityPhrases({"Shinzo", "Abe", "in", "Tokyo"}, {"B-PER", "I-PER", "O", "B-LOC"},
                            &resources.entity_phrases);
  kg::ner::AddEntityPhrases({"New", "York", "Stock", "Exchange"},
                            {"B-ORG", "I-ORG", "I-ORG", "I-ORG"}, &resources.entity_phrases);
  return resources;
}

// Checks that ExtractSplit gives every token of `sentences` the buckets Extract gives it, with
// one word cache for the whole document.
void CheckSplitMatchesExtract(const kg::ner::FeatureExtractor& extractor,
                              const Sentences& sentences) {
  const auto doc = extractor.AnalyzeDocument(sentences);
  kg::ner::NerWordCache cache;
  kg::ner::FeatureBuffer whole;
  kg::ner::SplitFeatureBuffer split;
  for (const auto& words : sentences) {
    extractor.Extract(words, doc, &whole);
    extractor.ExtractSplit(words, doc, &cache, &split);
    REQUIRE(split.word_ids.size() == words.size());
    REQUIRE(split.offsets.size() == words.size() + 1);
    for (size_t i = 0; i < words.size(); ++i) {
      INFO("token " << i << " '" << words[i] << "'");
      CHECK(SplitTokenFeatures(extractor, cache, split, i) == WholeTokenFeatures(whole, i));
    }
  }
}

// The same with NerWordCache::shared_words: each new word entry's features that do not depend
// on the document come from WordBuckets (as the tagger's cache across documents gives them).
// The document features (kFeatDocument) differ between the two documents.
void CheckSharedSplitMatchesExtract(const kg::ner::FeatureExtractor& extractor,
                                    const Sentences& sentences) {
  using Cache = kg::ner::NerWordCache;
  const auto doc = extractor.AnalyzeDocument(sentences);
  Cache cache;
  cache.shared_words = true;
  kg::ner::FeatureBuffer whole;
  kg::ner::SplitFeatureBuffer split;
  std::vector<uint32_t> word_buckets;
  kg::ner::WordBucketParts word_parts;
  for (const auto& words : sentences) {
    extractor.Extract(words, doc, &whole);
    extractor.ExtractSplit(words, doc, &cache, &split);
    REQUIRE(split.word_ids.size() == words.size());
    // An entry's full parts: its own (document) ones plus WordBuckets' (padding: its own only).
    auto part_of = [&](uint32_t id, int part) {
      const auto& entry = cache.entries.at(id);
      std::vector<uint32_t> out(cache.buckets.begin() + entry.parts[part],
                                cache.buckets.begin() + entry.parts[part + 1]);
      if (id > Cache::kEndId) {
        extractor.WordBuckets(entry.form, entry.headline, &word_buckets, &word_parts);
        out.insert(out.end(), word_buckets.begin() + word_parts.parts[part],
                   word_buckets.begin() + word_parts.parts[part + 1]);
      }
      return out;
    };
    const long n = static_cast<long>(words.size());
    auto id_at = [&](long k) -> uint32_t {
      if (k < 0) return Cache::kStartId;
      if (k >= n) return Cache::kEndId;
      return split.word_ids.at(static_cast<size_t>(k));
    };
    for (long t = 0; t < n; ++t) {
      INFO("token " << t << " '" << words[static_cast<size_t>(t)] << "'");
      const std::pair<uint32_t, int> parts[] = {
          {id_at(t), Cache::kOwn},         {id_at(t - 1), Cache::kToNext},
          {id_at(t - 2), Cache::kToNext2}, {id_at(t + 1), Cache::kToPrev},
          {id_at(t + 2), Cache::kToPrev2}};
      std::vector<uint32_t> got;
      for (const auto& [id, part] : parts) {
        auto p = part_of(id, part);
        got.insert(got.end(), p.begin(), p.end());
      }
      const auto i = static_cast<size_t>(t);
      AppendCodeBuckets(extractor, split, i, &got);
      got.insert(got.end(), split.buckets.begin() + split.offsets[i],
                 split.buckets.begin() + split.offsets[i + 1]);
      std::sort(got.begin(), got.end());
      CHECK(got == WholeTokenFeatures(whole, i));
    }
  }
}

}  // namespace

TEST_CASE("split features with words shared across documents equal Extract's",
          "[core][ner_features]") {
  auto gaz = kg::Gazetteer::Default();
  REQUIRE(gaz.has_value());
  const auto resources = SplitTestResources();
  auto sentences = SplitTestDocument();
  // A second document: the same words, other document flags (no lower-case "abe"/"tokyo" runs).
  Sentences second = {{"tokyo", "abe", "and", "Tokyo", "Abe"}, {"TOKYO", "ABE", "MEET"}};
  for (uint32_t groups : {kg::ner::kKnownFeatures, kg::ner::kAllFeatures, 0u,
                          uint32_t{kg::ner::kFeatDocument}}) {
    INFO("groups " << groups);
    kg::ner::FeatureExtractor extractor(resources, *gaz, groups, 20);
    CheckSharedSplitMatchesExtract(extractor, sentences);
    CheckSharedSplitMatchesExtract(extractor, second);
  }
}

TEST_CASE("split features equal Extract's for every feature group", "[core][ner_features]") {
  auto gaz = kg::Gazetteer::Default();
  REQUIRE(gaz.has_value());
  const auto resources = SplitTestResources();
  const auto sentences = SplitTestDocument();
  SECTION("all groups, guide and entity phrases included") {
    kg::ner::FeatureExtractor extractor(resources, *gaz, kg::ner::kKnownFeatures, 20);
    CheckSplitMatchesExtract(extractor, sentences);
  }
  SECTION("the default groups") {
    kg::ner::FeatureExtractor extractor(resources, *gaz, kg::ner::kAllFeatures, 18);
    CheckSplitMatchesExtract(extractor, sentences);
  }
  SECTION("no groups at all, no gazetteer") {
    kg::ner::FeatureExtractor extractor(resources, nullptr, 0, 16);
    CheckSplitMatchesExtract(extractor, sentences);
  }
  SECTION("each group on its own") {
    for (uint32_t bit = 1; bit <= kg::ner::kFeatEntityPhrases; bit <<= 1) {
      INFO("group bit " << bit);
      kg::ner::FeatureExtractor extractor(resources, *gaz, bit, 20);
      CheckSplitMatchesExtract(extractor, sentences);
    }
  }
}

TEST_CASE("the word cache computes each form once per casing of its sentence",
          "[core][ner_features]") {
  kg::ner::NerResources resources;
  kg::ner::FeatureExtractor extractor(resources, nullptr, kg::ner::kAllFeatures, 20);
  const Sentences sentences = {{"Abe", "met", "Abe", "."},
                               {"Abe", "left", "."},
                               {"ABE", "MEETS", "ABE"},
                               {"abe", "ABE", "."}};
  const auto doc = extractor.AnalyzeDocument(sentences);
  kg::ner::NerWordCache cache;
  kg::ner::SplitFeatureBuffer split;
  extractor.ExtractSplit(sentences[0], doc, &cache, &split);
  CHECK(cache.entries.size() == 2 + 3);  // Abe met .
  CHECK(split.word_ids[0] == split.word_ids[2]);
  extractor.ExtractSplit(sentences[1], doc, &cache, &split);
  CHECK(cache.entries.size() == 2 + 4);  // + left
  CHECK(split.word_ids[0] == 2);  // after the two padding entries
  // A headline's words have other own features (the headline flag): other entries.
  extractor.ExtractSplit(sentences[2], doc, &cache, &split);
  CHECK(cache.entries.size() == 2 + 6);  // + ABE MEETS (headline)
  // The same form outside a headline is again another entry; forms differ by case.
  extractor.ExtractSplit(sentences[3], doc, &cache, &split);
  CHECK(cache.entries.size() == 2 + 8);  // + abe ABE (not a headline); "." reused
  CHECK(split.word_ids[2] == 4);
}

TEST_CASE("per-position features with few values come as codes, not hashed per token",
          "[core][ner_features]") {
  auto gaz = kg::Gazetteer::Default();
  REQUIRE(gaz.has_value());
  const auto resources = SplitTestResources();
  kg::ner::FeatureExtractor extractor(resources, *gaz, kg::ner::kAllFeatures, 20);
  const auto sentences = SplitTestDocument();
  const auto doc = extractor.AnalyzeDocument(sentences);
  kg::ner::NerWordCache cache;
  kg::ner::SplitFeatureBuffer split;
  for (const auto& words : sentences) {
    extractor.ExtractSplit(words, doc, &cache, &split);
    REQUIRE(split.codes.size() == words.size() * kg::ner::SplitFeatureBuffer::kCodesPerToken);
    for (size_t i = 0; i < words.size(); ++i) {
      INFO("token " << i << " '" << words[i] << "'");
      // Hashed per token: the shape trigram, the two bigrams and, inside a gazetteer match,
      // the category with the word. Position, casing, document flags and the gazetteer
      // categories around the token are codes.
      CHECK(split.offsets[i + 1] - split.offsets[i] <= 4);
    }
  }
  // A code stands for the same buckets whatever the sentence: the position code of a first
  // token differs from that of a second one.
  const std::vector<std::string> two = {"Abe", "said"};
  extractor.ExtractSplit(two, doc, &cache, &split);
  CHECK(split.codes[0] != split.codes[kg::ner::SplitFeatureBuffer::kCodesPerToken]);
}

TEST_CASE("a reserved flat map holds what it was reserved for", "[core][ner_features]") {
  kg::ner::FlatHashMap64 map;
  map.Reserve(1000);
  for (uint64_t k = 0; k < 1000; ++k) map.Put(k * 0x9E3779B97F4A7C15ull, k + 1, false);
  CHECK(map.size() == 1000);
  for (uint64_t k = 0; k < 1000; ++k) CHECK(map.Get(k * 0x9E3779B97F4A7C15ull) == k + 1);
  CHECK(map.Get(12345) == 0);
}
