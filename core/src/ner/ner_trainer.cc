#include "kg/core/ner_trainer.h"

#include <fstream>
#include <random>

#include "kg/core/gazetteer.h"

namespace kg::ner {
namespace {

// Every sentence's features and gold tags, flattened (the features never change while training).
struct Corpus {
  std::vector<uint32_t> buckets;
  std::vector<size_t> token_offsets;     // into buckets, one per token plus one
  std::vector<size_t> sentence_offsets;  // into tokens, one per sentence plus one
  std::vector<int> gold;                 // per token
  std::vector<std::vector<std::string>> gold_tags;
};

Corpus Featurize(const std::vector<ConllDocument>& docs, const FeatureExtractor& extractor,
                 const NerTrainOptions& options, bool training) {
  Corpus c;
  c.token_offsets.push_back(0);
  c.sentence_offsets.push_back(0);
  FeatureBuffer buf;
  std::vector<std::vector<std::string>> words;
  std::vector<int> guide;
  std::vector<uint32_t> codes;
  const bool use_guide = (options.groups & kFeatGuide) != 0;
  const bool own_codes =
      training && (options.groups & kFeatEntityPhrases) && options.entity_codes != nullptr;
  for (size_t d = 0; d < docs.size(); ++d) {
    const auto& doc = docs[d];
    words.clear();
    for (const auto& s : doc.sentences) words.push_back(s.words);
    auto ctx = extractor.AnalyzeDocument(words);
    for (size_t si = 0; si < doc.sentences.size(); ++si) {
      const auto& s = doc.sentences[si];
      if (use_guide) guide = options.guide(s.words);
      if (own_codes) codes = options.entity_codes(d, si, s.words);
      extractor.Extract(s.words, ctx, use_guide ? &guide : nullptr, own_codes ? &codes : nullptr,
                        &buf);
      for (size_t i = 0; i < s.words.size(); ++i) {
        c.buckets.insert(c.buckets.end(), buf.buckets.begin() + buf.offsets[i],
                         buf.buckets.begin() + buf.offsets[i + 1]);
        c.token_offsets.push_back(c.buckets.size());
        int tag = TagIndex(s.tags[i]);
        c.gold.push_back(tag < 0 ? 0 : tag);
      }
      c.sentence_offsets.push_back(c.gold.size());
      c.gold_tags.push_back(s.tags);
    }
  }
  return c;
}

void Emissions(const Corpus& c, size_t sentence, const float* weights, std::vector<float>* out) {
  size_t first = c.sentence_offsets[sentence], last = c.sentence_offsets[sentence + 1];
  out->assign((last - first) * kNumTags, 0.0f);
  for (size_t tok = first; tok < last; ++tok) {
    float* e = out->data() + (tok - first) * kNumTags;
    for (size_t k = c.token_offsets[tok]; k < c.token_offsets[tok + 1]; ++k) {
      const float* w = weights + static_cast<size_t>(c.buckets[k]) * kNumTags;
      for (int t = 0; t < kNumTags; ++t) e[t] += w[t];
    }
  }
}

double DevF1(const Corpus& dev, const float* weights, const float* transitions) {
  NerScorer scorer;
  std::vector<float> emissions;
  std::vector<int> tags;
  std::vector<std::string> names;
  for (size_t s = 0; s + 1 < dev.sentence_offsets.size(); ++s) {
    size_t n = dev.sentence_offsets[s + 1] - dev.sentence_offsets[s];
    Emissions(dev, s, weights, &emissions);
    tags.assign(n, 0);
    ViterbiDecode(emissions.data(), n, transitions, tags.data());
    names.clear();
    for (int t : tags) names.emplace_back(kTagNames[t]);
    scorer.Add(dev.gold_tags[s], names);
  }
  return scorer.overall().f1();
}

}  // namespace

Status AddWordLists(const std::vector<std::filesystem::path>& files, NerResources* resources) {
  for (const auto& path : files) {
    std::ifstream in(path);
    if (!in) return Status::NotFound("word list " + path.string() + " not found");
    std::string word;
    while (std::getline(in, word)) {
      if (word.empty() || word.find('\'') != std::string::npos) continue;
      bool ascii = true;
      for (char c : word) ascii &= static_cast<unsigned char>(c) < 0x80;
      if (!ascii) continue;
      if (word[0] >= 'A' && word[0] <= 'Z') {
        resources->proper_words.insert(HashLower(word));
      } else {
        resources->lower_words.insert(HashBytes(word));
      }
    }
  }
  return Status::Ok();
}

Result<NerModel> TrainNerModel(const std::vector<ConllDocument>& train,
                               const std::vector<ConllDocument>& dev, NerResources resources,
                               const Gazetteer* gazetteer, const NerTrainOptions& options,
                               NerTrainReport* report) {
  if (options.hash_bits < 8 || options.hash_bits > 24) {
    return Status::InvalidArgument("hash bits must be in 8..24");
  }
  if ((options.groups & kFeatGazetteer) && gazetteer == nullptr) {
    return Status::InvalidArgument("gazetteer features need a gazetteer");
  }
  if (options.epochs < 1) return Status::InvalidArgument("epochs must be at least 1");
  if ((options.groups & kFeatGuide) && !options.guide) {
    return Status::InvalidArgument("guide features need a guide tagger");
  }
  auto log = [&](const std::string& line) {
    if (options.log) options.log(line);
  };
  FeatureExtractor extractor(resources, gazetteer, options.groups, options.hash_bits);
  Corpus corpus = Featurize(train, extractor, options, true);
  Corpus dev_corpus = Featurize(dev, extractor, options, false);
  const size_t num_sentences = corpus.sentence_offsets.size() - 1;
  if (num_sentences == 0) return Status::InvalidArgument("no training sentences");
  log("features: " + std::to_string(corpus.buckets.size()) + " over " +
      std::to_string(corpus.gold.size()) + " tokens, " + std::to_string(num_sentences) +
      " sentences");

  const size_t weight_count = (size_t{1} << options.hash_bits) * kNumTags;
  constexpr size_t kTransCount = (kNumTags + 1) * kNumTags;
  // Averaged perceptron with the usual trick: avg = w - u / c, where u accumulates c * update.
  std::vector<float> w(weight_count, 0.0f);
  std::vector<double> u(weight_count, 0.0);
  std::vector<float> tw(kTransCount, 0.0f);
  std::vector<double> tu(kTransCount, 0.0);
  double c = 1;

  auto averaged = [&](std::vector<float>* avg, std::vector<float>* tavg) {
    avg->resize(weight_count);
    for (size_t k = 0; k < weight_count; ++k) (*avg)[k] = static_cast<float>(w[k] - u[k] / c);
    tavg->resize(kTransCount);
    for (size_t k = 0; k < kTransCount; ++k) (*tavg)[k] = static_cast<float>(tw[k] - tu[k] / c);
  };

  std::vector<size_t> order(num_sentences);
  for (size_t i = 0; i < num_sentences; ++i) order[i] = i;
  std::mt19937_64 rng(options.seed);
  std::vector<float> emissions;
  std::vector<int> pred;
  std::vector<float> best, best_trans, avg, avg_trans;
  double best_f1 = -1;
  NerTrainReport local_report;

  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    // Fisher-Yates with the raw engine output: std::shuffle's algorithm is unspecified.
    for (size_t i = num_sentences - 1; i > 0; --i) std::swap(order[i], order[rng() % (i + 1)]);
    size_t mistakes = 0;
    for (size_t s : order) {
      size_t first = corpus.sentence_offsets[s], n = corpus.sentence_offsets[s + 1] - first;
      Emissions(corpus, s, w.data(), &emissions);
      pred.assign(n, 0);
      ViterbiDecode(emissions.data(), n, tw.data(), pred.data());
      const int* gold = corpus.gold.data() + first;
      for (size_t i = 0; i < n; ++i) {
        int g = gold[i], p = pred[i];
        int gp = i == 0 ? -1 : gold[i - 1], pp = i == 0 ? -1 : pred[i - 1];
        if (g != p) {
          ++mistakes;
          for (size_t k = corpus.token_offsets[first + i]; k < corpus.token_offsets[first + i + 1];
               ++k) {
            size_t base = static_cast<size_t>(corpus.buckets[k]) * kNumTags;
            w[base + g] += 1;
            u[base + g] += c;
            w[base + p] -= 1;
            u[base + p] -= c;
          }
        }
        if (g != p || gp != pp) {
          size_t gi = (gp + 1) * kNumTags + g, pi = (pp + 1) * kNumTags + p;
          tw[gi] += 1;
          tu[gi] += c;
          tw[pi] -= 1;
          tu[pi] -= c;
        }
      }
      c += 1;
    }
    std::string line = "epoch " + std::to_string(epoch) + ": " + std::to_string(mistakes) +
                       " token errors on train";
    if (!dev_corpus.gold.empty()) {
      averaged(&avg, &avg_trans);
      double f1 = DevF1(dev_corpus, avg.data(), avg_trans.data());
      local_report.dev_f1.push_back(f1);
      char buf[64];
      std::snprintf(buf, sizeof(buf), ", dev F1 %.2f", f1);
      line += buf;
      if (f1 > best_f1) {
        best_f1 = f1;
        best.swap(avg);
        best_trans.swap(avg_trans);
        local_report.best_epoch = epoch;
      }
    }
    log(line);
  }
  if (dev_corpus.gold.empty()) {
    averaged(&best, &best_trans);
    local_report.best_epoch = options.epochs;
  }
  NerModel model = NerModel::FromDense(best, options.hash_bits, options.min_weight);
  std::copy(best_trans.begin(), best_trans.end(), model.transitions.begin());
  model.groups = options.groups;
  model.description = options.description;
  model.resources = std::move(resources);
  if (report != nullptr) *report = std::move(local_report);
  return model;
}

}  // namespace kg::ner
