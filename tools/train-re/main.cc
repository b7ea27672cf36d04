// kg-train-re: trains kg's relation extraction models on CoNLL04 (SpERT JSON):
//   kg-train-re --train conll04_train.json --dev conll04_dev.json --out models/re.model
//               --ner-out models/re-ner.model
// The entity tagger is the NER trainer's averaged perceptron on CoNLL04's entity types
// (Peop/Org/Loc/Other as PER/ORG/LOC/MISC); the relation classifier is trained on gold entities.
// Both pick their best epoch on --dev. Same data, options and seed give identical models.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "kg/core/conll04.h"
#include "kg/core/gazetteer.h"
#include "kg/core/ner_tagger.h"
#include "kg/core/ner_trainer.h"
#include "kg/core/relation_classifier.h"

namespace {

int Fail(const kg::Status& status) {
  std::cerr << "kg-train-re: " << status.message() << "\n";
  return status.IsUserError() ? 1 : 2;
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

  std::unique_ptr<kg::NerTagger> tagger;
  if (!ner_out_path.empty()) {
    auto gazetteer = kg::Gazetteer::Default();
    if (!gazetteer) return Fail(gazetteer.error());
    kg::ner::NerResources resources;
    std::vector<std::filesystem::path> paths;
    for (const auto& p : word_lists) {
      if (std::filesystem::exists(p)) paths.emplace_back(p);
    }
    if (auto s = kg::ner::AddWordLists(paths, &resources); !s.ok()) return Fail(s);
    ner_options.groups &= ~kg::ner::kFeatClusters;
    ner_options.seed = options.seed;
    ner_options.description = description.str() + " (CoNLL04 entity tagger)";
    ner_options.log = log;
    kg::ner::NerTrainReport ner_report;
    auto ner = kg::ner::TrainNerModel(kg::Conll04ToConll(*train), kg::Conll04ToConll(dev),
                                      std::move(resources), *gazetteer, ner_options, &ner_report);
    if (!ner) return Fail(ner.error());
    if (auto s = ner->Save(ner_out_path); !s.ok()) return Fail(s);
    std::fprintf(stderr, "wrote %s (best epoch %d)\n", ner_out_path.c_str(), ner_report.best_epoch);
    tagger = std::make_unique<kg::NerTagger>(std::move(*ner), *gazetteer);
  }
  if (tagger) {
    // Tune the relation threshold on what the tagger finds, as `kg eval re` runs.
    options.dev_entities = [&tagger](const kg::Conll04Sentence& s) {
      std::vector<kg::Conll04Entity> entities;
      for (const auto& span : tagger->TagSentence(s.tokens)) {
        entities.push_back(
            {span.begin, span.end, kg::Conll04TypeOfNer(kg::EntityTypeName(span.type))});
      }
      return entities;
    };
  }

  options.description = description.str();
  options.log = log;
  kg::RelationTrainReport report;
  auto model = kg::RelationClassifier::Train(*train, dev, options, &report);
  if (!model) return Fail(model.error());
  if (auto s = (*model)->Save(out_path); !s.ok()) return Fail(s);
  std::fprintf(stderr, "wrote %s: %zu weight rows, best epoch %d", out_path.c_str(),
               (*model)->rows(), report.best_epoch);
  if (!report.dev_f1.empty()) {
    std::fprintf(stderr, " (dev relation F1 %.2f, threshold %.3f)",
                 report.dev_f1[static_cast<size_t>(report.best_epoch - 1)], (*model)->threshold());
  }
  std::fprintf(stderr, "\n");
  return 0;
}
