#include "kg/core/news_extractor.h"

#include <algorithm>

#include "extract/article.h"
#include "extract/lexicon.h"
#include "kg/core/data_path.h"
#include "kg/core/gazetteer.h"

namespace kg {
namespace {

using extract::ArticleState;
using extract::Lexicon;
using extract::SentenceState;

class NewsExtractor : public Extractor {
 public:
  NewsExtractor(std::unique_ptr<Gazetteer> owned_gazetteer, std::unique_ptr<Lexicon> lexicon)
      : owned_gazetteer_(std::move(owned_gazetteer)), lexicon_(std::move(lexicon)) {}

  Extraction Extract(const DocumentInfo& doc, const AnnotatedText& text) const override {
    ArticleState article;
    article.doc = &doc;
    if (!doc.date.empty()) article.anchor = ParseIsoDate(doc.date);
    std::vector<std::pair<uint32_t, uint32_t>> spans;
    for (const auto& sentence : text.sentences) spans.emplace_back(sentence.start, sentence.end);
    if (spans.empty()) spans = extract::FallbackSentences(doc.text);
    for (auto [start, end] : spans) {
      if (end > doc.text.size() || start >= end) continue;
      SentenceState s;
      s.start = start;
      s.end = end;
      s.text = doc.text.substr(start, end - start);
      s.words = extract::SplitWords(s.text, start);
      for (size_t k = 1; k < s.words.size(); ++k) {
        if (!s.words[k].capitalized) article.lowercase_words.insert(s.words[k].lower);
      }
      article.sentences.push_back(std::move(s));
    }
    for (auto& s : article.sentences) extract::FindMentions(*lexicon_, article, &s);
    extract::ResolveEntities(&article);
    extract::FindPositions(&article);
    extract::FindEvents(&article);
    extract::FindMemberships(&article);
    extract::FindStances(*lexicon_, &article);
    extract::FindAnnexations(&article);
    extract::FindPartOf(*lexicon_, &article);
    return Finish(doc, &article);
  }

 private:
  // Drops entities that ended with neither a mention nor an edge (a surname later merged into
  // the full name) and renumbers the relations.
  static Extraction Finish(const DocumentInfo& doc, ArticleState* article) {
    Extraction out;
    out.doc = doc;
    auto relations = article->relations.Release();
    auto entities = article->entities.Release();
    std::vector<bool> used(entities.size(), false);
    for (size_t e = 0; e < entities.size(); ++e) used[e] = !entities[e].mentions.empty();
    for (const auto& r : relations) used[r.source] = used[r.target] = true;
    std::vector<uint32_t> remap(entities.size(), 0);
    for (size_t e = 0; e < entities.size(); ++e) {
      if (!used[e]) continue;
      remap[e] = static_cast<uint32_t>(out.entities.size());
      std::sort(entities[e].mentions.begin(), entities[e].mentions.end(),
                [](const Mention& a, const Mention& b) { return a.start < b.start; });
      out.entities.push_back(std::move(entities[e]));
    }
    for (auto& r : relations) {
      r.source = remap[r.source];
      r.target = remap[r.target];
      out.relations.push_back(std::move(r));
    }
    return out;
  }

  std::unique_ptr<Gazetteer> owned_gazetteer_;  // null when the process-wide one is used
  std::unique_ptr<Lexicon> lexicon_;
};

}  // namespace

Result<std::unique_ptr<Extractor>> NewNewsExtractor(const NewsExtractorOptions& options) {
  std::unique_ptr<Gazetteer> owned;
  const Gazetteer* gazetteer = nullptr;
  if (!options.gazetteer_dir.empty()) {
    GazetteerOptions gazetteer_options;
    gazetteer_options.data_dir = options.gazetteer_dir;
    auto loaded = Gazetteer::Load(gazetteer_options);
    if (!loaded) return loaded.error();
    owned = std::move(*loaded);
    gazetteer = owned.get();
  } else {
    auto shared = Gazetteer::Default();
    if (!shared) return shared.error();
    gazetteer = *shared;
  }
  auto patterns_dir =
      options.patterns_dir.empty() ? DataPath("data/patterns") : options.patterns_dir;
  auto lexicon = Lexicon::Load(patterns_dir, gazetteer);
  if (!lexicon) return lexicon.error();
  return std::unique_ptr<Extractor>(
      new NewsExtractor(std::move(owned), std::move(*lexicon)));
}

}  // namespace kg
