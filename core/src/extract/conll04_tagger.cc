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

std::vector<Conll04Entity> Conll04EntityTagger::Tag(const std::vector<std::string>& tokens) const {
  std::vector<Conll04Entity> out;
  const size_t n = tokens.size();
  if (n == 0) return out;
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
  std::vector<int> tags(n, 0);
  ner::ViterbiDecode(emissions.data(), n, model_.transitions.data(), tags.data());
  for (size_t i = 0; i < n; ++i) {
    if (!ner::IsBegin(tags[i])) continue;
    size_t j = i + 1;
    while (j < n && tags[j] == tags[i] + 1) ++j;
    static constexpr const char* kTypes[] = {"Peop", "Org", "Loc", "Other"};
    out.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(j),
                   kTypes[(tags[i] - 1) / 2]});
  }
  return out;
}

}  // namespace kg
