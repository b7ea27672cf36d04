// kg-train-re: trains kg's relation extraction models on CoNLL04 (SpERT JSON):
//   kg-train-re --train conll04_train.json --dev conll04_dev.json --out models/re.model
//               --ner-out models/re-ner.model
// The entity tagger is the NER trainer's averaged perceptron on CoNLL04's entity types
// (Peop/Org/Loc/Other as PER/ORG/LOC/MISC), stacked on the CoNLL-2003 tagger (--guide, whose
// tags are features, and whose word lists and word clusters it reuses); the relation
// classifier is trained on gold entities. Both pick their best epoch on --dev. Same data,
// options, guide model and seed give identical models.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <unordered_map>

#include "kg/core/conll04.h"
#include "kg/core/conll04_tagger.h"
#include "kg/core/data_path.h"
#include "kg/core/gazetteer.h"
#include "kg/core/ner_tagger.h"
#include "kg/core/ner_trainer.h"
#include "kg/core/relation_classifier.h"

namespace {

int Fail(const kg::Status& status) {
  std::cerr << "kg-train-re: " << status.message() << "\n";
  return status.IsUserError() ? 1 : 2;
}

// The mean of models that differ only in their weights (same groups, hash bits, resources):
// scores are linear in the weights, so this tags like the sum of the models' scores.
kg::ner::NerModel AverageModels(const std::vector<kg::ner::NerModel>& models, float min_weight) {
  const auto& first = models.front();
  const size_t buckets = size_t{1} << first.hash_bits;
  const float share = 1.0f / static_cast<float>(models.size());
  std::vector<float> dense(buckets * kg::ner::kNumTags, 0.0f);
  for (const auto& m : models) {
    for (size_t b = 0; b < buckets; ++b) {
      if (const float* w = m.Row(static_cast<uint32_t>(b))) {
        for (int t = 0; t < kg::ner::kNumTags; ++t) dense[b * kg::ner::kNumTags + t] += share * w[t];
      }
    }
  }
  kg::ner::NerModel out = kg::ner::NerModel::FromDense(dense, first.hash_bits, min_weight);
  for (const auto& m : models) {
    for (size_t k = 0; k < out.transitions.size(); ++k) out.transitions[k] += share * m.transitions[k];
  }
  out.groups = first.groups;
  out.description = first.description;
  out.resources = first.resources;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("kg-train-re: trains kg's CoNLL04 entity tagger and relation classifier");
  std::string train_path, dev_path, out_path, ner_out_path;
  kg::RelationTrainOptions options;
  kg::ner::NerTrainOptions ner_options;
  std::vector<std::string> word_lists = {"/usr/share/dict/american-english",
                                         "/usr/share/dict/british-english"};
  app.add_option("--train", train_path, "CoNLL04 JSON training file")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--dev", dev_path, "CoNLL04 JSON dev file: picks the best epochs")
      ->check(CLI::ExistingFile);
  app.add_option("--out", out_path, "where to write the relation model")->required();
  app.add_option("--ner-out", ner_out_path, "where to write the entity tagger (skipped if empty)");
  app.add_option("--epochs", options.epochs, "relation training passes")->capture_default_str();
  app.add_option("--ner-epochs", ner_options.epochs, "entity tagger training passes")
      ->capture_default_str();
  app.add_option("--seed", options.seed, "shuffling seed")->capture_default_str();
  app.add_option("--hash-bits", options.hash_bits, "log2 of the relation feature buckets")
      ->capture_default_str();
  std::string guide_path = kg::DataPath("models/ner.model").string();
  bool no_guide = false, no_clusters = false;
  app.add_option("--guide", guide_path,
                 "CoNLL-2003 tagger whose tags are entity tagger features; its word lists and "
                 "clusters are reused")
      ->capture_default_str();
  app.add_flag("--no-guide", no_guide, "entity tagger without the guide's tags (ablation)");
  int folds = 5;
  int ner_seeds = 3;
  options.seeds = 5;
  app.add_option("--seeds", options.seeds,
                 "the relation model is the mean of this many models trained with seeds seed, "
                 "seed+1, ...")
      ->capture_default_str()
      ->check(CLI::Range(1, 16));
  app.add_option("--ner-seeds", ner_seeds,
                 "the entity tagger is the mean of this many taggers trained with seeds "
                 "seed, seed+1, ... (each with its own best epoch on dev)")
      ->capture_default_str()
      ->check(CLI::Range(1, 16));
  bool one_threshold = false;
  app.add_option("--folds", folds,
                 "the relation model also learns from the entity tagger's mistakes on train, "
                 "tagged by this many cross-validation taggers (0 = gold entities only)")
      ->capture_default_str();
  size_t train_k_best = 8;
  app.add_option("--train-k-best", train_k_best,
                 "the relation model also learns from the pairs of the fold taggers' 2nd to k-th "
                 "best taggings (the alternatives `kg eval re --k-best` weighs)")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.add_flag("--one-threshold", one_threshold,
               "one decision threshold for all relation types (ablation)");
  bool re_clusters = false;
  app.add_flag("--re-clusters", re_clusters,
               "the relation model also sees the guide's word clusters of the words between a "
               "pair (stored in the model: format version 3)");
  bool no_completion_tuning = false;
  app.add_flag("--no-completion-tuning", no_completion_tuning,
               "tune the relation thresholds on each pair alone, not as `kg eval re` decodes "
               "with its \"City , State\" place completion (ablation: models before session 4)");
  bool entity_phrases = false;
  app.add_flag("--entity-phrases", entity_phrases,
               "entity tagger features: matches against the training split's entity strings and "
               "types (jackknifed over --folds folds in training; stored in re-ner.model)");
  app.add_flag("--no-clusters", no_clusters,
               "entity tagger without word clusters, word lists from /usr/share/dict (ablation)");
  CLI11_PARSE(app, argc, argv);

  auto train = kg::ReadConll04(train_path);
  if (!train) return Fail(train.error());
  std::vector<kg::Conll04Sentence> dev;
  if (!dev_path.empty()) {
    auto d = kg::ReadConll04(dev_path);
    if (!d) return Fail(d.error());
    dev = std::move(d).value();
  }
  std::ostringstream description;
  description << "kg-train-re";
  for (int i = 1; i < argc; ++i) description << ' ' << std::filesystem::path(argv[i]).filename().string();
  auto log = [](std::string_view line) { std::cerr << line << "\n"; };

  std::unique_ptr<kg::Conll04EntityTagger> tagger;
  if (!ner_out_path.empty()) {
    auto gazetteer = kg::Gazetteer::Default();
    if (!gazetteer) return Fail(gazetteer.error());
    kg::ner::NerResources resources;
    std::unique_ptr<kg::NerTagger> guide;
    if (!no_guide || !no_clusters) {
      auto guide_model = kg::ner::NerModel::Load(guide_path);
      if (!guide_model) return Fail(guide_model.error());
      resources = guide_model->resources;
      if (no_clusters) resources.clusters.clear();
      guide = std::make_unique<kg::NerTagger>(std::move(guide_model).value(), *gazetteer);
    } else {
      std::vector<std::filesystem::path> paths;
      for (const auto& p : word_lists) {
        if (std::filesystem::exists(p)) paths.emplace_back(p);
      }
      if (auto s = kg::ner::AddWordLists(paths, &resources); !s.ok()) return Fail(s);
    }
    if (no_clusters) ner_options.groups &= ~kg::ner::kFeatClusters;
    if (!no_guide) {
      ner_options.groups |= kg::ner::kFeatGuide;
      ner_options.guide = [&guide](const std::vector<std::string>& words) {
        return kg::Conll04EntityTagger::GuideTags(*guide, words);
      };
    }
    ner_options.seed = options.seed;
    ner_options.description = description.str() + " (CoNLL04 entity tagger)";
    ner_options.log = log;
    // Trains ner_seeds taggers and averages them; `report` gets the first one's.
    auto train_tagger = [&](const std::vector<kg::ConllDocument>& docs,
                            const std::vector<kg::ConllDocument>& dev_docs,
                            const kg::ner::NerResources& tagger_resources,
                            const kg::ner::NerTrainOptions& base,
                            kg::ner::NerTrainReport* report) -> kg::Result<kg::ner::NerModel> {
      std::vector<kg::ner::NerModel> models;
      for (int k = 0; k < ner_seeds; ++k) {
        kg::ner::NerTrainOptions seeded = base;
        seeded.seed = base.seed + static_cast<uint64_t>(k);
        if (k > 0) seeded.log = nullptr;
        auto m = kg::ner::TrainNerModel(docs, dev_docs, tagger_resources, *gazetteer, seeded,
                                        k == 0 ? report : nullptr);
        if (!m) return m.status();
        models.push_back(std::move(m).value());
      }
      if (models.size() == 1) return std::move(models.front());
      return AverageModels(models, base.min_weight);
    };
    // Entity phrases: train sentence i is in fold i % phrase_folds; phrases[a][b] holds the
    // entities of the sentences outside folds a and b (index phrase_folds = no fold left out),
    // so that no sentence's own entities feed its features (the fold taggers leave out two).
    const std::vector<kg::ConllDocument> train_docs = kg::Conll04ToConll(*train);
    const size_t phrase_folds = folds >= 2 ? static_cast<size_t>(folds) : 5;
    std::vector<std::vector<std::unordered_map<uint64_t, uint32_t>>> phrases;
    if (entity_phrases) {
      ner_options.groups |= kg::ner::kFeatEntityPhrases;
      phrases.assign(phrase_folds + 1,
                     std::vector<std::unordered_map<uint64_t, uint32_t>>(phrase_folds + 1));
      for (size_t i = 0; i < train_docs.size(); ++i) {
        const size_t fold = i % phrase_folds;
        for (size_t a = 0; a <= phrase_folds; ++a) {
          for (size_t b = 0; b <= phrase_folds; ++b) {
            if (a == fold || b == fold) continue;
            for (const auto& sentence : train_docs[i].sentences) {
              kg::ner::AddEntityPhrases(sentence.words, sentence.tags, &phrases[a][b]);
            }
          }
        }
      }
      resources.entity_phrases = phrases[phrase_folds][phrase_folds];
      ner_options.entity_codes = [&phrases, phrase_folds](size_t doc, size_t,
                                                          const std::vector<std::string>& words) {
        return kg::ner::EntityPhraseCodes(phrases[doc % phrase_folds][phrase_folds], words);
      };
    }
    kg::ner::NerTrainReport ner_report;
    auto ner = train_tagger(train_docs, kg::Conll04ToConll(dev), resources, ner_options,
                            &ner_report);
    if (!ner) return Fail(ner.error());
    if (auto s = ner->Save(ner_out_path); !s.ok()) return Fail(s);
    std::fprintf(stderr, "wrote %s (best epoch %d)\n", ner_out_path.c_str(), ner_report.best_epoch);
    if (folds >= 2) {
      // Cross-validation: sentence i belongs to fold i % folds; each fold is tagged by a tagger
      // trained on the others for the epochs dev chose above, then saved and reloaded (the
      // weights as stored), like the shipped one.
      options.train_entities.resize(train->size());
      if (train_k_best > 1) options.train_alternatives.resize(train->size());
      kg::ner::NerTrainOptions fold_options = ner_options;
      fold_options.epochs = ner_report.best_epoch;
      fold_options.log = nullptr;
      for (int fold = 0; fold < folds; ++fold) {
        std::vector<kg::Conll04Sentence> rest;
        std::vector<size_t> rest_index;  // rest[r] is (*train)[rest_index[r]]
        for (size_t i = 0; i < train->size(); ++i) {
          if (static_cast<int>(i % static_cast<size_t>(folds)) != fold) {
            rest.push_back((*train)[i]);
            rest_index.push_back(i);
          }
        }
        kg::ner::NerResources fold_resources = resources;
        if (entity_phrases) {
          const size_t f = static_cast<size_t>(fold);
          fold_resources.entity_phrases = phrases[f][phrase_folds];
          fold_options.entity_codes = [&phrases, &rest_index, f, phrase_folds](
                                          size_t doc, size_t,
                                          const std::vector<std::string>& words) {
            return kg::ner::EntityPhraseCodes(phrases[f][rest_index[doc] % phrase_folds], words);
          };
        }
        auto fold_model =
            train_tagger(kg::Conll04ToConll(rest), {}, fold_resources, fold_options, nullptr);
        if (!fold_model) return Fail(fold_model.error());
        auto parsed = kg::ner::NerModel::Parse(fold_model->Serialize(), "fold model");
        if (!parsed) return Fail(parsed.error());
        kg::Conll04EntityTagger fold_tagger(std::move(parsed).value(), guide.get(), *gazetteer);
        for (size_t i = static_cast<size_t>(fold); i < train->size();
             i += static_cast<size_t>(folds)) {
          if (train_k_best <= 1) {
            options.train_entities[i] = fold_tagger.Tag((*train)[i].tokens);
            continue;
          }
          auto taggings = fold_tagger.TagKBest((*train)[i].tokens, train_k_best);
          if (taggings.empty()) continue;
          options.train_entities[i] = std::move(taggings.front().entities);
          for (size_t k = 1; k < taggings.size(); ++k) {
            options.train_alternatives[i].push_back(std::move(taggings[k].entities));
          }
        }
      }
      log("tagged the training sentences with " + std::to_string(folds) + " fold taggers");
    }
    // Tune on the saved model (weights as stored), exactly as `kg eval re` loads it.
    auto loaded = kg::Conll04EntityTagger::Load(ner_out_path, guide_path);
    if (!loaded) return Fail(loaded.error());
    tagger = std::move(loaded).value();
  }
  if (tagger) {
    // Tune the relation threshold on what the tagger finds, as `kg eval re` runs.
    options.dev_entities = [&tagger](const kg::Conll04Sentence& s) { return tagger->Tag(s.tokens); };
  }

  if (re_clusters) {
    auto guide_model = kg::ner::NerModel::Load(guide_path);
    if (!guide_model) return Fail(guide_model.error());
    options.clusters = guide_model->resources.clusters;
  }
  options.per_type_thresholds = !one_threshold;
  options.tune_with_place_completion = !no_completion_tuning;
  options.description = description.str();
  options.log = log;
  kg::RelationTrainReport report;
  auto model = kg::RelationClassifier::Train(*train, dev, options, &report);
  if (!model) return Fail(model.error());
  if (auto s = (*model)->Save(out_path); !s.ok()) return Fail(s);
  std::fprintf(stderr, "wrote %s: %zu weight rows, best epoch %d", out_path.c_str(),
               (*model)->rows(), report.best_epoch);
  if (!report.dev_f1.empty()) {
    std::fprintf(stderr, " (dev relation F1 %.2f, thresholds", report.final_dev_f1);
    for (const auto& type : kg::RelationClassifier::RelationTypes()) {
      std::fprintf(stderr, " %s %.3f", type.c_str(), (*model)->threshold(type));
    }
    std::fprintf(stderr, ")");
  }
  std::fprintf(stderr, "\n");
  return 0;
}
