#include "kg/core/ner_tagger.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "kg/core/data_path.h"
#include "kg/core/gazetteer.h"

namespace kg {

namespace {
std::atomic<uint64_t> next_tagger_id{1};

// std::lround for the quotients Pack() rounds (finite, |x| < 2^31), without the library call: a
// float plus 0.5 is exact in double, so this is round-half-away-from-zero of x itself (checked
// equal to std::lround for every float of magnitude below 65536; weights stay within 32767).
long RoundWeight(float x) {
  const double d = x;
  return d >= 0 ? static_cast<long>(d + 0.5) : -static_cast<long>(-d + 0.5);
}
}  // namespace

// Document-independent sums of the words one thread has tagged, for one tagger.
struct NerTagger::SharedWords {
  struct Entry {
    uint32_t form_begin = 0;  // in chars
    uint32_t form_size = 0;
    bool headline = false;
  };
  uint64_t owner = 0;  // NerTagger::instance_id_
  ner::FlatHashMap64 index;  // Combine(HashBytes(form), headline) -> entry + 1
  std::string chars;         // the forms, one after another
  std::vector<Entry> entries;
  std::vector<std::array<TagSums, ner::NerWordCache::kNumParts>> sums;
  std::vector<uint32_t> buckets;  // WordBuckets' output, reused

  std::string_view form(const Entry& e) const {
    return std::string_view(chars).substr(e.form_begin, e.form_size);
  }
  void Clear(uint64_t new_owner) {
    owner = new_owner;
    index = ner::FlatHashMap64();
    chars.clear();
    entries.clear();
    sums.clear();
  }
};

std::string_view EntityTypeName(EntityType type) {
  switch (type) {
    case EntityType::kPer: return "PER";
    case EntityType::kOrg: return "ORG";
    case EntityType::kLoc: return "LOC";
    case EntityType::kMisc: return "MISC";
  }
  return "MISC";
}

NerTagger::NerTagger(ner::NerModel model, const Gazetteer* gazetteer)
    : model_(std::move(model)),
      extractor_(model_.resources, gazetteer, model_.groups, model_.hash_bits),
      instance_id_(next_tagger_id.fetch_add(1, std::memory_order_relaxed)) {
  Pack();
  code_sums_.resize(extractor_.code_count());
  for (uint32_t c = 0; c < extractor_.code_count(); ++c) {
    const auto buckets = extractor_.CodeBuckets(c);
    AddRows(buckets.data(), buckets.size(), &code_sums_[c]);
  }
}


void NerTagger::Pack() {
  float max_abs = 0;
  for (float w : model_.rows) max_abs = std::max(max_abs, std::fabs(w));
  scale_ = max_abs > 0 ? max_abs / 32767.0f : 1.0f;
  const size_t row_count = model_.rows.size() / ner::kNumTags;
  size_t capacity = 64;
  while (capacity < 2 * row_count) capacity *= 2;
  table_.assign(capacity, PackedRow{});
  mask_ = capacity - 1;
  shift_ = 64 - static_cast<unsigned>(std::countr_zero(capacity));
  // The index has 2^hash_bits entries (4 M for the shipped model) and few rows (64 K): empty
  // buckets are skipped four at a time.
  static_assert(ner::kNoRow == 0xFFFFFFFFu, "the vector skip compares with all ones");
  const uint32_t* index = model_.index.data();
  const size_t buckets = model_.index.size();
  for (size_t b = 0; b < buckets; ++b) {
#if defined(__SSE2__)
    if ((b & 3) == 0 && b + 4 <= buckets) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(index + b));
      if (_mm_movemask_epi8(_mm_cmpeq_epi32(v, _mm_set1_epi32(-1))) == 0xFFFF) {
        b += 3;
        continue;
      }
    }
#endif
    if (index[b] == ner::kNoRow) continue;
    const float* w = model_.Row(static_cast<uint32_t>(b));
    const uint32_t key = static_cast<uint32_t>(b) + 1;
    size_t i = (static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull) >> shift_;
    while (table_[i].key != 0) i = (i + 1) & mask_;
    table_[i].key = key;
    for (int t = 0; t < ner::kNumTags; ++t) {
      table_[i].weights[t] = static_cast<int16_t>(RoundWeight(w[t] / scale_));
    }
  }
}

Result<std::unique_ptr<NerTagger>> NerTagger::Load(const std::filesystem::path& path,
                                                   const Gazetteer* gazetteer) {
  auto model = ner::NerModel::Load(path);
  KG_RETURN_IF_ERROR(model.status());
  if (model->groups & ner::kFeatGuide) {
    // Stacked models need their guide's tags, which this tagger cannot supply.
    return Status::InvalidArgument(path.string() +
                                   ": a stacked model: load it with kg::Conll04EntityTagger");
  }
  if (gazetteer == nullptr && (model->groups & ner::kFeatGazetteer)) {
    auto def = Gazetteer::Default();
    KG_RETURN_IF_ERROR(def.status());
    gazetteer = *def;
  }
  return std::make_unique<NerTagger>(std::move(model).value(), gazetteer);
}

Result<std::unique_ptr<NerTagger>> NerTagger::LoadDefault() {
  return Load(DataPath("models/ner.model"));
}

void NerTagger::AddRows(const uint32_t* buckets, size_t count, TagSums* sums) const {
  const PackedRow* table = table_.data();
  const size_t mask = mask_;
  // Most of the time goes to cache misses on the weight table: prefetch a few features ahead.
  constexpr size_t kAhead = kPrefetchAhead;
  for (size_t k = 0; k < std::min(kAhead, count); ++k) {
    __builtin_prefetch(table + SlotOf(buckets[k]));
  }
  // Integer sums: exact whatever the order, so the vector and scalar paths, and the cached and
  // uncached parts of a token's features, agree bit for bit.
#if defined(__SSE2__)
  __m128i acc_lo = _mm_load_si128(reinterpret_cast<const __m128i*>(sums->sum));      // tags 0-3
  __m128i acc_hi = _mm_load_si128(reinterpret_cast<const __m128i*>(sums->sum + 4));  // tags 4-7
#endif
  for (size_t k = 0; k < count; ++k) {
    if (k + kAhead < count) __builtin_prefetch(table + SlotOf(buckets[k + kAhead]));
    const uint32_t key = buckets[k] + 1;
    size_t slot = SlotOf(buckets[k]);
    while (table[slot].key != key && table[slot].key != 0) slot = (slot + 1) & mask;
    const PackedRow& row = table[slot];
    if (row.key == 0) continue;
#if defined(__SSE2__)
    const __m128i w = _mm_load_si128(reinterpret_cast<const __m128i*>(row.weights));
    // Sign-extend the 16-bit weights to 32 bits: the high halves of (w, w) pairs, shifted.
    acc_lo = _mm_add_epi32(acc_lo, _mm_srai_epi32(_mm_unpacklo_epi16(w, w), 16));
    acc_hi = _mm_add_epi32(acc_hi, _mm_srai_epi32(_mm_unpackhi_epi16(w, w), 16));
    sums->sum[8] += row.weights[8];
#else
    for (int t = 0; t < ner::kNumTags; ++t) sums->sum[t] += row.weights[t];
#endif
  }
#if defined(__SSE2__)
  _mm_store_si128(reinterpret_cast<__m128i*>(sums->sum), acc_lo);
  _mm_store_si128(reinterpret_cast<__m128i*>(sums->sum + 4), acc_hi);
#endif
}

void NerTagger::AddRow(const PackedRow& row, TagSums* sums) {
#if defined(__SSE2__)
  const __m128i w = _mm_load_si128(reinterpret_cast<const __m128i*>(row.weights));
  __m128i* acc = reinterpret_cast<__m128i*>(sums->sum);
  acc[0] = _mm_add_epi32(acc[0], _mm_srai_epi32(_mm_unpacklo_epi16(w, w), 16));
  acc[1] = _mm_add_epi32(acc[1], _mm_srai_epi32(_mm_unpackhi_epi16(w, w), 16));
  sums->sum[8] += row.weights[8];
#else
  for (int t = 0; t < ner::kNumTags; ++t) sums->sum[t] += row.weights[t];
#endif
}

NerTagger::SharedWords* NerTagger::ThreadWords() const {
  if (word_cache_entries_ == 0) return nullptr;
  SharedWords& words = LocalWords();
  if (words.owner != instance_id_ || words.entries.size() >= word_cache_entries_) {
    words.Clear(instance_id_);
  }
  return &words;
}

NerTagger::SharedWords& NerTagger::LocalWords() {
  thread_local SharedWords words;
  return words;
}

size_t NerTagger::word_cache_size() const {
  const SharedWords& words = LocalWords();
  return words.owner == instance_id_ ? words.entries.size() : 0;
}

std::array<NerTagger::TagSums, ner::NerWordCache::kNumParts> NerTagger::SharedSums(
    std::string_view form, uint64_t word_hash, bool headline, SharedWords* shared) const {
  using Cache = ner::NerWordCache;
  const uint64_t key = word_hash * 0x100000001B3ull ^ (headline ? 2 : 1);
  const uint32_t found = shared->index.Get(key);
  if (found != 0) {
    const SharedWords::Entry& e = shared->entries[found - 1];
    if (e.headline == headline && shared->form(e) == form) return shared->sums[found - 1];
  }
  std::array<TagSums, Cache::kNumParts> sums{};
  ner::WordBucketParts parts;
  extractor_.WordBuckets(form, headline, &shared->buckets, &parts);
  for (int p = 0; p < Cache::kNumParts; ++p) {
    AddRows(shared->buckets.data() + parts.parts[p], parts.parts[p + 1] - parts.parts[p],
            &sums[p]);
  }
  // A hash collision with another form keeps the first one; this one is not kept. So is a form
  // too long for the 32-bit offsets.
  if (found == 0 && shared->chars.size() + form.size() <= UINT32_MAX) {
    shared->entries.push_back({static_cast<uint32_t>(shared->chars.size()),
                               static_cast<uint32_t>(form.size()), headline});
    shared->chars.append(form);
    shared->sums.push_back(sums);
    shared->index.Put(key, static_cast<uint32_t>(shared->entries.size()), false);
  }
  return sums;
}

void NerTagger::AddRowsAhead(const uint32_t* buckets, size_t count, TagSums* sums,
                             const uint32_t* prefetch_end) const {
  const PackedRow* table = table_.data();
  const size_t mask = mask_;
  const auto available = static_cast<size_t>(prefetch_end - buckets);
  for (size_t k = 0; k < count; ++k) {
    if (k + kPrefetchAhead < available) {
      __builtin_prefetch(table + SlotOf(buckets[k + kPrefetchAhead]));
    }
    const uint32_t key = buckets[k] + 1;
    size_t slot = SlotOf(buckets[k]);
    while (table[slot].key != key && table[slot].key != 0) slot = (slot + 1) & mask;
    const PackedRow& row = table[slot];
    if (row.key == 0) continue;
    AddRow(row, sums);
  }
}

void NerTagger::TagIndices(const std::vector<std::string>& words, const ner::NerDocContext& doc,
                           Scratch* scratch, std::vector<int>* tags,
                           std::vector<float>* margins) const {
  const size_t n = words.size();
  tags->assign(n, 0);
  if (n == 0) return;
  const ner::SplitFeatureBuffer& features = scratch->features;
  extractor_.ExtractSplit(words, doc, &scratch->words, &scratch->features);
  // The features of the words new to this document: summed once per part.
  using Cache = ner::NerWordCache;
  const auto& entries = scratch->words.entries;
  for (size_t w = scratch->word_sums.size(); w < entries.size(); ++w) {
    // With a cache across documents, a word entry's own parts hold only its document feature;
    // the rest comes from that cache. The padding entries are always whole.
    auto& sums = scratch->word_sums.emplace_back();
    if (scratch->shared != nullptr && w > Cache::kEndId) {
      sums = SharedSums(entries[w].form, entries[w].word_hash, entries[w].headline,
                        scratch->shared);
    }
    for (int p = 0; p < Cache::kNumParts; ++p) {
      const uint32_t begin = entries[w].parts[p];
      AddRows(scratch->words.buckets.data() + begin, entries[w].parts[p + 1] - begin, &sums[p]);
    }
  }
  const auto* word_sums = scratch->word_sums.data();
  const uint32_t* ids = features.word_ids.data();
  const uint32_t* codes = features.codes.data();
  const TagSums* code_sums = code_sums_.data();
  auto id_at = [&](long k) -> uint32_t {
    if (k < 0) return Cache::kStartId;
    if (k >= static_cast<long>(n)) return Cache::kEndId;
    return ids[k];
  };
  std::vector<float>& emissions = scratch->emissions;
  emissions.resize(n * ner::kNumTags);
  for (size_t k = 0; k < std::min(kPrefetchAhead, features.buckets.size()); ++k) {
    __builtin_prefetch(table_.data() + SlotOf(features.buckets[k]));
  }
  for (size_t i = 0; i < n; ++i) {
    const long li = static_cast<long>(i);
    TagSums acc = word_sums[ids[i]][Cache::kOwn];
    const TagSums* from[4] = {&word_sums[id_at(li - 1)][Cache::kToNext],
                              &word_sums[id_at(li - 2)][Cache::kToNext2],
                              &word_sums[id_at(li + 1)][Cache::kToPrev],
                              &word_sums[id_at(li + 2)][Cache::kToPrev2]};
    for (const TagSums* part : from) AddSums(*part, &acc);
    constexpr size_t kCodes = ner::SplitFeatureBuffer::kCodesPerToken;
    for (size_t c = 0; c < kCodes; ++c) AddSums(code_sums[codes[i * kCodes + c]], &acc);
    AddRowsAhead(features.buckets.data() + features.offsets[i],
                 features.offsets[i + 1] - features.offsets[i], &acc,
                 features.buckets.data() + features.buckets.size());
    float* e = emissions.data() + i * ner::kNumTags;
    for (int t = 0; t < ner::kNumTags; ++t) e[t] = static_cast<float>(acc.sum[t]) * scale_;
  }
  ner::ViterbiDecode(emissions.data(), n, model_.transitions.data(), tags->data(),
                    &scratch->viterbi_score, &scratch->viterbi_back);
  if (margins != nullptr) {
    margins->resize(n);
    for (size_t i = 0; i < n; ++i) {
      const float* e = emissions.data() + i * ner::kNumTags;
      int chosen = (*tags)[i];
      float runner_up = -1e30f;
      for (int t = 0; t < ner::kNumTags; ++t) {
        if (t != chosen) runner_up = std::max(runner_up, e[t]);
      }
      (*margins)[i] = e[chosen] - runner_up;
    }
  }
}

void NerTagger::StartDocument(const std::vector<std::vector<std::string>>& sentences,
                              Scratch* scratch) const {
  scratch->shared = ThreadWords();
  scratch->words.shared_words = scratch->shared != nullptr;
  size_t tokens = 0;
  for (const auto& words : sentences) tokens += words.size();
  // At most one entry per token: the document's word index never grows.
  scratch->words.index.Reserve(tokens);
}

std::vector<std::vector<EntitySpan>> NerTagger::TagDocument(
    const std::vector<std::vector<std::string>>& sentences) const {
  auto doc = extractor_.AnalyzeDocument(sentences);
  std::vector<std::vector<EntitySpan>> out(sentences.size());
  Scratch scratch;
  StartDocument(sentences, &scratch);
  std::vector<int> tags;
  std::vector<float> margins;
  for (size_t s = 0; s < sentences.size(); ++s) {
    TagIndices(sentences[s], doc, &scratch, &tags, &margins);
    for (size_t i = 0; i < tags.size();) {
      if (tags[i] == 0) {
        ++i;
        continue;
      }
      int type = (tags[i] - 1) / 2;
      size_t end = i + 1;
      while (end < tags.size() && ner::IsInside(tags[end]) && (tags[end] - 1) / 2 == type) ++end;
      float sum = 0;
      for (size_t k = i; k < end; ++k) sum += margins[k];
      float mean = sum / static_cast<float>(end - i);
      out[s].push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(end),
                        static_cast<EntityType>(type), 1.0f / (1.0f + std::exp(-mean))});
      i = end;
    }
  }
  return out;
}

std::vector<EntitySpan> NerTagger::TagSentence(const std::vector<std::string>& words) const {
  return TagDocument({words}).front();
}

std::vector<std::vector<std::string>> NerTagger::TagDocumentIob(
    const std::vector<std::vector<std::string>>& sentences) const {
  auto doc = extractor_.AnalyzeDocument(sentences);
  std::vector<std::vector<std::string>> out(sentences.size());
  Scratch scratch;
  StartDocument(sentences, &scratch);
  std::vector<int> tags;
  for (size_t s = 0; s < sentences.size(); ++s) {
    TagIndices(sentences[s], doc, &scratch, &tags, nullptr);
    out[s].reserve(tags.size());
    for (int t : tags) out[s].emplace_back(ner::kTagNames[t]);
  }
  return out;
}

}  // namespace kg
