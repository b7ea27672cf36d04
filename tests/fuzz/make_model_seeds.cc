// Writes small, valid model files for the model_loader fuzz target's corpus (the shipped models
// are megabytes; a fuzzer mutates small inputs best). Usage: kg_fuzz_make_model_seeds DIR.
// Each file starts with the target's mode byte (model_loader_fuzz.cc).

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "kg/core/ner_model.h"
#include "kg/core/relation_classifier.h"

namespace {

void Write(const std::filesystem::path& path, char mode, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.put(mode);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 1;
  }
  std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);

  // NER: 2^8 buckets, a few non-zero rows, no gazetteer features needed at tagging time.
  constexpr uint32_t kBits = 8;
  std::vector<float> dense((size_t{1} << kBits) * kg::ner::kNumTags, 0.f);
  for (size_t i = 0; i < dense.size(); i += 37) dense[i] = static_cast<float>(i % 7) - 3.f;
  kg::ner::NerModel ner = kg::ner::NerModel::FromDense(dense, kBits, 0.5f);
  ner.description = "fuzz seed";
  ner.resources.lower_words = {1, 2, 3};
  ner.resources.proper_words = {4, 5};
  ner.resources.clusters = {{6, 1}, {7, 2}};
  std::string ner_bytes = ner.Serialize();
  Write(dir / "ner-small.model", 0, ner_bytes);

  // Relation classifier: trained for one epoch on two hand-made sentences, 2^10 buckets.
  std::vector<kg::Conll04Sentence> train(2);
  train[0].tokens = {"John", "works", "for", "Acme", "in", "Paris", "."};
  train[0].entities = {{0, 1, "Peop"}, {3, 4, "Org"}, {5, 6, "Loc"}};
  train[0].relations = {{0, 1, "Work_For"}, {1, 2, "OrgBased_In"}};
  train[1].tokens = {"Mary", "lives", "in", "Rome", "."};
  train[1].entities = {{0, 1, "Peop"}, {3, 4, "Loc"}};
  train[1].relations = {{0, 1, "Live_In"}};
  kg::RelationTrainOptions options;
  options.epochs = 1;
  options.hash_bits = 10;
  options.description = "fuzz seed";
  auto re = kg::RelationClassifier::Train(train, {}, options, nullptr);
  if (!re) {
    std::fprintf(stderr, "train: %s\n", re.error().message().c_str());
    return 1;
  }
  auto tmp = dir / "re-small.model.tmp";
  if (auto s = (*re)->Save(tmp); !s.ok()) {
    std::fprintf(stderr, "save: %s\n", s.message().c_str());
    return 1;
  }
  std::string re_bytes = ReadAll(tmp);
  std::filesystem::remove(tmp);
  Write(dir / "re-small.model", 2, re_bytes);
  std::printf("wrote %s (%zu bytes) and %s (%zu bytes)\n", (dir / "ner-small.model").c_str(),
              ner_bytes.size() + 1, (dir / "re-small.model").c_str(), re_bytes.size() + 1);
  return 0;
}
