// The NER tagger's word cache across documents (NerTagger::set_word_cache_entries): tags and
// scores must be the same with it, without it, and with a cache so small that it is emptied
// all the time; it stays within its bound and is not shared between taggers.
#include <catch2/catch.hpp>

#include <bit>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kg/core/ner_tagger.h"
#include "test_support.h"

namespace {

using CacheTestDoc = std::vector<std::vector<std::string>>;

std::unique_ptr<kg::NerTagger> LoadCacheTestTagger() {
  auto tagger = kg::NerTagger::Load(kg::testing::SourceDir() / "models" / "ner.model");
  if (!tagger) FAIL(tagger.error().ToString());
  return std::move(tagger).value();
}

// Sentences at ". " and new lines, words at spaces with trailing punctuation split off: enough
// for the tagger, which takes any words.
CacheTestDoc CacheTestSplit(const std::string& text) {
  CacheTestDoc doc(1);
  std::string word;
  auto flush_word = [&] {
    if (word.empty()) return;
    std::string tail;
    while (word.size() > 1 && std::string(",.;:!?\"')").find(word.back()) != std::string::npos) {
      tail.insert(tail.begin(), word.back());
      word.pop_back();
    }
    doc.back().push_back(word);
    for (char c : tail) doc.back().push_back(std::string(1, c));
    if (!tail.empty() && (tail.back() == '.' || tail.back() == '?')) doc.emplace_back();
    word.clear();
  };
  for (char c : text) {
    if (c == ' ' || c == '\n') {
      flush_word();
      if (c == '\n' && !doc.back().empty()) doc.emplace_back();
    } else {
      word.push_back(c);
    }
  }
  flush_word();
  if (doc.back().empty()) doc.pop_back();
  return doc;
}

// The same words in other contexts from one article to the next: as a name and as a common
// word, in a headline and not, written in lower case elsewhere in one article only (the
// document features differ), alone in a sentence, and at sentence starts and ends.
std::vector<CacheTestDoc> CacheTestArticles() {
  std::vector<CacheTestDoc> out;
  for (const char* text : {
           "APPLE SUES SAMSUNG IN CALIFORNIA\nApple said on Monday that Samsung copied the "
           "iPhone. Tim Cook met Jordan Brown in Cupertino.",
           "Jordan and Egypt signed a deal. King Abdullah of Jordan visited Cairo. Brown "
           "bread and an apple were served. The brown bear was not.",
           "Brown said the apple harvest in Jordan was poor.\nBROWN WINS\nBrown",
           "Samsung",
           "The Bank of England raised rates. England beat Wales. Mark Carney of the Bank "
           "spoke in London on Thursday. A bank in London closed.",
           "APPLE SUES SAMSUNG IN CALIFORNIA\nApple said on Monday that Samsung copied the "
           "iPhone. Tim Cook met Jordan Brown in Cupertino.",
       }) {
    out.push_back(CacheTestSplit(text));
  }
  return out;
}

// Up to `limit` BBC articles when the shared data is there.
std::vector<CacheTestDoc> BbcCacheTestArticles(size_t limit) {
  std::vector<CacheTestDoc> out;
  auto path = kg::testing::SharedData("news/bbc.jsonl");
  if (!path) return out;
  std::ifstream in(*path);
  std::string line;
  while (out.size() < limit && std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("text") || !j["text"].is_string()) continue;
    out.push_back(CacheTestSplit(j["text"].get<std::string>()));
  }
  return out;
}

// Every span of every sentence, score included, as one comparable list.
std::vector<std::string> TagAllForCacheTest(const kg::NerTagger& tagger, const std::vector<CacheTestDoc>& docs) {
  std::vector<std::string> out;
  for (const auto& doc : docs) {
    const auto spans = tagger.TagDocument(doc);
    for (size_t s = 0; s < spans.size(); ++s) {
      for (const auto& span : spans[s]) {
        out.push_back(std::to_string(s) + ":" + std::to_string(span.begin) + "-" +
                      std::to_string(span.end) + " " +
                      std::string(kg::EntityTypeName(span.type)) + " " +
                      std::to_string(static_cast<double>(span.score)));
        // to_string rounds: the exact bits too.
        out.back() += " " + std::to_string(std::bit_cast<uint32_t>(span.score));
      }
    }
    out.push_back("--");
  }
  return out;
}

}  // namespace

TEST_CASE("the word cache across documents gives the same tags and scores as no cache",
          "[core][ner_word_cache]") {
  auto uncached = LoadCacheTestTagger();
  auto cached = LoadCacheTestTagger();
  auto tiny = LoadCacheTestTagger();
  uncached->set_word_cache_entries(0);
  tiny->set_word_cache_entries(7);
  auto docs = CacheTestArticles();
  const auto expected = TagAllForCacheTest(*uncached, docs);
  CHECK(uncached->word_cache_size() == 0);
  REQUIRE(expected.size() > docs.size());  // some entities found
  // Twice over: the second pass meets every word in the cache, from other articles.
  CHECK(TagAllForCacheTest(*cached, docs) == expected);
  CHECK(cached->word_cache_size() > 0);
  CHECK(TagAllForCacheTest(*cached, docs) == expected);
  CHECK(TagAllForCacheTest(*tiny, docs) == expected);
  CHECK(TagAllForCacheTest(*tiny, docs) == expected);
  // Each article on its own through a fresh cache: the same as after the others.
  for (const auto& doc : docs) {
    auto fresh = LoadCacheTestTagger();
    CHECK(TagAllForCacheTest(*fresh, {doc}) == TagAllForCacheTest(*uncached, {doc}));
  }
  // IOB output (kg eval ner) too.
  for (const auto& doc : docs) CHECK(cached->TagDocumentIob(doc) == uncached->TagDocumentIob(doc));
}

TEST_CASE("the word cache gives the same tags over BBC articles", "[core][ner_word_cache]") {
  const auto docs = BbcCacheTestArticles(150);
  if (docs.empty()) return;  // SharedData printed SKIPPED
  auto uncached = LoadCacheTestTagger();
  auto cached = LoadCacheTestTagger();
  auto small = LoadCacheTestTagger();
  uncached->set_word_cache_entries(0);
  small->set_word_cache_entries(500);  // emptied many times over 150 articles
  const auto expected = TagAllForCacheTest(*uncached, docs);
  CHECK(TagAllForCacheTest(*cached, docs) == expected);
  CHECK(TagAllForCacheTest(*small, docs) == expected);
  CHECK(small->word_cache_size() <= 500 + 2000);  // one article's new words past the bound
}

TEST_CASE("the word cache stays within its bound and belongs to one tagger",
          "[core][ner_word_cache]") {
  auto a = LoadCacheTestTagger();
  auto b = LoadCacheTestTagger();
  a->set_word_cache_entries(10);
  const CacheTestDoc doc = {{"one", "two", "three", "four", "five", "six"},
                        {"seven", "eight", "nine", "ten", "eleven", "twelve", "."}};
  a->TagDocument(doc);
  // Filled past the bound within one document (13 words), emptied at the next one's start.
  CHECK(a->word_cache_size() == 13);
  a->TagDocument({{"one", "two"}});
  CHECK(a->word_cache_size() == 2);
  a->TagDocument({{"one", "two", "three"}});
  CHECK(a->word_cache_size() == 3);
  // The same form in a headline is another entry.
  a->TagDocument({{"ONE", "TWO"}});
  CHECK(a->word_cache_size() == 5);
  a->TagDocument({{"ONE", "TWO", "THREE"}});
  CHECK(a->word_cache_size() == 6);  // + THREE
  // Another tagger in the same thread takes the cache over; the first starts again.
  b->TagDocument({{"one"}});
  CHECK(b->word_cache_size() == 1);
  CHECK(a->word_cache_size() == 0);
  a->TagDocument({{"one"}});
  CHECK(a->word_cache_size() == 1);
  CHECK(b->word_cache_size() == 0);
}
