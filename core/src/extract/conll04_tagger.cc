#include "kg/core/conll04_tagger.h"

#include <algorithm>

#include "kg/core/data_path.h"
#include "kg/core/gazetteer.h"

namespace kg {

Conll04EntityTagger::Conll04EntityTagger(ner::NerModel model, const NerTagger* guide,
                                         const Gazetteer* gazetteer)
    : model_(std::move(model)),
      guide_(guide),
      extractor_(model_.resources, gazetteer, model_.groups, model_.hash_bits) {}

Conll04EntityTagger::~Conll04EntityTagger() = default;

Result<std::unique_ptr<Conll04EntityTagger>> Conll04EntityTagger::Load(
    const std::filesystem::path& path, const std::filesystem::path& guide_path) {
  auto model = ner::NerModel::Load(path);
  KG_RETURN_IF_ERROR(model.status());
  const Gazetteer* gazetteer = nullptr;
  if (model->groups & ner::kFeatGazetteer) {
    auto def = Gazetteer::Default();
    KG_RETURN_IF_ERROR(def.status());
    gazetteer = *def;
  }
  std::unique_ptr<NerTagger> guide;
  if (model->groups & ner::kFeatGuide) {
    auto loaded =
        NerTagger::Load(guide_path.empty() ? DataPath("models/ner.model") : guide_path, gazetteer);
    KG_RETURN_IF_ERROR(loaded.status());
    guide = std::move(loaded).value();
  }
  auto tagger = std::make_unique<Conll04EntityTagger>(std::move(model).value(), guide.get(),
                                                      gazetteer);
  tagger->owned_guide_ = std::move(guide);
  return tagger;
}

std::vector<int> Conll04EntityTagger::GuideTags(const NerTagger& guide,
                                                const std::vector<std::string>& words) {
  std::vector<int> out;
  out.reserve(words.size());
  const auto iob = guide.TagDocumentIob({words});
  for (const auto& tag : iob.front()) {
    out.push_back(std::max(0, ner::TagIndex(tag)));
  }
  return out;
}

namespace {

// IOB2 tags (kTagNames indices) to CoNLL04 entities.
std::vector<Conll04Entity> EntitiesOfTags(const std::vector<int>& tags) {
  static constexpr const char* kTypes[] = {"Peop", "Org", "Loc", "Other"};
  std::vector<Conll04Entity> out;
  const size_t n = tags.size();
  for (size_t i = 0; i < n; ++i) {
    if (!ner::IsBegin(tags[i])) continue;
    size_t j = i + 1;
    while (j < n && tags[j] == tags[i] + 1) ++j;
    out.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(j),
                   kTypes[(tags[i] - 1) / 2]});
  }
  return out;
}

}  // namespace

std::vector<float> Conll04EntityTagger::Emissions(const std::vector<std::string>& tokens) const {
  const size_t n = tokens.size();
  // One sentence is one document, as in training (Conll04ToConll).
  const ner::NerDocContext doc = extractor_.AnalyzeDocument({tokens});
  std::vector<int> guide_tags;
  const bool stacked = (model_.groups & ner::kFeatGuide) && guide_ != nullptr;
  if (stacked) guide_tags = GuideTags(*guide_, tokens);
  ner::FeatureBuffer buf;
  extractor_.Extract(tokens, doc, stacked ? &guide_tags : nullptr, &buf);
  std::vector<float> emissions(n * ner::kNumTags, 0.0f);
  for (size_t i = 0; i < n; ++i) {
    float* e = emissions.data() + i * ner::kNumTags;
    for (uint32_t k = buf.offsets[i]; k < buf.offsets[i + 1]; ++k) {
      if (const float* w = model_.Row(buf.buckets[k])) {
        for (int t = 0; t < ner::kNumTags; ++t) e[t] += w[t];
      }
    }
  }
  return emissions;
}

std::vector<Conll04Entity> Conll04EntityTagger::Tag(const std::vector<std::string>& tokens) const {
  const size_t n = tokens.size();
  if (n == 0) return {};
  const std::vector<float> emissions = Emissions(tokens);
  std::vector<int> tags(n, 0);
  ner::ViterbiDecode(emissions.data(), n, model_.transitions.data(), tags.data());
  return EntitiesOfTags(tags);
}

std::vector<Conll04Tagging> Conll04EntityTagger::TagKBest(const std::vector<std::string>& tokens,
                                                          size_t k) const {
  const size_t n = tokens.size();
  if (n == 0 || k == 0) return {};
  if (k == 1) {
    // Exactly Tag()'s decoding (ViterbiDecode), with its path score.
    const std::vector<float> emissions = Emissions(tokens);
    std::vector<int> tags(n, 0);
    ner::ViterbiDecode(emissions.data(), n, model_.transitions.data(), tags.data());
    double score = 0;
    const float* tr = model_.transitions.data();
    for (size_t i = 0; i < n; ++i) {
      score += tr[(i == 0 ? 0 : tags[i - 1] + 1) * ner::kNumTags + tags[i]] +
               emissions[i * ner::kNumTags + tags[i]];
    }
    return {{EntitiesOfTags(tags), score}};
  }
  const std::vector<float> emissions = Emissions(tokens);
  const float* tr = model_.transitions.data();
  constexpr int kT = ner::kNumTags;
  // lattice[i][t]: the best (up to k) partial paths ending in tag t at token i, best first.
  // Float sums in ViterbiDecode's order, so the best path is exactly its (ties included).
  struct Entry {
    float score;
    int prev_tag;   // -1 at token 0
    uint32_t prev_rank;
  };
  std::vector<std::vector<Entry>> lattice(n * kT);
  for (int t = 0; t < kT; ++t) {
    if (ner::AllowedTransition(-1, t)) {
      lattice[t].push_back({tr[t] + emissions[t], -1, 0});
    }
  }
  // Candidates are generated in (prev tag, rank) order and stably sorted by score, so ties keep
  // that order: deterministic.
  auto by_score = [](const Entry& a, const Entry& b) { return a.score > b.score; };
  std::vector<Entry> candidates;
  for (size_t i = 1; i < n; ++i) {
    for (int t = 0; t < kT; ++t) {
      candidates.clear();
      for (int p = 0; p < kT; ++p) {
        if (!ner::AllowedTransition(p, t)) continue;
        const auto& prev = lattice[(i - 1) * kT + p];
        const float transition = tr[(p + 1) * kT + t];
        const float emission = emissions[i * kT + t];
        for (uint32_t r = 0; r < prev.size(); ++r) {
          candidates.push_back({(prev[r].score + transition) + emission, p, r});
        }
      }
      std::stable_sort(candidates.begin(), candidates.end(), by_score);
      if (candidates.size() > k) candidates.resize(k);
      lattice[i * kT + t] = candidates;
    }
  }
  struct Final {
    float score;
    int tag;
    uint32_t rank;
  };
  std::vector<Final> finals;
  for (int t = 0; t < kT; ++t) {
    const auto& last = lattice[(n - 1) * kT + t];
    for (uint32_t r = 0; r < last.size(); ++r) finals.push_back({last[r].score, t, r});
  }
  std::stable_sort(finals.begin(), finals.end(),
                   [](const Final& a, const Final& b) { return a.score > b.score; });
  if (finals.size() > k) finals.resize(k);
  std::vector<Conll04Tagging> out;
  std::vector<int> tags(n, 0);
  for (const auto& f : finals) {
    int tag = f.tag;
    uint32_t rank = f.rank;
    for (size_t i = n; i-- > 0;) {
      tags[i] = tag;
      const Entry& e = lattice[i * kT + tag][rank];
      tag = e.prev_tag;
      rank = e.prev_rank;
    }
    out.push_back({EntitiesOfTags(tags), f.score});
  }
  return out;
}

}  // namespace kg
