// kg-train-ner: trains the averaged-perceptron NER model from CoNLL-2003 files.
//   kg-train-ner --train train.txt --dev valid.txt --out models/ner.model [--epochs N --seed S]
// Same data, word lists, gazetteer, options and seed give a byte-identical model.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <map>
#include <sstream>

#include "kg/core/conll.h"
#include "kg/core/gazetteer.h"
#include "kg/core/ner_trainer.h"

namespace {

int Fail(const kg::Status& status) {
  std::cerr << "kg-train-ner: " << status.message() << "\n";
  return status.IsUserError() ? 1 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("kg-train-ner: trains kg's named-entity tagger on CoNLL-2003 files");
  std::string train_path, dev_path, out_path;
  kg::ner::NerTrainOptions options;
  std::vector<std::string> word_lists = {"/usr/share/dict/american-english",
                                         "/usr/share/dict/british-english"};
  std::vector<std::string> disabled;
  std::vector<std::string> unlabelled;
  kg::ner::ClusterOptions cluster_options;
  app.add_option("--train", train_path, "CoNLL training file")->required()->check(CLI::ExistingFile);
  app.add_option("--dev", dev_path, "CoNLL dev file: picks the best epoch")
      ->check(CLI::ExistingFile);
  app.add_option("--out", out_path, "where to write the model")->required();
  app.add_option("--epochs", options.epochs, "training passes")->capture_default_str();
  app.add_option("--seed", options.seed, "shuffling seed")->capture_default_str();
  app.add_option("--hash-bits", options.hash_bits, "log2 of the feature buckets")
      ->capture_default_str();
  app.add_option("--word-list", word_lists, "plain word lists (one word a line)")
      ->capture_default_str();
  app.add_option("--disable", disabled,
                 "feature groups to leave out: affixes context2 wordlist gazetteer document "
                 "clusters")
      ->delimiter(',');
  app.add_option("--unlabelled", unlabelled,
                 "JSONL article dumps ({\"title\", \"text\"}) whose text, with the training "
                 "words, is clustered for the cluster features")
      ->check(CLI::ExistingFile);
  app.add_option("--clusters", cluster_options.fine, "number of fine word clusters")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  const std::map<std::string, uint32_t> groups = {
      {"affixes", kg::ner::kFeatAffixes},   {"context2", kg::ner::kFeatContext2},
      {"wordlist", kg::ner::kFeatWordList}, {"gazetteer", kg::ner::kFeatGazetteer},
      {"document", kg::ner::kFeatDocument}, {"clusters", kg::ner::kFeatClusters}};
  for (const auto& name : disabled) {
    auto it = groups.find(name);
    if (it == groups.end()) {
      return Fail(kg::Status::InvalidArgument("unknown feature group '" + name + "'"));
    }
    options.groups &= ~it->second;
  }

  auto train = kg::ReadConll(train_path);
  if (!train) return Fail(train.error());
  std::vector<kg::ConllDocument> dev;
  if (!dev_path.empty()) {
    auto d = kg::ReadConll(dev_path);
    if (!d) return Fail(d.error());
    dev = std::move(d).value();
  }
  const kg::Gazetteer* gazetteer = nullptr;
  if (options.groups & kg::ner::kFeatGazetteer) {
    auto g = kg::Gazetteer::Default();
    if (!g) return Fail(g.error());
    gazetteer = *g;
  }
  kg::ner::NerResources resources;
  if (options.groups & kg::ner::kFeatWordList) {
    std::vector<std::filesystem::path> paths(word_lists.begin(), word_lists.end());
    if (auto s = kg::ner::AddWordLists(paths, &resources); !s.ok()) return Fail(s);
  }

  if (options.groups & kg::ner::kFeatClusters) {
    std::vector<std::vector<std::string>> sentences;
    for (const auto& doc : *train) {
      for (const auto& s : doc.sentences) sentences.push_back(s.words);
    }
    for (const auto& path : unlabelled) {
      auto more = kg::ner::ReadJsonlSentences(path);
      if (!more) return Fail(more.error());
      sentences.insert(sentences.end(), more->begin(), more->end());
    }
    kg::ner::BuildWordClusters(sentences, cluster_options, &resources);
    std::cerr << "clusters: " << resources.clusters.size() << " words from " << sentences.size()
              << " sentences\n";
  }

  std::ostringstream description;
  description << "kg-train-ner";
  for (int i = 1; i < argc; ++i) description << ' ' << argv[i];
  options.description = description.str();
  options.log = [](std::string_view line) { std::cerr << line << "\n"; };

  kg::ner::NerTrainReport report;
  auto model = kg::ner::TrainNerModel(*train, dev, std::move(resources), gazetteer, options,
                                      &report);
  if (!model) return Fail(model.error());
  if (auto s = model->Save(out_path); !s.ok()) return Fail(s);
  std::fprintf(stderr, "wrote %s: %zu weight rows, best epoch %d", out_path.c_str(),
               model->rows.size() / kg::ner::kNumTags, report.best_epoch);
  if (!report.dev_f1.empty()) {
    std::fprintf(stderr, " (dev F1 %.2f)", report.dev_f1[report.best_epoch - 1]);
  }
  std::fprintf(stderr, "\n");
  return 0;
}
