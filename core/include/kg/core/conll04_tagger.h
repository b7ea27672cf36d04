#pragma once
// The CoNLL04 entity tagger (models/re-ner.model): the NER perceptron trained on CoNLL04's
// entity types (Peop/Org/Loc/Other stored as PER/ORG/LOC/MISC), optionally stacked on a guide
// tagger: when the model has the kFeatGuide feature group, the guide (the CoNLL-2003 tagger,
// models/ner.model) tags the sentence first and its tags are features of this one. Immutable
// after loading; Tag() may be called from many threads at once.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "kg/core/conll04.h"
#include "kg/core/ner_model.h"
#include "kg/core/ner_tagger.h"
#include "kg/core/status.h"

namespace kg {

class Gazetteer;

// One tagging of a sentence: its entities and the tagger's path score (emissions plus
// transitions; only differences between taggings of the same sentence mean anything).
struct Conll04Tagging {
  std::vector<Conll04Entity> entities;
  double score = 0;
};

class Conll04EntityTagger {
 public:
  // Loads the model at `path`; a stacked model also loads its guide from `guide_path` (empty =
  // kg::DataPath("models/ner.model")). The gazetteer is Gazetteer::Default().
  static Result<std::unique_ptr<Conll04EntityTagger>> Load(
      const std::filesystem::path& path, const std::filesystem::path& guide_path = {});
  // `guide` is required (non-null) when the model has kFeatGuide; `gazetteer` when it has
  // kFeatGazetteer. Both are borrowed: they must outlive the tagger.
  Conll04EntityTagger(ner::NerModel model, const NerTagger* guide, const Gazetteer* gazetteer);
  ~Conll04EntityTagger();

  Conll04EntityTagger(const Conll04EntityTagger&) = delete;
  Conll04EntityTagger& operator=(const Conll04EntityTagger&) = delete;

  // The entities of one tokenised sentence, in order, typed Peop, Org, Loc or Other.
  std::vector<Conll04Entity> Tag(const std::vector<std::string>& tokens) const;

  // The `k` best taggings (k-best Viterbi), best first; fewer when the sentence has fewer. The
  // first one's entities are Tag()'s (same arithmetic, same tie-breaking).
  std::vector<Conll04Tagging> TagKBest(const std::vector<std::string>& tokens, size_t k) const;

  // The guide's tags of `words` as kTagNames indices (what the kFeatGuide features see).
  static std::vector<int> GuideTags(const NerTagger& guide, const std::vector<std::string>& words);

  const ner::NerModel& model() const { return model_; }

 private:
  // Emission scores, tokens.size() x ner::kNumTags.
  std::vector<float> Emissions(const std::vector<std::string>& tokens) const;

  ner::NerModel model_;
  const NerTagger* guide_;
  ner::FeatureExtractor extractor_;
  std::unique_ptr<NerTagger> owned_guide_;  // set by Load
};

}  // namespace kg
