#include "kg/core/ner_features.h"

#include <algorithm>
#include <bit>

#include "kg/core/gazetteer.h"
#include "kg/core/labels.h"

namespace kg::ner {
namespace {

// Template ids: mixed into every feature hash. Persisted implicitly (a model's weights are keyed
// by them): never renumber, append only.
enum Template : uint64_t {
  kBias = 1,
  kWord,
  kLower,
  kShape,
  kLongShape,
  kPrefix1,  // kPrefix1..kPrefix4 consecutive
  kPrefix2,
  kPrefix3,
  kPrefix4,
  kSuffix1,  // kSuffix1..kSuffix4 consecutive
  kSuffix2,
  kSuffix3,
  kSuffix4,
  kFlags,
  kPosition,
  kPrevLower,
  kNextLower,
  kPrevShape,
  kNextShape,
  kPrev2Lower,
  kNext2Lower,
  kPrev2Shape,
  kNext2Shape,
  kBigramPrev,
  kBigramNext,
  kShapeTrigram,
  kWordList,
  kWordListPrev,
  kWordListNext,
  kGaz,
  kGazPrev,
  kGazNext,
  kDocFlags,
  kDocFlagsShape,
  kClusterFine,
  kClusterCoarse,
  kClusterPrev,
  kClusterNext,
  kHeadlineShape,
  kLowerShapeHeadline,
  kGazLower,
  kGuideTag,
  kGuidePrev,
  kGuideNext,
  kGuideLower,
  kGuideShape,
  kGuideTrigram,
  kPhrase,
  kPhrasePrev,
  kPhraseNext,
  kPhraseShape,
};

// Doc-context bits.
enum DocBit : uint8_t {
  kDocTitleInside = 1,  // written Xxxx somewhere not at a sentence start, outside headlines
  kDocLower = 2,        // written in lower case somewhere
  kDocAllCaps = 4,      // written XXXX outside headlines (an acronym)
  kDocRunFirst = 8,     // first word of a run of >= 2 capitalised words
  kDocRunLast = 16,     // last word of such a run
  kDocRunMiddle = 32,
};

inline uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

inline uint64_t Combine(uint64_t a, uint64_t b) { return Mix(a * 0x100000001B3ull ^ b); }

inline char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
inline bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool IsLowerChar(char c) { return c >= 'a' && c <= 'z'; }
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

enum Casing : uint8_t { kCaseOther, kCaseLower, kCaseTitle, kCaseUpper, kCaseMixed };

Casing CasingOf(std::string_view w) {
  bool upper = false, lower = false;
  for (char c : w) {
    if (IsUpper(c)) upper = true;
    else if (IsLowerChar(c)) lower = true;
  }
  if (!upper && !lower) return kCaseOther;
  if (!upper) return kCaseLower;
  if (!lower) return kCaseUpper;
  if (IsUpper(w[0])) {
    for (size_t i = 1; i < w.size(); ++i) {
      if (IsUpper(w[i])) return kCaseMixed;
    }
    return kCaseTitle;
  }
  return kCaseMixed;
}

// A headline: every cased word is in capitals (CoNLL headlines, shouted titles).
bool IsHeadline(const std::vector<std::string>& words) {
  int upper = 0;
  for (const auto& w : words) {
    Casing c = CasingOf(w);
    if (c == kCaseLower || c == kCaseTitle || c == kCaseMixed) return false;
    if (c == kCaseUpper && w.size() > 1) ++upper;
  }
  return upper >= 2;
}

uint32_t GazCategory(const GazetteerEntry& e) {
  if (e.kind == GazetteerKind::kDemonym) return 1;
  if (e.kind == GazetteerKind::kCapital) return 2;
  if (e.kind == GazetteerKind::kCode) return 3;
  if (e.label == labels::kCountry) return 4;
  if (e.label == labels::kPlace) return 5;
  if (e.label == labels::kGroup) return 6;
  if (e.label == labels::kPosition) return 7;
  return 8;
}

struct TokenInfo {
  uint64_t word;
  uint64_t lower;
  uint64_t shape;
  uint64_t long_shape;
  uint32_t gaz;  // 0 none, else category * 2 + (inside ? 1 : 0)
  uint32_t word_list;
  uint32_t cluster;
  uint8_t doc;
};

constexpr uint32_t kLexLower = 1u << 30;
constexpr uint32_t kLexProper = 1u << 31;
constexpr uint32_t kLexCluster = (1u << 24) - 1;

constexpr uint64_t kPadStart = 0x5354415254ull;  // "START"
constexpr uint64_t kPadEnd = 0x454E44ull;        // "END"

// Layout of ExtractSplit's codes (SplitFeatureBuffer::codes, four per token):
// - the token code: position (1 first, 2 second, 3 last, 4 other) x casing x document flags x
//   headline, standing for kPosition twice and kDocFlagsShape;
// - the gazetteer category of the token (0-17), and of the tokens before and after it (0-17,
//   or one of the two paddings), standing for kGaz, kGazPrev and kGazNext;
// - an empty code, in the gazetteer codes' places when that group is off.
constexpr uint32_t kNumCasings = 5;  // Casing values
constexpr uint32_t kNumDocFlags = 64;  // DocBit sets
static_assert(kDocRunMiddle * 2 == kNumDocFlags);
constexpr uint32_t kNumGazValues = 18;  // 0, or GazCategory (1-8) * 2 + inside
constexpr uint32_t kGazPadStart = kNumGazValues;
constexpr uint32_t kGazPadEnd = kNumGazValues + 1;
constexpr uint32_t kTokenCodes = 4 * kNumCasings * kNumDocFlags * 2;
constexpr uint32_t kGazCodeBase = kTokenCodes;
constexpr uint32_t kGazPrevCodeBase = kGazCodeBase + kNumGazValues;
constexpr uint32_t kGazNextCodeBase = kGazPrevCodeBase + kNumGazValues + 2;
constexpr uint32_t kEmptyCode = kGazNextCodeBase + kNumGazValues + 2;
constexpr uint32_t kNumCodes = kEmptyCode + 1;

constexpr uint32_t TokenCode(uint32_t position, uint32_t casing, uint32_t doc, bool headline) {
  return (((position - 1) * kNumCasings + casing) * kNumDocFlags + doc) * 2 + (headline ? 1 : 0);
}

// The value a gazetteer feature hashes for a padding or category code value.
uint64_t GazValue(uint32_t v) {
  return v == kGazPadStart ? kPadStart : v == kGazPadEnd ? kPadEnd : v;
}

}  // namespace

int TagIndex(std::string_view tag) {
  for (int i = 0; i < kNumTags; ++i) {
    if (kTagNames[i] == tag) return i;
  }
  return -1;
}

uint64_t HashBytes(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

uint64_t HashLower(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : text) {
    h ^= static_cast<unsigned char>(Lower(c));
    h *= 0x100000001b3ull;
  }
  return h;
}

uint64_t PhraseHash(const std::vector<std::string>& words, size_t begin, size_t end) {
  uint64_t h = 0x50485241ull;  // "PHRA"
  for (size_t k = begin; k < end; ++k) h = Combine(h, HashLower(words[k]));
  return h;
}

void AddEntityPhrases(const std::vector<std::string>& words, const std::vector<std::string>& tags,
                      std::unordered_map<uint64_t, uint32_t>* phrases) {
  const size_t n = std::min(words.size(), tags.size());
  for (size_t i = 0; i < n; ++i) {
    const int tag = TagIndex(tags[i]);
    if (!IsBegin(tag)) continue;
    size_t j = i + 1;
    while (j < n && TagIndex(tags[j]) == tag + 1) ++j;
    if (j - i <= kMaxEntityPhrase) (*phrases)[PhraseHash(words, i, j)] |= 1u << ((tag - 1) / 2);
  }
}

std::vector<uint32_t> EntityPhraseCodes(const std::unordered_map<uint64_t, uint32_t>& phrases,
                                        const std::vector<std::string>& words) {
  const size_t n = words.size();
  std::vector<uint32_t> codes(n, 0);
  if (phrases.empty()) return codes;
  for (size_t i = 0; i < n;) {
    size_t best_end = 0;
    uint32_t best_types = 0;
    uint64_t h = 0x50485241ull;
    for (size_t j = i; j < n && j - i < kMaxEntityPhrase; ++j) {
      h = Combine(h, HashLower(words[j]));
      if (auto it = phrases.find(h); it != phrases.end()) {
        best_end = j + 1;
        best_types = it->second;
      }
    }
    if (best_end == 0) {
      ++i;
      continue;
    }
    for (size_t k = i; k < best_end; ++k) codes[k] = best_types << 2 | (k == i ? 1u : 2u);
    i = best_end;
  }
  return codes;
}

void FlatHashMap64::Reserve(size_t count) {
  if (slots_.empty() && count > 32) {
    // Straight to the final size: no rehashing of a table that is empty anyway.
    const size_t capacity = std::bit_ceil(2 * count);
    slots_.assign(capacity, Entry{});
    mask_ = capacity - 1;
    shift_ = 64 - static_cast<unsigned>(std::countr_zero(capacity));
    return;
  }
  while (slots_.size() < 2 * count) Grow();
}

void FlatHashMap64::Grow() {
  std::vector<Entry> old = std::move(slots_);
  size_t capacity = old.empty() ? 64 : old.size() * 2;
  slots_.assign(capacity, Entry{});
  mask_ = capacity - 1;
  shift_ = 64 - static_cast<unsigned>(std::countr_zero(capacity));
  size_ = 0;
  for (const auto& e : old) {
    if (e.key != 0) Put(e.key, e.value, false);
  }
}

void FlatHashMap64::Put(uint64_t key, uint32_t value, bool merge) {
  if (key == 0) key = 1;
  if (2 * (size_ + 1) > slots_.size()) Grow();
  for (size_t i = Slot(key);; i = (i + 1) & mask_) {
    if (slots_[i].key == key) {
      slots_[i].value = merge ? (slots_[i].value | value) : value;
      return;
    }
    if (slots_[i].key == 0) {
      slots_[i] = Entry{key, value};
      ++size_;
      return;
    }
  }
}

uint64_t ShapeHash(std::string_view word, bool collapse) {
  uint64_t h = 0xcbf29ce484222325ull;
  char last = 0;
  size_t len = 0;
  for (char c : word) {
    char s = IsUpper(c) ? 'X' : IsLowerChar(c) ? 'x' : IsDigit(c) ? 'd' : c;
    if (static_cast<unsigned char>(c) >= 0x80) s = 'u';
    if (collapse) {
      if (len > 0 && last == s) continue;
    } else if (len >= 12) {
      break;
    }
    h ^= static_cast<unsigned char>(s);
    h *= 0x100000001b3ull;
    last = s;
    ++len;
  }
  return h;
}

std::string WordShape(std::string_view word, bool collapse) {
  std::string out;
  for (char c : word) {
    char s = IsUpper(c) ? 'X' : IsLowerChar(c) ? 'x' : IsDigit(c) ? 'd' : c;
    if (static_cast<unsigned char>(c) >= 0x80) s = 'u';
    if (collapse) {
      if (!out.empty() && out.back() == s) continue;
    } else if (out.size() >= 12) {
      break;
    }
    out.push_back(s);
  }
  return out;
}

FeatureExtractor::FeatureExtractor(const NerResources& resources, const Gazetteer* gazetteer,
                                   uint32_t groups, uint32_t hash_bits)
    : gazetteer_(gazetteer), groups_(groups), hash_bits_(hash_bits) {
  if (groups_ & kFeatEntityPhrases) entity_phrases_ = resources.entity_phrases;
  lexicon_.Reserve(resources.lower_words.size() + resources.proper_words.size() +
                   resources.clusters.size());
  if (groups_ & kFeatWordList) {
    for (uint64_t h : resources.lower_words) lexicon_.Put(h, kLexLower, true);
    for (uint64_t h : resources.proper_words) lexicon_.Put(h, kLexProper, true);
  }
  if (groups_ & kFeatClusters) {
    for (const auto& [h, cluster] : resources.clusters) {
      lexicon_.Put(h, ((cluster >> 16) & 0xFF) << 16 | (cluster & 0xFFFF), true);
    }
  }
  BuildCodes();
}

void FeatureExtractor::BuildCodes() {
  // Keep in step with Extract(): tests/core/ner_features_split_test.cc compares the two.
  const uint32_t shift = 64 - hash_bits_;
  auto bucket = [shift](uint64_t tmpl, uint64_t value) {
    return static_cast<uint32_t>(Combine(tmpl, value) >> shift);
  };
  code_buckets_.clear();
  code_offsets_.assign(1, 0);
  code_offsets_.reserve(kNumCodes + 1);
  auto close_code = [&] { code_offsets_.push_back(static_cast<uint32_t>(code_buckets_.size())); };
  for (uint32_t position = 1; position <= 4; ++position) {
    const bool first = position == 1;
    for (uint32_t casing = 0; casing < kNumCasings; ++casing) {
      for (uint32_t doc = 0; doc < kNumDocFlags; ++doc) {
        for (bool headline : {false, true}) {
          code_buckets_.push_back(bucket(kPosition, position));
          code_buckets_.push_back(bucket(kPosition, (first ? 10 : 20) + casing));
          if (groups_ & kFeatDocument) {
            code_buckets_.push_back(bucket(
                kDocFlagsShape, Combine(doc, Combine(casing, first || headline))));
          }
          close_code();
        }
      }
    }
  }
  for (uint32_t v = 0; v < kNumGazValues; ++v) {
    code_buckets_.push_back(bucket(kGaz, v));
    close_code();
  }
  for (uint64_t tmpl : {kGazPrev, kGazNext}) {
    for (uint32_t v = 0; v < kNumGazValues + 2; ++v) {
      code_buckets_.push_back(bucket(tmpl, GazValue(v)));
      close_code();
    }
  }
  close_code();  // kEmptyCode
}

NerDocContext FeatureExtractor::AnalyzeDocument(
    const std::vector<std::vector<std::string>>& sentences) const {
  NerDocContext ctx;
  if (!(groups_ & kFeatDocument)) return ctx;
  size_t tokens = 0;
  for (const auto& words : sentences) tokens += words.size();
  ctx.flags.Reserve(tokens);  // at most one entry per token: the map never grows
  for (const auto& words : sentences) {
    if (IsHeadline(words)) continue;
    size_t run_start = 0;
    auto close_run = [&](size_t end) {
      // A run of capitalised words [run_start, end) not starting the sentence.
      if (end - run_start >= 2 && run_start > 0) {
        ctx.flags.Put(HashLower(words[run_start]), kDocRunFirst, true);
        ctx.flags.Put(HashLower(words[end - 1]), kDocRunLast, true);
        for (size_t k = run_start + 1; k + 1 < end; ++k) {
          ctx.flags.Put(HashLower(words[k]), kDocRunMiddle, true);
        }
      }
    };
    for (size_t i = 0; i < words.size(); ++i) {
      const auto& w = words[i];
      Casing c = CasingOf(w);
      uint64_t h = HashLower(w);
      if (c == kCaseLower) ctx.flags.Put(h, kDocLower, true);
      if (c == kCaseTitle && i > 0) ctx.flags.Put(h, kDocTitleInside, true);
      if (c == kCaseUpper && w.size() > 1) ctx.flags.Put(h, kDocAllCaps, true);
      bool cap = c == kCaseTitle || c == kCaseUpper || c == kCaseMixed;
      if (!cap) {
        close_run(i);
        run_start = i + 1;
      }
    }
    close_run(words.size());
  }
  return ctx;
}

void FeatureExtractor::Extract(const std::vector<std::string>& words, const NerDocContext& doc,
                               FeatureBuffer* out) const {
  Extract(words, doc, nullptr, out);
}

void FeatureExtractor::Extract(const std::vector<std::string>& words, const NerDocContext& doc,
                               const std::vector<int>* guide, FeatureBuffer* out) const {
  Extract(words, doc, guide, nullptr, out);
}

void FeatureExtractor::Extract(const std::vector<std::string>& words, const NerDocContext& doc,
                               const std::vector<int>* guide,
                               const std::vector<uint32_t>* phrase_codes,
                               FeatureBuffer* out) const {
  const size_t n = words.size();
  out->buckets.clear();
  out->offsets.assign(1, 0);
  if (n == 0) return;
  const bool headline = IsHeadline(words);

  std::vector<TokenInfo> info(n);
  for (size_t i = 0; i < n; ++i) {
    const auto& w = words[i];
    TokenInfo& t = info[i];
    t.word = HashBytes(w);
    t.lower = HashLower(w);
    t.shape = ShapeHash(w, true);
    t.long_shape = ShapeHash(w, false);
    t.gaz = 0;
    const uint32_t lex = lexicon_.Get(t.lower);
    t.word_list = 0;
    if (groups_ & kFeatWordList) {
      // A lower-case dictionary word written capitalised is probably a sentence start or a
      // headline; a dictionary proper noun is probably a name.
      t.word_list = 1 + ((lex & kLexLower) ? 1 : 0) + ((lex & kLexProper) ? 2 : 0);
    }
    t.cluster = lex & kLexCluster;
    t.doc = 0;
    if (groups_ & kFeatDocument) {
      t.doc = static_cast<uint8_t>(doc.flags.Get(t.lower));  // 0 when absent
    }
  }
  if ((groups_ & kFeatGazetteer) && gazetteer_ != nullptr) {
    for (const auto& m : gazetteer_->FindAll(words)) {
      uint32_t cat = GazCategory(*m.entry);
      for (size_t k = m.begin; k < m.end; ++k) info[k].gaz = cat * 2 + (k > m.begin ? 1 : 0);
    }
  }

  std::vector<uint32_t> own_codes;
  if ((groups_ & kFeatEntityPhrases) && phrase_codes == nullptr) {
    own_codes = EntityPhraseCodes(entity_phrases_, words);
    phrase_codes = &own_codes;
  }

  const uint32_t shift = 64 - hash_bits_;
  auto emit = [&](uint64_t tmpl, uint64_t value) {
    out->buckets.push_back(static_cast<uint32_t>(Combine(tmpl, value) >> shift));
  };
  auto lower_at = [&](long k) -> uint64_t {
    if (k < 0) return kPadStart;
    if (k >= static_cast<long>(n)) return kPadEnd;
    return info[k].lower;
  };
  auto shape_at = [&](long k) -> uint64_t {
    if (k < 0) return kPadStart;
    if (k >= static_cast<long>(n)) return kPadEnd;
    return info[k].shape;
  };
  auto field_at = [&](long k, uint32_t TokenInfo::*field) -> uint64_t {
    if (k < 0) return kPadStart;
    if (k >= static_cast<long>(n)) return kPadEnd;
    return info[k].*field;
  };

  for (size_t i = 0; i < n; ++i) {
    const long li = static_cast<long>(i);
    const TokenInfo& t = info[i];
    const std::string_view w = words[i];
    emit(kBias, 0);
    emit(kWord, t.word);
    emit(kLower, t.lower);
    emit(kShape, t.shape);
    emit(kLongShape, t.long_shape);

    if (groups_ & kFeatAffixes) {
      uint64_t h = 0xcbf29ce484222325ull;
      for (size_t k = 0; k < 4 && k < w.size(); ++k) {
        h = (h ^ static_cast<unsigned char>(Lower(w[k]))) * 0x100000001b3ull;
        emit(kPrefix1 + k, h);
      }
      h = 0xcbf29ce484222325ull;
      for (size_t k = 0; k < 4 && k < w.size(); ++k) {
        h = (h ^ static_cast<unsigned char>(Lower(w[w.size() - 1 - k]))) * 0x100000001b3ull;
        emit(kSuffix1 + k, h);
      }
    }

    uint64_t flags = CasingOf(w);
    bool digit = false, hyphen = false, period = false, amp = false;
    for (char c : w) {
      digit |= IsDigit(c);
      hyphen |= c == '-';
      period |= c == '.';
      amp |= c == '&';
    }
    flags |= (digit ? 8u : 0u) | (hyphen ? 16u : 0u) | (period ? 32u : 0u) | (amp ? 64u : 0u) |
             (headline ? 128u : 0u) | (w.size() == 1 ? 256u : 0u);
    emit(kFlags, flags);
    emit(kPosition, i == 0 ? 1 : i == 1 ? 2 : i + 1 == n ? 3 : 4);
    emit(kPosition, (i == 0 ? 10 : 20) + CasingOf(w));

    emit(kPrevLower, lower_at(li - 1));
    emit(kNextLower, lower_at(li + 1));
    emit(kPrevShape, shape_at(li - 1));
    emit(kNextShape, shape_at(li + 1));
    emit(kShapeTrigram, Combine(Combine(shape_at(li - 1), t.shape), shape_at(li + 1)));
    if (groups_ & kFeatContext2) {
      emit(kPrev2Lower, lower_at(li - 2));
      emit(kNext2Lower, lower_at(li + 2));
      emit(kPrev2Shape, shape_at(li - 2));
      emit(kNext2Shape, shape_at(li + 2));
      emit(kBigramPrev, Combine(lower_at(li - 1), t.lower));
      emit(kBigramNext, Combine(t.lower, lower_at(li + 1)));
    }
    if (headline) {
      // Headlines hide the casing: let the word itself and its shape speak separately.
      emit(kHeadlineShape, t.shape);
      emit(kLowerShapeHeadline, t.lower);
    }

    if (groups_ & kFeatWordList) {
      emit(kWordList, Combine(t.word_list, flags & 7));
      emit(kWordListPrev, field_at(li - 1, &TokenInfo::word_list));
      emit(kWordListNext, field_at(li + 1, &TokenInfo::word_list));
    }
    if (groups_ & kFeatGazetteer) {
      emit(kGaz, t.gaz);
      emit(kGazPrev, field_at(li - 1, &TokenInfo::gaz));
      emit(kGazNext, field_at(li + 1, &TokenInfo::gaz));
      if (t.gaz != 0) emit(kGazLower, Combine(t.gaz, t.lower));
    }
    if (groups_ & kFeatDocument) {
      emit(kDocFlags, t.doc);
      emit(kDocFlagsShape, Combine(t.doc, Combine(flags & 7, i == 0 || headline)));
    }
    if (groups_ & kFeatClusters) {
      emit(kClusterFine, t.cluster & 0xFFFF);
      emit(kClusterCoarse, t.cluster >> 16);
      emit(kClusterPrev, field_at(li - 1, &TokenInfo::cluster));
      emit(kClusterNext, field_at(li + 1, &TokenInfo::cluster));
    }
    if (groups_ & kFeatGuide) {
      // A missing guide tag counts as "O" (index 0).
      auto guide_at = [&](long k) -> uint64_t {
        if (k < 0) return kPadStart;
        if (k >= static_cast<long>(n)) return kPadEnd;
        return guide != nullptr && static_cast<size_t>(k) < guide->size()
                   ? static_cast<uint64_t>((*guide)[static_cast<size_t>(k)])
                   : 0;
      };
      const uint64_t g = guide_at(li);
      emit(kGuideTag, g);
      emit(kGuidePrev, guide_at(li - 1));
      emit(kGuideNext, guide_at(li + 1));
      emit(kGuideLower, Combine(g, t.lower));
      emit(kGuideShape, Combine(g, t.shape));
      emit(kGuideTrigram, Combine(Combine(guide_at(li - 1), g), guide_at(li + 1)));
    }
    if (groups_ & kFeatEntityPhrases) {
      auto code_at = [&](long k) -> uint64_t {
        if (k < 0) return kPadStart;
        if (k >= static_cast<long>(n)) return kPadEnd;
        return static_cast<size_t>(k) < phrase_codes->size()
                   ? (*phrase_codes)[static_cast<size_t>(k)]
                   : 0;
      };
      const uint64_t code = code_at(li);
      emit(kPhrase, code);
      emit(kPhrasePrev, code_at(li - 1));
      emit(kPhraseNext, code_at(li + 1));
      emit(kPhraseShape, Combine(code, t.shape));
    }
    out->offsets.push_back(static_cast<uint32_t>(out->buckets.size()));
  }
}

void FeatureExtractor::AddOwnBuckets(std::string_view w, bool headline, uint64_t word_hash,
                                     NerWordCache::Entry* e,
                                     std::vector<uint32_t>* buckets) const {
  // Keep in step with Extract(): tests/core/ner_features_split_test.cc compares the two.
  const uint32_t shift = 64 - hash_bits_;
  auto bucket = [shift](uint64_t tmpl, uint64_t value) {
    return static_cast<uint32_t>(Combine(tmpl, value) >> shift);
  };
  std::vector<uint32_t>& cached = *buckets;
  e->form = w;
  e->headline = headline;
  e->casing = CasingOf(w);
  e->lower = HashLower(w);
  e->shape = ShapeHash(w, true);
  const uint32_t lex = lexicon_.Get(e->lower);
  if (groups_ & kFeatWordList) {
    e->word_list = 1 + ((lex & kLexLower) ? 1 : 0) + ((lex & kLexProper) ? 2 : 0);
  }
  e->cluster = lex & kLexCluster;
  e->parts[NerWordCache::kOwn] = static_cast<uint32_t>(cached.size());
  cached.push_back(bucket(kBias, 0));
  cached.push_back(bucket(kWord, word_hash));
  cached.push_back(bucket(kLower, e->lower));
  cached.push_back(bucket(kShape, e->shape));
  cached.push_back(bucket(kLongShape, ShapeHash(w, false)));
  if (groups_ & kFeatAffixes) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t k = 0; k < 4 && k < w.size(); ++k) {
      h = (h ^ static_cast<unsigned char>(Lower(w[k]))) * 0x100000001b3ull;
      cached.push_back(bucket(kPrefix1 + k, h));
    }
    h = 0xcbf29ce484222325ull;
    for (size_t k = 0; k < 4 && k < w.size(); ++k) {
      h = (h ^ static_cast<unsigned char>(Lower(w[w.size() - 1 - k]))) * 0x100000001b3ull;
      cached.push_back(bucket(kSuffix1 + k, h));
    }
  }
  uint64_t flags = e->casing;
  bool digit = false, hyphen = false, period = false, amp = false;
  for (char c : w) {
    digit |= IsDigit(c);
    hyphen |= c == '-';
    period |= c == '.';
    amp |= c == '&';
  }
  flags |= (digit ? 8u : 0u) | (hyphen ? 16u : 0u) | (period ? 32u : 0u) | (amp ? 64u : 0u) |
           (headline ? 128u : 0u) | (w.size() == 1 ? 256u : 0u);
  cached.push_back(bucket(kFlags, flags));
  if (headline) {
    cached.push_back(bucket(kHeadlineShape, e->shape));
    cached.push_back(bucket(kLowerShapeHeadline, e->lower));
  }
  if (groups_ & kFeatWordList) {
    cached.push_back(bucket(kWordList, Combine(e->word_list, flags & 7)));
  }
  if (groups_ & kFeatClusters) {
    cached.push_back(bucket(kClusterFine, e->cluster & 0xFFFF));
    cached.push_back(bucket(kClusterCoarse, e->cluster >> 16));
  }
}

void FeatureExtractor::AddNeighbourParts(NerWordCache::Entry* e,
                                         std::vector<uint32_t>* buckets) const {
  using Cache = NerWordCache;
  const uint32_t shift = 64 - hash_bits_;
  auto bucket = [shift](uint64_t tmpl, uint64_t value) {
    return static_cast<uint32_t>(Combine(tmpl, value) >> shift);
  };
  std::vector<uint32_t>& cached = *buckets;
  e->parts[Cache::kToNext] = static_cast<uint32_t>(cached.size());
  cached.push_back(bucket(kPrevLower, e->lower));
  cached.push_back(bucket(kPrevShape, e->shape));
  if (groups_ & kFeatWordList) cached.push_back(bucket(kWordListPrev, e->word_list));
  if (groups_ & kFeatClusters) cached.push_back(bucket(kClusterPrev, e->cluster));
  e->parts[Cache::kToNext2] = static_cast<uint32_t>(cached.size());
  if (groups_ & kFeatContext2) {
    cached.push_back(bucket(kPrev2Lower, e->lower));
    cached.push_back(bucket(kPrev2Shape, e->shape));
  }
  e->parts[Cache::kToPrev] = static_cast<uint32_t>(cached.size());
  cached.push_back(bucket(kNextLower, e->lower));
  cached.push_back(bucket(kNextShape, e->shape));
  if (groups_ & kFeatWordList) cached.push_back(bucket(kWordListNext, e->word_list));
  if (groups_ & kFeatClusters) cached.push_back(bucket(kClusterNext, e->cluster));
  e->parts[Cache::kToPrev2] = static_cast<uint32_t>(cached.size());
  if (groups_ & kFeatContext2) {
    cached.push_back(bucket(kNext2Lower, e->lower));
    cached.push_back(bucket(kNext2Shape, e->shape));
  }
  e->parts[Cache::kNumParts] = static_cast<uint32_t>(cached.size());
}

void FeatureExtractor::WordBuckets(std::string_view form, bool headline,
                                   std::vector<uint32_t>* buckets, WordBucketParts* parts) const {
  buckets->clear();
  NerWordCache::Entry e;
  AddOwnBuckets(form, headline, HashBytes(form), &e, buckets);
  AddNeighbourParts(&e, buckets);
  std::copy(std::begin(e.parts), std::end(e.parts), std::begin(parts->parts));
}

void FeatureExtractor::ExtractSplit(const std::vector<std::string>& words,
                                    const NerDocContext& doc, NerWordCache* cache,
                                    SplitFeatureBuffer* out) const {
  // Keep in step with Extract(): tests/core/ner_features_split_test.cc compares the two.
  using Cache = NerWordCache;
  const size_t n = words.size();
  out->word_ids.clear();
  out->codes.clear();
  out->buckets.clear();
  out->offsets.assign(1, 0);
  if (n == 0) return;
  const bool headline = IsHeadline(words);
  const uint32_t shift = 64 - hash_bits_;
  auto bucket = [shift](uint64_t tmpl, uint64_t value) {
    return static_cast<uint32_t>(Combine(tmpl, value) >> shift);
  };
  std::vector<uint32_t>& cached = cache->buckets;
  if (cache->entries.empty()) {
    for (uint64_t pad : {kPadStart, kPadEnd}) {
      Cache::Entry e;
      e.lower = e.shape = e.word_list = e.cluster = pad;
      e.parts[Cache::kOwn] = static_cast<uint32_t>(cached.size());
      AddNeighbourParts(&e, &cached);
      cache->entries.push_back(e);
    }
  }

  for (size_t i = 0; i < n; ++i) {
    const std::string_view w = words[i];
    const uint64_t word_hash = HashBytes(w);
    const uint64_t key = Combine(word_hash, headline ? 2 : 1);
    const uint32_t found = cache->index.Get(key);
    if (found != 0) {
      const Cache::Entry& e = cache->entries[found - 1];
      if (e.form == w && e.headline == headline) {
        out->word_ids.push_back(found - 1);
        continue;
      }
    }
    Cache::Entry e;
    e.word_hash = word_hash;
    if (cache->shared_words) {
      e.form = w;
      e.headline = headline;
      e.casing = CasingOf(w);
      e.lower = HashLower(w);
      e.shape = ShapeHash(w, true);
      e.parts[Cache::kOwn] = static_cast<uint32_t>(cached.size());
    } else {
      AddOwnBuckets(w, headline, word_hash, &e, &cached);
    }
    if (groups_ & kFeatDocument) {
      e.doc = static_cast<uint8_t>(doc.flags.Get(e.lower));  // 0 when absent
      cached.push_back(bucket(kDocFlags, e.doc));
    }
    if (cache->shared_words) {
      for (int p = Cache::kToNext; p <= Cache::kNumParts; ++p) {
        e.parts[p] = static_cast<uint32_t>(cached.size());
      }
    } else {
      AddNeighbourParts(&e, &cached);
    }
    const auto id = static_cast<uint32_t>(cache->entries.size());
    cache->entries.push_back(e);
    // A hash collision with another form keeps the first one indexed; this one is not reused.
    if (found == 0) cache->index.Put(key, id + 1, false);
    out->word_ids.push_back(id);
  }

  // Gazetteer category per token (0 outside any match; all 0 without a gazetteer).
  std::vector<uint32_t>& gaz = out->gaz;
  gaz.assign(n, 0);
  if ((groups_ & kFeatGazetteer) && gazetteer_ != nullptr) {
    for (const auto& m : gazetteer_->FindAll(words)) {
      uint32_t cat = GazCategory(*m.entry);
      for (size_t k = m.begin; k < m.end; ++k) gaz[k] = cat * 2 + (k > m.begin ? 1 : 0);
    }
  }
  std::vector<uint32_t> codes;
  if (groups_ & kFeatEntityPhrases) codes = EntityPhraseCodes(entity_phrases_, words);

  const Cache::Entry* entries = cache->entries.data();
  const uint32_t* ids = out->word_ids.data();
  auto entry_at = [&](long k) -> const Cache::Entry& {
    if (k < 0) return entries[Cache::kStartId];
    if (k >= static_cast<long>(n)) return entries[Cache::kEndId];
    return entries[ids[k]];
  };
  auto at = [n](long k, auto value_of) -> uint64_t {
    if (k < 0) return kPadStart;
    if (k >= static_cast<long>(n)) return kPadEnd;
    return value_of(static_cast<size_t>(k));
  };
  auto guide_at = [&](long k) { return at(k, [](size_t) -> uint64_t { return 0; }); };
  auto code_at = [&](long k) {
    return at(k, [&](size_t j) -> uint64_t { return j < codes.size() ? codes[j] : 0; });
  };
  std::vector<uint32_t>& ctx = out->buckets;
  std::vector<uint32_t>& token_codes = out->codes;
  token_codes.resize(n * SplitFeatureBuffer::kCodesPerToken);
  uint32_t* code_out = token_codes.data();
  ctx.reserve(n * 4);
  const bool gaz_group = (groups_ & kFeatGazetteer) != 0;
  // Combine(lower of token i - 1, lower of token i): kBigramNext of the one, kBigramPrev of the
  // other.
  uint64_t pair_before = Combine(kPadStart, entries[ids[0]].lower);
  for (size_t i = 0; i < n; ++i) {
    const long li = static_cast<long>(i);
    const Cache::Entry& t = entries[ids[i]];
    const Cache::Entry& next = entry_at(li + 1);
    const uint32_t position = i == 0 ? 1 : i == 1 ? 2 : i + 1 == n ? 3 : 4;
    *code_out++ = TokenCode(position, t.casing, t.doc, headline);
    const uint32_t g = gaz[i];
    if (gaz_group) {
      *code_out++ = kGazCodeBase + g;
      *code_out++ = kGazPrevCodeBase + (i == 0 ? kGazPadStart : gaz[i - 1]);
      *code_out++ = kGazNextCodeBase + (i + 1 == n ? kGazPadEnd : gaz[i + 1]);
    } else {
      *code_out++ = kEmptyCode;
      *code_out++ = kEmptyCode;
      *code_out++ = kEmptyCode;
    }
    ctx.push_back(
        bucket(kShapeTrigram, Combine(Combine(entry_at(li - 1).shape, t.shape), next.shape)));
    if (groups_ & kFeatContext2) {
      const uint64_t pair_after = Combine(t.lower, next.lower);
      ctx.push_back(bucket(kBigramPrev, pair_before));
      ctx.push_back(bucket(kBigramNext, pair_after));
      pair_before = pair_after;
    }
    if (gaz_group && g != 0) ctx.push_back(bucket(kGazLower, Combine(g, t.lower)));
    if (groups_ & kFeatGuide) {
      ctx.push_back(bucket(kGuideTag, 0));
      ctx.push_back(bucket(kGuidePrev, guide_at(li - 1)));
      ctx.push_back(bucket(kGuideNext, guide_at(li + 1)));
      ctx.push_back(bucket(kGuideLower, Combine(0, t.lower)));
      ctx.push_back(bucket(kGuideShape, Combine(0, t.shape)));
      ctx.push_back(bucket(kGuideTrigram, Combine(Combine(guide_at(li - 1), 0), guide_at(li + 1))));
    }
    if (groups_ & kFeatEntityPhrases) {
      const uint64_t code = code_at(li);
      ctx.push_back(bucket(kPhrase, code));
      ctx.push_back(bucket(kPhrasePrev, code_at(li - 1)));
      ctx.push_back(bucket(kPhraseNext, code_at(li + 1)));
      ctx.push_back(bucket(kPhraseShape, Combine(code, t.shape)));
    }
    out->offsets.push_back(static_cast<uint32_t>(ctx.size()));
  }
}

}  // namespace kg::ner
