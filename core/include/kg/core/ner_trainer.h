#pragma once
// Training of the NER model: an averaged structured perceptron over the features of
// ner_features.h, decoded with Viterbi, on CoNLL-2003-style documents. Deterministic: the same
// data, resources, options and seed give a byte-identical model (one thread, seeded shuffle).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "kg/core/conll.h"
#include "kg/core/ner_model.h"
#include "kg/core/status.h"

namespace kg {
class Gazetteer;
}

namespace kg::ner {

struct NerTrainOptions {
  int epochs = 15;
  uint64_t seed = 1;
  uint32_t groups = kAllFeatures;
  uint32_t hash_bits = 22;
  // Buckets whose averaged weights are all smaller than this are left out of the model.
  float min_weight = 0.01f;
  std::string description;  // stored in the model (training command, data digests)
  std::function<void(std::string_view)> log;  // progress lines; may be empty
  // The guide tagger's tags (kTagNames indices, one per word) of a sentence: required when
  // `groups` has kFeatGuide (stacking), unused otherwise. Must be deterministic.
  std::function<std::vector<int>(const std::vector<std::string>& words)> guide;
  // The phrase codes (EntityPhraseCodes) of sentence `sentence` of training document `doc`, when
  // `groups` has kFeatEntityPhrases: phrases that leave out the sentence's own entities (a
  // jackknife), or the model would learn to trust a match blindly. Empty = the resources'
  // phrases (only sensible when they do not come from `train`). Dev uses the resources' phrases.
  std::function<std::vector<uint32_t>(size_t doc, size_t sentence,
                                      const std::vector<std::string>& words)>
      entity_codes;
};

struct NerTrainReport {
  std::vector<double> dev_f1;  // per epoch, on `dev` (empty when no dev data)
  int best_epoch = 0;          // 1-based; the returned model is this epoch's average
};

// Trains on `train`; when `dev` is not empty, keeps the epoch with the best dev F1.
// `gazetteer` may be null only when `options.groups` lacks kFeatGazetteer.
Result<NerModel> TrainNerModel(const std::vector<ConllDocument>& train,
                               const std::vector<ConllDocument>& dev, NerResources resources,
                               const Gazetteer* gazetteer, const NerTrainOptions& options,
                               NerTrainReport* report);

// Word-list membership from plain word lists (one word per line, e.g. /usr/share/dict/*).
Status AddWordLists(const std::vector<std::filesystem::path>& files, NerResources* resources);

struct ClusterOptions {
  int fine = 256;          // clusters of the fine level
  int coarse = 32;         // clusters of the coarse level
  int min_count = 3;       // words seen fewer times get no cluster
  int context_words = 600; // the most frequent words serve as left/right context dimensions
  int iterations = 10;
  uint64_t seed = 1;
};

// Distributional word clusters from unlabelled sentences: each word with at least `min_count`
// occurrences is described by (log-scaled, normalised) counts of its left and right neighbours
// among the most frequent words, and spherical k-means groups these vectors at two levels.
// Words are lower-cased. Deterministic for a seed. Replaces resources->clusters.
void BuildWordClusters(const std::vector<std::vector<std::string>>& sentences,
                       const ClusterOptions& options, NerResources* resources);

// Splits plain text into CoNLL-like tokens: whitespace, then leading/trailing punctuation and a
// final "'s" become tokens of their own. One sentence per paragraph (line).
std::vector<std::vector<std::string>> RoughSentences(std::string_view text);

// The title and text of every line of a JSONL article dump ({"title": ..., "text": ...}), as
// RoughSentences. ParseError names path:line for a line that is not JSON.
Result<std::vector<std::vector<std::string>>> ReadJsonlSentences(const std::filesystem::path& path);

}  // namespace kg::ner
