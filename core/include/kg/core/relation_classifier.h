#pragma once
// The trained relation classifier: given a tokenised sentence and its typed entities (CoNLL04
// types Peop, Org, Loc, Other), scores every ordered entity pair whose types fit a relation
// (Work_For Peop->Org, Kill Peop->Peop, OrgBased_In Org->Loc, Live_In Peop->Loc, Located_In
// Loc->Loc) against "no relation". Features: the words between and around the pair, the pair's
// types, order and distance, the entities in between, the argument words, the words next to
// each argument and the arguments' whole names, and (version 3 models) the word clusters of the
// words between. Model: an averaged
// perceptron over hashed features, trained deterministically on CoNLL04 (kg-train-re).
//
// File format (models/re.model; little-endian):
//   "KGREMDL2"  8 bytes magic ("KGREMDL1" files, without the per-type thresholds, still load)
//   u32 hash bits, u32 number of classes, f32 decision threshold (a pair is a relation when
//   its margin over "no relation" exceeds it; tuned on dev), u32 description length + bytes
//   version 2 only: f32 threshold per relation type (classes - 1, RelationTypes() order), which
//   replace the single threshold
//   u32 compressed size, u32 uncompressed size, then zlib data of:
//     u32 row count R; R x (u32 bucket, f32 weight[classes])
//     version 3 only ("KGREMDL3", otherwise as version 2): u32 cluster count C; C x (u64 word
//     hash, u32 cluster): the word clusters whose ids between a pair are features
// Immutable after loading: Predict() may be called from many threads at once.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kg/core/conll04.h"
#include "kg/core/status.h"

namespace kg {

struct ScoredRelation {
  uint32_t head = 0;  // index into the entities given to Predict
  uint32_t tail = 0;
  std::string type;
  double score = 0;   // in (0, 1): a logistic squash of the margin over "no relation"
};

struct RelationTrainOptions {
  int epochs = 12;
  uint64_t seed = 1;
  uint32_t hash_bits = 20;
  std::string description;  // stored in the model (the training command)
  std::function<void(std::string_view)> log;  // progress lines; may be empty
  // The entities of a dev sentence to tune on (e.g. an entity tagger's); empty = gold.
  std::function<std::vector<Conll04Entity>(const Conll04Sentence&)> dev_entities;
  // Empty, or one entity set per training sentence (e.g. a tagger's, cross-validated): pairs
  // among them that are not pairs of gold entities are extra training examples, relations only
  // when both entities match gold ones exactly, so that the model learns what tagging mistakes
  // look like.
  std::vector<std::vector<Conll04Entity>> train_entities;
  // Empty, or per training sentence further entity sets used like train_entities (e.g. the
  // tagger's second to k-th best taggings, the alternatives joint decoding weighs); a pair seen
  // already in the sentence is not added twice.
  std::vector<std::vector<std::vector<Conll04Entity>>> train_alternatives;
  // Tune one threshold per relation type on dev (else one for all).
  bool per_type_thresholds = true;
  // The model is the mean of this many models trained with seeds seed, seed+1, ... (each with
  // its best epoch on dev), its thresholds tuned again on dev.
  int seeds = 1;
  // Word clusters (ner::HashLower(word) -> (coarse << 16) | fine, as NerResources::clusters):
  // when not empty, the clusters of the words between a pair are features too, and the model
  // file carries the clusters (format version 3). Empty: the version 2 model, as before.
  std::unordered_map<uint64_t, uint32_t> clusters;
  // Tune the thresholds as CompleteCommaPlaces (conll04_joint.h) will decode: a Live_In or
  // OrgBased_In pair to one place of a "City , State" pair of Loc entities counts as found when
  // its pair to the other place is. Off: each pair on its own, as before.
  bool tune_with_place_completion = false;
};

struct RelationTrainReport {
  std::vector<double> dev_f1;  // relation F1 on dev per epoch (with the tuned threshold)
  int best_epoch = 0;          // 1-based; the model returned is that epoch's average
  double final_dev_f1 = 0;     // of the model returned (with seeds > 1: of the mean)
};

class RelationClassifier {
 public:
  // The relation types, in the model's class order after "no relation".
  static const std::vector<std::string>& RelationTypes();

  // Trains on `train` (gold entities); keeps the epoch whose averaged weights score best on
  // `dev` (when not empty), with the decision threshold that maximises dev F1 for that epoch.
  // Deterministic for equal inputs and options.
  static Result<std::unique_ptr<RelationClassifier>> Train(
      const std::vector<Conll04Sentence>& train, const std::vector<Conll04Sentence>& dev,
      const RelationTrainOptions& options, RelationTrainReport* report);

  // Refuses a missing, foreign, truncated or corrupted file with a message naming it.
  static Result<std::unique_ptr<RelationClassifier>> Load(const std::filesystem::path& path);
  Status Save(const std::filesystem::path& path) const;

  // Relations among `entities` of one sentence, best first per pair; pairs whose best class is
  // "no relation" are left out.
  std::vector<ScoredRelation> Predict(const std::vector<std::string>& tokens,
                                      const std::vector<Conll04Entity>& entities) const;

  // Asked before an ordered pair is scored, with its relation type (RelationTypes() name):
  // false when the caller would drop the relation whatever its score, so that the pair's
  // features are neither built nor looked up.
  using PairFilter =
      std::function<bool(uint32_t head, uint32_t tail, const std::string& type)>;
  // Predict over the pairs `wanted` accepts only: the same relations as Predict less those of
  // the pairs it turns down, in the same order.
  std::vector<ScoredRelation> Predict(const std::vector<std::string>& tokens,
                                      const std::vector<Conll04Entity>& entities,
                                      const PairFilter& wanted) const;

  // Every ordered pair of `entities` whose types allow a relation, with `score` = its margin
  // over "no relation" minus the type's threshold (Predict keeps those above 0, squashed).
  std::vector<ScoredRelation> ScorePairs(const std::vector<std::string>& tokens,
                                         const std::vector<Conll04Entity>& entities) const;

  const std::string& description() const { return description_; }
  double threshold() const;
  // The threshold of one relation type (RelationTypes() name); threshold() for an unknown one.
  double threshold(std::string_view type) const;
  size_t rows() const;

  RelationClassifier(const RelationClassifier&) = delete;
  RelationClassifier& operator=(const RelationClassifier&) = delete;
  ~RelationClassifier();

 private:
  RelationClassifier();
  // Every ordered pair whose types allow a relation, with its margin (score in ScoredRelation).
  // `wanted` may be null (every pair).
  std::vector<ScoredRelation> Margins(const std::vector<std::string>& tokens,
                                      const std::vector<Conll04Entity>& entities,
                                      const PairFilter* wanted = nullptr) const;
  // Sets the threshold(s) that maximise relation F1 on `dev`; returns that F1 (percent).
  double TuneThresholds(const std::vector<Conll04Sentence>& dev,
                        const RelationTrainOptions& options);
  struct Weights;
  std::unique_ptr<Weights> weights_;
  std::string description_;
};

}  // namespace kg
