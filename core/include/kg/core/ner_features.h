#pragma once
// Features of the named-entity tagger. Each feature is a template id mixed with a hash of its
// value, folded into one of 2^hash_bits buckets: no strings are built per feature, so
// extraction costs a few hash mixes per token. The extractor is immutable after construction
// and safe to share between threads.
//
// Feature groups (each can be switched off with FeatureConfig bits, which the model records):
// word identity and lower case, word shape, prefixes/suffixes, capitalisation flags, position,
// words and shapes at +-1 and +-2, bigrams, Debian word-list membership, gazetteer membership,
// document-level casing evidence, and unsupervised word clusters.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace kg {
class Gazetteer;
}

namespace kg::ner {

// IOB2 tags; the order is persisted in models (do not renumber).
inline constexpr int kNumTags = 9;
inline constexpr std::array<std::string_view, kNumTags> kTagNames = {
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"};
// Index into kTagNames, or -1.
int TagIndex(std::string_view tag);
inline bool IsInside(int tag) { return tag > 0 && tag % 2 == 0; }
inline bool IsBegin(int tag) { return tag > 0 && tag % 2 == 1; }
// True when tag `cur` may follow tag `prev` (-1 = sentence start) in IOB2.
inline bool AllowedTransition(int prev, int cur) {
  return !IsInside(cur) || (prev > 0 && (prev + 1) / 2 == cur / 2);
}

// Feature groups, persisted in the model header as a bit set (do not renumber).
enum FeatureGroup : uint32_t {
  kFeatAffixes = 1u << 0,    // prefixes and suffixes of length 1-4
  kFeatContext2 = 1u << 1,   // words and shapes at distance 2, bigrams
  kFeatWordList = 1u << 2,   // /usr/share/dict membership
  kFeatGazetteer = 1u << 3,  // kg::Gazetteer matches
  kFeatDocument = 1u << 4,   // how the same word is written elsewhere in the article
  kFeatClusters = 1u << 5,   // unsupervised word clusters
  // The tags another tagger (the "guide") gave each token: stacking. Not in kAllFeatures: the
  // caller must pass the guide's tags to Extract() (see core/conll04_tagger.h); a model with
  // this bit tagged without them sees every guide tag as "O".
  kFeatGuide = 1u << 6,
  // Matches of the tokens against NerResources::entity_phrases (entity strings of a labelled
  // training split, with their types). Not in kAllFeatures: a model with this bit stores the
  // phrases (see ner_model.h). Training must jackknife them (NerTrainOptions::entity_codes).
  kFeatEntityPhrases = 1u << 7,
};
inline constexpr uint32_t kAllFeatures = (1u << 6) - 1;
// Every group a model file may record.
inline constexpr uint32_t kKnownFeatures = kAllFeatures | kFeatGuide | kFeatEntityPhrases;

// 64-bit FNV-1a, and the same over ASCII-lower-cased bytes.
uint64_t HashBytes(std::string_view text);
uint64_t HashLower(std::string_view text);

// HashBytes(WordShape(word, collapse)) without building the string.
uint64_t ShapeHash(std::string_view word, bool collapse);

// "Xxxxx" -> "Xx" when `collapse`, else one symbol per character (X x d, others kept) truncated
// to 12 symbols: "U.S." -> "X.X.", "1996-08-22" -> "dddd-dd-dd".
std::string WordShape(std::string_view word, bool collapse);

// Knowledge from outside the labelled data that the model file carries with it, so that a model
// tags the same way on every machine.
struct NerResources {
  std::unordered_set<uint64_t> lower_words;   // HashBytes of lower-case word-list entries
  std::unordered_set<uint64_t> proper_words;  // HashLower of capitalised word-list entries
  // HashLower(word) -> (coarse cluster << 16) | fine cluster, both 1-based.
  std::unordered_map<uint64_t, uint32_t> clusters;
  // PhraseHash of an entity string -> bit set of the types it was seen with (bit 0 PER, 1 ORG,
  // 2 LOC, 3 MISC). Used only by kFeatEntityPhrases.
  std::unordered_map<uint64_t, uint32_t> entity_phrases;
};

// Entity phrases longer than this many tokens are neither stored nor matched.
inline constexpr size_t kMaxEntityPhrase = 8;

// The hash of words[begin, end) compared case-insensitively (entity_phrases' key).
uint64_t PhraseHash(const std::vector<std::string>& words, size_t begin, size_t end);

// Adds the entities of one tagged sentence (IOB2 tags as kTagNames names) to `phrases`.
void AddEntityPhrases(const std::vector<std::string>& words, const std::vector<std::string>& tags,
                      std::unordered_map<uint64_t, uint32_t>* phrases);

// Per token: 0 outside any match, else (types << 2) | 1 for a match's first token, | 2 inside,
// of the longest phrase of `phrases` matching at each point (left to right, no overlaps).
std::vector<uint32_t> EntityPhraseCodes(const std::unordered_map<uint64_t, uint32_t>& phrases,
                                        const std::vector<std::string>& words);

// Open-addressing map from a nonzero 64-bit hash to a 32-bit value: one probe sequence in one
// flat array, so look-ups cost about one cache miss (std::unordered_map costs two or more).
class FlatHashMap64 {
 public:
  void Reserve(size_t count);
  // Sets the value of `key` (0 is stored as 1), or ORs into it when `merge`.
  void Put(uint64_t key, uint32_t value, bool merge);
  // The value of `key`, or 0 when absent.
  uint32_t Get(uint64_t key) const {
    if (slots_.empty()) return 0;
    if (key == 0) key = 1;
    for (size_t i = Slot(key);; i = (i + 1) & mask_) {
      if (slots_[i].key == key) return slots_[i].value;
      if (slots_[i].key == 0) return 0;
    }
  }
  size_t size() const { return size_; }

 private:
  struct Entry {
    uint64_t key = 0;
    uint32_t value = 0;
  };
  size_t Slot(uint64_t key) const { return (key * 0x9E3779B97F4A7C15ull) >> shift_; }
  void Grow();
  std::vector<Entry> slots_;
  size_t mask_ = 0;
  unsigned shift_ = 64;
  size_t size_ = 0;
};

// Per-article casing evidence (kFeatDocument); built once per document.
struct NerDocContext {
  // HashLower(word) -> bits (never 0 once present), see ner_features.cc. A flat map: built for
  // every article and asked once per new word of it.
  FlatHashMap64 flags;
};

// Buckets of every token of one sentence: token i has buckets[offsets[i] .. offsets[i+1]).
struct FeatureBuffer {
  std::vector<uint32_t> buckets;
  std::vector<uint32_t> offsets;
};

// Tagging-time features in parts, together the same buckets per token as
// FeatureExtractor::Extract (as a multiset: the order differs). Most features of a token depend
// on one word only: its own form (identity, shape, affixes, flags, word list, cluster, document
// flags), or the form of the word 1 or 2 positions before or after it (that word's lower case,
// shape, word list, cluster). Those are computed once per distinct (form, headline) of a
// document and kept here; only the features that combine several positions are computed per
// position. Holds views into the words passed to ExtractSplit: clear it (or let it die) before
// those words do, and whenever the NerDocContext changes.
struct NerWordCache {
  // The features an entry gives: to its own token, and to the token 1 or 2 after / before it.
  enum Part { kOwn, kToNext, kToNext2, kToPrev, kToPrev2, kNumParts };
  // Entries 0 and 1 stand for the padding before the first and after the last token.
  static constexpr uint32_t kStartId = 0;
  static constexpr uint32_t kEndId = 1;
  struct Entry {
    std::string_view form;
    bool headline = false;
    uint8_t casing = 0;  // CasingOf(form)
    uint8_t doc = 0;     // NerDocContext flags of the form
    uint64_t word_hash = 0;  // HashBytes(form)
    uint64_t lower = 0;  // HashLower(form)
    uint64_t shape = 0;  // ShapeHash(form, true)
    uint64_t word_list = 0;
    uint64_t cluster = 0;
    // Part p: buckets[parts[p], parts[p + 1]).
    uint32_t parts[kNumParts + 1] = {};
  };
  FlatHashMap64 index;  // hash of (form, headline) -> entry + 1
  std::vector<Entry> entries;
  std::vector<uint32_t> buckets;
  // When set (before the first ExtractSplit), the features of a new word entry that do not
  // depend on the document are left to the caller, which gets them from
  // FeatureExtractor::WordBuckets (and may keep them across documents): such an entry's kOwn
  // part holds only its document feature (kFeatDocument), its other parts are empty, and its
  // word_list and cluster are not filled in. The two padding entries are complete either way.
  bool shared_words = false;
};

// Where FeatureExtractor::WordBuckets puts its parts: part p is buckets[parts[p], parts[p + 1]).
struct WordBucketParts {
  uint32_t parts[NerWordCache::kNumParts + 1] = {};
};

// The per-sentence output of ExtractSplit: token i has part kOwn of cache.entries[word_ids[i]],
// kToNext of the entry before it (kStartId before the first token), kToNext2 of the one two
// before, kToPrev and kToPrev2 of the ones after it (kEndId past the end), the features of
// codes[i * kCodesPerToken .. (i + 1) * kCodesPerToken) (FeatureExtractor::CodeBuckets), and
// the features buckets[offsets[i] .. offsets[i+1]).
struct SplitFeatureBuffer {
  // The per-position features with few possible values (position and casing, document flags
  // with casing, gazetteer categories of the token and its neighbours) come as codes, which
  // stand for fixed buckets: a caller can sum each code's weights once, not per token.
  static constexpr size_t kCodesPerToken = 4;
  std::vector<uint32_t> word_ids;
  std::vector<uint32_t> codes;
  std::vector<uint32_t> buckets;
  std::vector<uint32_t> offsets;
  std::vector<uint32_t> gaz;  // ExtractSplit's scratch: the gazetteer category of every token
};

class FeatureExtractor {
 public:
  // Copies what it needs of `resources`. Borrows `gazetteer` (may be null: no gazetteer
  // features), which must outlive the extractor.
  FeatureExtractor(const NerResources& resources, const Gazetteer* gazetteer, uint32_t groups,
                   uint32_t hash_bits);

  NerDocContext AnalyzeDocument(const std::vector<std::vector<std::string>>& sentences) const;

  // Fills `out` with the features of every word of `words` (one sentence of the document that
  // `doc` describes).
  void Extract(const std::vector<std::string>& words, const NerDocContext& doc,
               FeatureBuffer* out) const;
  // The same with the guide tagger's tag (kTagNames index) for every word; `guide` may be null
  // (no guide features) and is ignored unless groups() has kFeatGuide.
  void Extract(const std::vector<std::string>& words, const NerDocContext& doc,
               const std::vector<int>* guide, FeatureBuffer* out) const;
  // The same with the phrase codes (EntityPhraseCodes) for every word given by the caller
  // (training jackknifes them); null = match the extractor's own phrases. Ignored unless
  // groups() has kFeatEntityPhrases.
  void Extract(const std::vector<std::string>& words, const NerDocContext& doc,
               const std::vector<int>* guide, const std::vector<uint32_t>* phrase_codes,
               FeatureBuffer* out) const;

  // Extract() split into own and context features, the own ones cached in `cache` (see
  // NerWordCache). No guide tags (kFeatGuide sees every guide tag as "O"); the extractor's own
  // entity phrases.
  void ExtractSplit(const std::vector<std::string>& words, const NerDocContext& doc,
                    NerWordCache* cache, SplitFeatureBuffer* out) const;

  // Appends to `buckets` the features of the word `form` (in a headline sentence or not) that
  // depend on nothing else in its document, by NerWordCache part: with the parts ExtractSplit
  // leaves out when NerWordCache::shared_words is set, together the entry's whole features.
  // Clears `buckets` first.
  void WordBuckets(std::string_view form, bool headline, std::vector<uint32_t>* buckets,
                   WordBucketParts* parts) const;

  // The buckets a code of SplitFeatureBuffer::codes stands for (possibly none); codes run from
  // 0 to code_count() - 1.
  std::span<const uint32_t> CodeBuckets(uint32_t code) const {
    return std::span<const uint32_t>(code_buckets_).subspan(
        code_offsets_[code], code_offsets_[code + 1] - code_offsets_[code]);
  }
  uint32_t code_count() const { return static_cast<uint32_t>(code_offsets_.size() - 1); }

  uint32_t groups() const { return groups_; }
  uint32_t hash_bits() const { return hash_bits_; }

 private:
  // Fills code_buckets_ and code_offsets_ (see CodeBuckets and ner_features.cc's code layout).
  void BuildCodes();
  // Fills the document-independent fields of `e` and appends its own features but the document
  // one (kOwn, without kDocFlags) to `buckets`.
  void AddOwnBuckets(std::string_view form, bool headline, uint64_t word_hash,
                     NerWordCache::Entry* e, std::vector<uint32_t>* buckets) const;
  // Appends the features `e` gives its neighbours, setting its parts from kToNext on.
  void AddNeighbourParts(NerWordCache::Entry* e, std::vector<uint32_t>* buckets) const;

  // HashLower(word) -> word-list bits (1 << 30 lower-case entry, 1 << 31 proper noun) | cluster
  // (coarse << 16 | fine; fine < 2^16, coarse < 2^8).
  FlatHashMap64 lexicon_;
  std::unordered_map<uint64_t, uint32_t> entity_phrases_;
  const Gazetteer* gazetteer_;
  uint32_t groups_;
  uint32_t hash_bits_;
  // Code c stands for code_buckets_[code_offsets_[c] .. code_offsets_[c + 1]).
  std::vector<uint32_t> code_buckets_;
  std::vector<uint32_t> code_offsets_;
};

}  // namespace kg::ner
