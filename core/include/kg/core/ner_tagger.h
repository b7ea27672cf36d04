#pragma once
// Named-entity tagger: PER / ORG / LOC / MISC spans over tokenised sentences, from an averaged
// perceptron model (kg-train-ner) decoded with Viterbi. Load once and share: the const methods
// are thread-safe (per-call state lives on the caller's stack).

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kg/core/ner_features.h"
#include "kg/core/ner_model.h"
#include "kg/core/status.h"

namespace kg {

class Gazetteer;

enum class EntityType : uint8_t { kPer, kOrg, kLoc, kMisc };

// "PER", "ORG", "LOC", "MISC".
std::string_view EntityTypeName(EntityType type);

struct EntitySpan {
  uint32_t begin = 0;  // first token
  uint32_t end = 0;    // one past the last token
  EntityType type = EntityType::kMisc;
  // In (0, 1): a logistic squash of how far the chosen tags beat the runner-up tag per token,
  // averaged over the span. A ranking aid, not a calibrated probability.
  float score = 0;
};

class NerTagger {
 public:
  // Loads the model at `path`; uses `gazetteer` (null = Gazetteer::Default()) for the gazetteer
  // features the model was trained with. Refuses a corrupted, truncated or foreign file.
  static Result<std::unique_ptr<NerTagger>> Load(const std::filesystem::path& path,
                                                 const Gazetteer* gazetteer = nullptr);
  // kg::DataPath("models/ner.model").
  static Result<std::unique_ptr<NerTagger>> LoadDefault();
  // Wraps a model in memory (tests, the trainer). `gazetteer` may be null only when the model
  // has no gazetteer features.
  NerTagger(ner::NerModel model, const Gazetteer* gazetteer);

  NerTagger(const NerTagger&) = delete;
  NerTagger& operator=(const NerTagger&) = delete;

  // One sentence on its own (no document context).
  std::vector<EntitySpan> TagSentence(const std::vector<std::string>& words) const;
  // The sentences of one article; mentions in one sentence inform the others.
  std::vector<std::vector<EntitySpan>> TagDocument(
      const std::vector<std::vector<std::string>>& sentences) const;
  // The same, as IOB2 tag strings per token ("B-PER", "O", ...), for evaluation.
  std::vector<std::vector<std::string>> TagDocumentIob(
      const std::vector<std::vector<std::string>>& sentences) const;

  const ner::NerModel& model() const { return model_; }

  // Word cache across documents: each thread that tags keeps, for up to this many distinct
  // (form, headline) pairs, the weight sums of the features of a word that do not depend on its
  // document (ner::FeatureExtractor::WordBuckets), so that a word met in an earlier article
  // costs no feature hashing and no weight look-ups. It is emptied when full (at the start of a
  // document) and when the thread tags with another NerTagger; the tags and scores are the same
  // with or without it (integer sums). About 300 bytes per entry. 0 turns it off. Not
  // thread-safe: set it before sharing the tagger.
  static constexpr size_t kDefaultWordCacheEntries = size_t{1} << 16;
  void set_word_cache_entries(size_t entries) { word_cache_entries_ = entries; }
  // Entries in the calling thread's cache for this tagger (0 when it holds another's).
  size_t word_cache_size() const;

 private:
  // Integer weight sums of one feature set, per tag (the first ner::kNumTags used).
  struct alignas(16) TagSums {
    int32_t sum[12] = {};
  };
  // Per-document buffers reused from sentence to sentence, and the document's word cache: the
  // sums of each part of each distinct word's features (word_sums[i] for words.entries[i]).
  struct SharedWords;  // the calling thread's word cache across documents (ner_tagger.cc)
  struct Scratch {
    SharedWords* shared = nullptr;  // null: no cache across documents
    ner::NerWordCache words;
    std::vector<std::array<TagSums, ner::NerWordCache::kNumParts>> word_sums;
    ner::SplitFeatureBuffer features;
    std::vector<float> emissions;
    std::vector<float> viterbi_score;
    std::vector<int8_t> viterbi_back;
  };
  // Sets up `scratch` for tagging `sentences` (one document).
  void StartDocument(const std::vector<std::vector<std::string>>& sentences,
                     Scratch* scratch) const;
  // The calling thread's cache across documents, emptied first when it is full or holds
  // another tagger's words; null when turned off.
  SharedWords* ThreadWords() const;
  static SharedWords& LocalWords();  // the thread's cache, whoever's it is
  // The sums of each part of the document-independent features of `form`, from `shared` (or
  // computed and kept there).
  // `word_hash` is ner::HashBytes(form).
  std::array<TagSums, ner::NerWordCache::kNumParts> SharedSums(std::string_view form,
                                                              uint64_t word_hash, bool headline,
                                                              SharedWords* shared) const;
  // Adds `part` to `acc` (all 12 lanes: the unused ones are 0 in both).
  static void AddSums(const TagSums& part, TagSums* acc) {
    for (int t = 0; t < 12; ++t) acc->sum[t] += part.sum[t];
  }
  // The same as AddRows for one token of a sentence whose buckets end at `prefetch_end`:
  // prefetches across the token's end into the next tokens' rows (the caller prefetches the
  // sentence's first rows), so a token's first look-ups do not stall.
  void AddRowsAhead(const uint32_t* buckets, size_t count, TagSums* sums,
                    const uint32_t* prefetch_end) const;
  static constexpr size_t kPrefetchAhead = 12;
  // Adds the rows of `count` buckets to `sums`.
  void AddRows(const uint32_t* buckets, size_t count, TagSums* sums) const;
  // Tags one sentence into tag indices; fills `margins` (per token) when not null.
  void TagIndices(const std::vector<std::string>& words, const ner::NerDocContext& doc,
                  Scratch* scratch, std::vector<int>* tags, std::vector<float>* margins) const;

  // The weights again, packed for speed: open addressing on bucket + 1, 16-bit weights inline,
  // so one feature costs about one cache miss. 32 bytes, aligned: a row never straddles two
  // cache lines, and its first 8 weights are one aligned vector load.
  struct alignas(32) PackedRow {
    int16_t weights[12] = {};  // the first ner::kNumTags used, the rest 0
    uint32_t key = 0;          // bucket + 1; 0 = empty slot
    uint32_t unused = 0;
  };
  static_assert(sizeof(PackedRow) == 32 && ner::kNumTags == 9);
  // Adds the weights of `row` to `sums`.
  static void AddRow(const PackedRow& row, TagSums* sums);
  void Pack();
  size_t SlotOf(uint32_t bucket) const {
    return (static_cast<uint64_t>(bucket + 1) * 0x9E3779B97F4A7C15ull) >> shift_;
  }

  ner::NerModel model_;
  ner::FeatureExtractor extractor_;
  std::vector<PackedRow> table_;
  // The sums of the rows of each code of ner::SplitFeatureBuffer::codes
  // (extractor_.CodeBuckets), computed once.
  std::vector<TagSums> code_sums_;
  size_t mask_ = 0;
  unsigned shift_ = 64;
  float scale_ = 1;
  uint64_t instance_id_;  // unique per tagger made in this process: tells thread caches apart
  size_t word_cache_entries_ = kDefaultWordCacheEntries;
};

}  // namespace kg
