#include "kg/core/news_extractor.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "extract/article.h"
#include "extract/lexicon.h"
#include "kg/core/data_path.h"
#include "kg/core/gazetteer.h"
#include "kg/core/labels.h"
#include "kg/core/ner_tagger.h"
#include "kg/core/relation_classifier.h"

namespace kg {
namespace {

using extract::ArticleState;
using extract::Lexicon;
using extract::SentenceState;

class NewsExtractor : public Extractor {
 public:
  NewsExtractor(std::unique_ptr<Gazetteer> owned_gazetteer, std::unique_ptr<Lexicon> lexicon,
                std::unique_ptr<NerTagger> tagger, std::unique_ptr<RelationClassifier> classifier,
                double min_confidence)
      : owned_gazetteer_(std::move(owned_gazetteer)),
        lexicon_(std::move(lexicon)),
        tagger_(std::move(tagger)),
        classifier_(std::move(classifier)),
        min_confidence_(min_confidence) {}

  // Reads only where the sentences are (it splits words its own way, SplitWords).
  bool needs_tokens() const override { return false; }

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
    if (tagger_) Tag(&article);
    for (auto& s : article.sentences) extract::FindMentions(*lexicon_, article, &s);
    extract::ResolveEntities(&article);
    extract::RetypeFromContext(&article);
    extract::FindPositions(&article);
    extract::FindEvents(&article);
    extract::FindMemberships(&article);
    extract::FindStances(*lexicon_, &article);
    extract::FindAnnexations(&article);
    extract::FindPartOf(*lexicon_, &article);
    if (classifier_) ClassifyPairs(&article);
    return Finish(doc, &article);
  }

 private:
  // The tagger over the extractor's own words (PTB-like, as CoNLL's tokens), all sentences of
  // the article at once so that a name typed in one sentence informs its other mentions.
  void Tag(ArticleState* article) const {
    std::vector<std::vector<std::string>> sentences;
    sentences.reserve(article->sentences.size());
    for (const auto& s : article->sentences) {
      std::vector<std::string> words;
      words.reserve(s.words.size());
      for (const auto& w : s.words) words.push_back(w.norm);
      sentences.push_back(std::move(words));
    }
    auto spans = tagger_->TagDocument(sentences);
    for (size_t k = 0; k < article->sentences.size(); ++k) {
      article->sentences[k].ner = std::move(spans[k]);
      article->sentences[k].tagged = true;
    }
  }

  // A line-up or results list ("Chuter, Thompson, Titterrell, ...", "E Taukafa (Tonga), E
  // Guinazu (Argentina), ..."): names side by side, no statement about them. The classifier,
  // trained on sentences, pairs them at random (a sample of BBC edges showed such pairs).
  static bool IsRoster(const extract::SentenceState& s) {
    size_t separators = 0;
    for (const auto& w : s.words) {
      // w.norm is "," or ";" or "(" (byte tests: string == literal called compare per word).
      if (w.norm.size() == 1 && (w.norm[0] == ',' || w.norm[0] == ';' || w.norm[0] == '(')) {
        ++separators;
      }
    }
    return separators >= 4 && separators * 5 >= s.words.size();
  }

  // The trained classifier over the entity pairs of each sentence (CoNLL04's relation types).
  void ClassifyPairs(ArticleState* article) const {
    static const std::map<std::string, std::string> kTypes = {
        {"Work_For", "WORKS_FOR"}, {"Kill", "KILLED"}, {"OrgBased_In", "BASED_IN"},
        {"Live_In", "LIVES_IN"},   {"Located_In", "LOCATED_IN"}};
    // What people serve (the "of" of their positions, country or not): a person who holds a
    // position of X lives, as far as the classifier goes, only in X or X's capital. Leaders are
    // named beside the places they visit or speak of ("President Barack Obama has been critical
    // of Russia over its annexation of Crimea"), executives beside the countries their
    // sentences talk about ("..., said GM Europe president Carl-Peter Forster" of the US).
    std::map<int, std::set<std::string>> serves;
    for (const auto& r : article->relations.relations()) {
      if (r.type == "HOLDS_POSITION" && r.properties.contains("of")) {
        serves[static_cast<int>(r.source)].insert(r.properties["of"].get<std::string>());
      }
    }
    const Gazetteer& gazetteer = lexicon_->gazetteer();
    auto plausible = [&](const std::string& type, int head, int tail) {
      const auto& h = article->entities.at(head);
      const auto& t = article->entities.at(tail);
      if (type == "LOCATED_IN") return h.label == labels::kPlace;
      if (type == "BASED_IN") return h.label == labels::kOrganization;
      if (type == "LIVES_IN") {
        auto it = serves.find(head);
        if (it == serves.end()) return true;
        std::string country = t.label == labels::kCountry ? t.name
                                                          : gazetteer.CountryOfCapital(t.name)
                                                                .value_or(std::string());
        return it->second.count(country) > 0;
      }
      return true;
    };
    for (const auto& s : article->sentences) {
      if (s.boilerplate || IsRoster(s)) continue;
      std::vector<Conll04Entity> entities;
      std::vector<int> entity_ids;
      for (const auto& m : s.mentions) {
        if (m.entity < 0 || m.kind != extract::MentionKind::kName) continue;
        const std::string& label = article->entities.at(m.entity).label;
        std::string type = label == labels::kPerson ? "Peop"
                           : (label == labels::kOrganization || label == labels::kGroup) ? "Org"
                           : (label == labels::kCountry || label == labels::kPlace)       ? "Loc"
                                                                                           : "";
        if (type.empty()) continue;
        entities.push_back({static_cast<uint32_t>(m.begin), static_cast<uint32_t>(m.end), type});
        entity_ids.push_back(m.entity);
      }
      if (entities.size() < 2) continue;
      // Copied only for the sentences with a pair to classify.
      std::vector<std::string> tokens;
      tokens.reserve(s.words.size());
      for (const auto& w : s.words) tokens.push_back(w.norm);
      // Types whose cue words (data/patterns/relation_cues.tsv) this sentence lacks.
      std::set<std::string> uncued;
      std::vector<std::string_view> lower;
      lower.reserve(s.words.size());
      for (const auto& w : s.words) lower.push_back(w.lower);
      for (const auto& [conll_type, type] : kTypes) {
        if (lexicon_->NeedsRelationCue(type) && !lexicon_->HasRelationCue(type, lower)) {
          uncued.insert(type);
        }
      }
      // Everything that drops a relation whatever its score is asked before the pair is
      // scored (features and weight look-ups are most of the classifier's cost).
      auto wanted = [&](uint32_t head, uint32_t tail, const std::string& type) {
        auto it = kTypes.find(type);
        if (it == kTypes.end() || uncued.count(it->second) > 0) return false;
        if (!plausible(it->second, entity_ids[head], entity_ids[tail])) return false;
        // Items of one list ("Britain, Canada and France") are no relation of each other.
        const auto& a = entities[std::min(head, tail)];
        const auto& b = entities[std::max(head, tail)];
        bool list_only = a.end <= b.start;
        for (uint32_t k = a.end; k < b.start && list_only; ++k) {
          list_only = tokens[k] == "," || tokens[k] == "and" || tokens[k] == "the";
        }
        if (list_only) return false;
        // "has visited Kenya", "clash against Scotland": a visit or a match, not a home.
        if (lexicon_->HasRelationBlocker(it->second, lower, a.end, b.start)) return false;
        // "..., an analyst at Citigroup, told Reuters": the one told is the audience, not the
        // employer or the place (230 such WORKS_FOR edges on BBC; all 10 read were wrong).
        size_t before = entities[tail].start;
        if (before > 0 && tokens[before - 1] == "the") --before;
        return !(before > 0 && (tokens[before - 1] == "told" || tokens[before - 1] == "tells" ||
                                tokens[before - 1] == "telling"));
      };
      auto found = classifier_->Predict(tokens, entities, wanted);
      for (const auto& r : found) {
        if (r.score < min_confidence_) continue;
        // One sentence says one direction: of "X killed Y" and "Y killed X" (the classifier
        // scores both orders of two people, or of two places) the stronger stays.
        bool weaker = std::any_of(found.begin(), found.end(), [&](const ScoredRelation& o) {
          return o.type == r.type && o.head == r.tail && o.tail == r.head &&
                 (o.score > r.score || (o.score == r.score && o.head < r.head));
        });
        if (weaker) continue;
        auto it = kTypes.find(r.type);  // found: `wanted` let no other type through
        article->relations.Add(it->second, entity_ids[r.head], entity_ids[r.tail],
                               EmptyProperties(),
                               extract::MakeEvidence(s, "model:re-perceptron", r.score));
      }
    }
  }

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
  std::unique_ptr<NerTagger> tagger_;               // null when no NER model is installed
  std::unique_ptr<RelationClassifier> classifier_;  // null when no model is installed
  double min_confidence_ = 0.6;
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
  std::unique_ptr<NerTagger> tagger;
  // $KG_NER_MODEL names another model, or "none" for the heuristics alone (comparisons).
  std::filesystem::path ner_option = options.ner_model_path;
  const char* ner_env = std::getenv("KG_NER_MODEL");
  if (ner_option.empty() && ner_env != nullptr && *ner_env != '\0') ner_option = ner_env;
  if (options.use_ner && ner_option != "none") {
    auto ner_path = ner_option.empty() ? DataPath("models/ner.model") : ner_option;
    std::error_code ner_ec;
    if (!ner_option.empty() || std::filesystem::exists(ner_path, ner_ec)) {
      auto loaded = NerTagger::Load(ner_path, gazetteer);
      if (!loaded) return loaded.error();
      tagger = std::move(*loaded);
    }
  }
  std::unique_ptr<RelationClassifier> classifier;
  auto model_path = options.model_path.empty() ? DataPath("models/re.model") : options.model_path;
  std::error_code ec;
  if (!options.model_path.empty() || std::filesystem::exists(model_path, ec)) {
    auto loaded = RelationClassifier::Load(model_path);
    if (!loaded) return loaded.error();
    classifier = std::move(*loaded);
  }
  return std::unique_ptr<Extractor>(new NewsExtractor(std::move(owned), std::move(*lexicon),
                                                      std::move(tagger), std::move(classifier),
                                                      options.min_classifier_confidence));
}

}  // namespace kg
