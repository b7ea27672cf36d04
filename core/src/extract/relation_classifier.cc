#include "kg/core/relation_classifier.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "kg/core/ner_features.h"

namespace kg {
namespace {

constexpr char kMagicV1[8] = {'K', 'G', 'R', 'E', 'M', 'D', 'L', '1'};
constexpr char kMagic[8] = {'K', 'G', 'R', 'E', 'M', 'D', 'L', '2'};
// Version 3: version 2 plus word clusters after the rows (written only by models that have them).
constexpr char kMagicV3[8] = {'K', 'G', 'R', 'E', 'M', 'D', 'L', '3'};
constexpr int kClasses = 6;  // 0 = no relation, then RelationTypes() in order

// The one relation a (head type, tail type) pair can have (CoNLL04's relations are typed), as
// a class index, or 0 when none.
int ClassOfTypes(const std::string& head, const std::string& tail) {
  if (head == "Peop" && tail == "Org") return 1;   // Work_For
  if (head == "Peop" && tail == "Peop") return 2;  // Kill
  if (head == "Org" && tail == "Loc") return 3;    // OrgBased_In
  if (head == "Peop" && tail == "Loc") return 4;   // Live_In
  if (head == "Loc" && tail == "Loc") return 5;    // Located_In
  return 0;
}

int ClassOfName(const std::string& type) {
  const auto& types = RelationClassifier::RelationTypes();
  for (size_t k = 0; k < types.size(); ++k) {
    if (types[k] == type) return static_cast<int>(k) + 1;
  }
  return 0;
}

// ASCII only, as std::tolower in the "C" locale kg runs in, without a library call per byte.
std::string LowerWord(std::string_view word) {
  std::string out(word);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::vector<std::string> LowerWords(const std::vector<std::string>& tokens) {
  std::vector<std::string> out;
  out.reserve(tokens.size());
  for (const auto& t : tokens) out.push_back(LowerWord(t));
  return out;
}

std::string_view LengthBucket(size_t n) {
  static constexpr std::string_view kSmall[] = {"0", "1", "2", "3", "4"};
  if (n <= 4) return kSmall[n];
  if (n <= 7) return "5-7";
  if (n <= 12) return "8-12";
  return "13+";
}

// FNV-1a fed piece by piece: Fnv().Add("bw=").Add(w) == HashBytes("bw=" + w), without building
// the feature string. The model's buckets are defined by HashBytes of the concatenation.
struct Fnv {
  uint64_t h = 0xcbf29ce484222325ull;
  Fnv& Add(std::string_view text) {
    for (char c : text) {
      h ^= static_cast<unsigned char>(c);
      h *= 0x100000001b3ull;
    }
    return *this;
  }
};

// Hashed features of the ordered pair (head, tail). `lower` holds the lower-cased tokens.
// Feature strings are documented by their pieces: add2({"bw=", w}) is the feature "bw=<w>" and
// its conjunction "<tp>|bw=<w>" with the pair's types and order.
// `clusters` (may be null: no cluster features) holds each token's word cluster, (coarse << 16)
// | fine, 0 for none.
void PairFeatures(const std::vector<std::string>& lower,
                  const std::vector<Conll04Entity>& entities, size_t head, size_t tail,
                  const std::vector<uint32_t>* clusters, uint32_t mask,
                  std::vector<uint32_t>* out) {
  out->clear();
  const auto& h = entities[head];
  const auto& t = entities[tail];
  bool head_first = h.start < t.start;
  const auto& lo = head_first ? h : t;
  const auto& hi = head_first ? t : h;
  std::string tp = h.type + ">" + t.type + (head_first ? ">" : "<");
  const Fnv tp_bar = Fnv().Add(tp).Add("|");
  auto push = [&](const Fnv& f) { out->push_back(static_cast<uint32_t>(f.h) & mask); };
  auto add = [&](std::initializer_list<std::string_view> pieces) {
    Fnv f;
    for (auto piece : pieces) f.Add(piece);
    push(f);
  };
  auto add2 = [&](std::initializer_list<std::string_view> pieces) {
    // Fnv().Add(pieces...) and tp_bar.Add(pieces...), in one pass over the bytes.
    uint64_t f = Fnv().h, g = tp_bar.h;
    for (auto piece : pieces) {
      for (char c : piece) {
        f = (f ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
        g = (g ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
      }
    }
    out->push_back(static_cast<uint32_t>(f) & mask);
    out->push_back(static_cast<uint32_t>(g) & mask);
  };
  add({"bias"});
  add({"tp=", tp});
  size_t b0 = std::min<size_t>(lo.end, hi.start);
  size_t b1 = std::max<size_t>(lo.end, hi.start);
  size_t len = b1 - b0;
  add2({"len=", LengthBucket(len)});
  std::string seq;
  for (size_t k = b0; k < b1; ++k) {
    const std::string& w = lower[k];
    add2({"bw=", w});
    if (k + 1 < b1) add2({"bb=", w, "_", lower[k + 1]});
    if (len <= 6) {
      if (!seq.empty()) seq += ' ';
      seq += w;
    }
  }
  if (len <= 6) add2({"bseq=", seq});
  if (len > 0) {
    add2({"bf=", lower[b0]});
    add2({"bl=", lower[b1 - 1]});
  }
  if (len >= 2) add2({"bfl=", lower[b0], "_", lower[b1 - 1]});
  auto word_at = [&](long k) -> std::string_view {
    if (k < 0) return "<s>";
    if (k >= static_cast<long>(lower.size())) return "</s>";
    return lower[static_cast<size_t>(k)];
  };
  const long first = static_cast<long>(lo.start);
  const long last = static_cast<long>(hi.end);
  add2({"pre1=", word_at(first - 1)});
  add2({"pre2=", word_at(first - 2), "_", word_at(first - 1)});
  add2({"post1=", word_at(last)});
  add2({"post2=", word_at(last), "_", word_at(last + 1)});
  for (uint32_t k = h.start; k < h.end; ++k) add2({"hw=", lower[k]});
  for (uint32_t k = t.start; k < t.end; ++k) add2({"tw=", lower[k]});
  add2({"hl=", lower[h.end - 1]});
  add2({"tl=", lower[t.end - 1]});
  // The words next to each argument (pre1/post1 above see only the pair's outer two).
  add2({"hpre=", word_at(static_cast<long>(h.start) - 1)});
  add2({"hpost=", word_at(static_cast<long>(h.end))});
  add2({"tpre=", word_at(static_cast<long>(t.start) - 1)});
  add2({"tpost=", word_at(static_cast<long>(t.end))});
  // The arguments' whole names (some places and employers recur).
  std::string name;
  for (uint32_t k = h.start; k < h.end; ++k) name += (k > h.start ? " " : "") + lower[k];
  add2({"hs=", name});
  name.clear();
  for (uint32_t k = t.start; k < t.end; ++k) name += (k > t.start ? " " : "") + lower[k];
  add2({"ts=", name});
  int between_entities = 0;
  for (size_t e = 0; e < entities.size(); ++e) {
    if (e == head || e == tail) continue;
    if (entities[e].start >= b0 && entities[e].end <= b1) {
      ++between_entities;
      add2({"bet=", entities[e].type});
    }
  }
  static constexpr std::string_view kCounts[] = {"0", "1", "2", "3"};
  add2({"nbet=", kCounts[std::min(between_entities, 3)]});
  // Is each argument the nearest entity of its type to the other one? (Live_In, Located_In
  // and OrgBased_In mostly pair an entity with its nearest candidate.)
  auto distance = [](const Conll04Entity& a, const Conll04Entity& b) {
    return a.end <= b.start ? b.start - a.end : a.start >= b.end ? a.start - b.end : 0u;
  };
  auto nearest = [&](size_t from, size_t to) {
    const uint32_t d = distance(entities[from], entities[to]);
    for (size_t e = 0; e < entities.size(); ++e) {
      if (e == from || e == to || entities[e].type != entities[to].type) continue;
      if (distance(entities[from], entities[e]) < d) return false;
    }
    return true;
  };
  add2({"near=", nearest(head, tail) ? "t" : "-", nearest(tail, head) ? "h" : "-"});
  // Stems of the words between (their first five letters), for inflections unseen in training.
  for (size_t k = b0; k < b1; ++k) {
    if (lower[k].size() > 5) add2({"bs=", std::string_view(lower[k]).substr(0, 5)});
  }
  // Words between, with the entity types in between replaced by their types (a path sketch).
  if (len <= 10) {
    std::string sketch;
    for (size_t k = b0; k < b1; ++k) {
      bool in_entity = false;
      for (const auto& e : entities) {
        if (k >= e.start && k < e.end) {
          if (k == e.start) {
            sketch += " [";
            sketch += e.type;
            sketch += ']';
          }
          in_entity = true;
        }
      }
      if (!in_entity) {
        sketch += ' ';
        sketch += lower[k];
      }
    }
    add2({"sketch=", sketch});
  }
  if (clusters != nullptr && len > 0) {
    // The coarse word clusters of the first and (if another) last word between: a verb or preposition unseen
    // in training ("labours for") may share one with a seen one ("works for"). (Also tried: the
    // clusters of every word between, their sequence, the fine clusters, the clusters of the
    // arguments' neighbours: all lower on dev.)
    char buf[16];
    std::snprintf(buf, sizeof(buf), "%u", (*clusters)[b0] >> 16);
    if ((*clusters)[b0] != 0) add2({"bcF=", buf});
    std::snprintf(buf, sizeof(buf), "%u", (*clusters)[b1 - 1] >> 16);
    if (len > 1 && (*clusters)[b1 - 1] != 0) add2({"bcL=", buf});
  }
}

// Each token's word cluster in `map`, in `storage`; null when `map` is empty (a model without
// clusters).
const std::vector<uint32_t>* TokenClusters(const ner::FlatHashMap64& map,
                                           const std::vector<std::string>& tokens,
                                           std::vector<uint32_t>* storage) {
  if (map.size() == 0) return nullptr;
  storage->clear();
  for (const auto& t : tokens) storage->push_back(map.Get(ner::HashLower(t)));
  return storage;
}

// Coordinate ascent on one threshold per class, starting from `thresholds`: each round sets
// every class's threshold to the cut (midway between two margins) that maximises the overall
// F1 given the others. Returns that F1 (percent).
template <typename Candidate>
double TunePerType(const std::vector<Candidate>& sorted_candidates, size_t gold_total,
                   std::array<float, kClasses>* thresholds) {
  auto overall_f1 = [&]() {
    size_t predicted = 0, correct = 0;
    for (const auto& c : sorted_candidates) {
      if (c.margin > (*thresholds)[static_cast<size_t>(c.cls)]) {
        ++predicted;
        correct += c.correct ? 1 : 0;
      }
    }
    return predicted + gold_total == 0
               ? 0.0
               : 200.0 * static_cast<double>(correct) / static_cast<double>(predicted + gold_total);
  };
  double best = overall_f1();
  for (int round = 0; round < 3; ++round) {
    bool changed = false;
    for (int cls = 1; cls < kClasses; ++cls) {
      std::vector<double> margins;
      for (const auto& c : sorted_candidates) {
        if (c.cls == cls) margins.push_back(c.margin);
      }
      if (margins.empty()) continue;
      const float original = (*thresholds)[static_cast<size_t>(cls)];
      float best_cut = original;
      // Above all margins, then between each pair of neighbours (margins are descending).
      std::vector<float> cuts = {static_cast<float>(margins.front() + 1)};
      for (size_t k = 0; k < margins.size(); ++k) {
        double next = k + 1 < margins.size() ? margins[k + 1] : margins[k] - 1;
        if (next != margins[k]) cuts.push_back(static_cast<float>((margins[k] + next) / 2));
      }
      for (float cut : cuts) {
        (*thresholds)[static_cast<size_t>(cls)] = cut;
        double f1 = overall_f1();
        if (f1 > best + 1e-9) {
          best = f1;
          best_cut = cut;
          changed = true;
        }
      }
      (*thresholds)[static_cast<size_t>(cls)] = best_cut;
    }
    if (!changed) break;
  }
  return best;
}

// What CompleteCommaPlaces does to decisions, on margins: for each "A , B" pair of Loc entities
// (in the order it visits them), a Live_In / OrgBased_In pair (x, A) is decided like (x, B) and
// the reverse, so both take the larger margin (one class per type pair: same threshold).
void CompletedMargins(const std::vector<std::string>& tokens,
                      const std::vector<Conll04Entity>& entities,
                      std::vector<ScoredRelation>* margins) {
  auto find = [&](uint32_t head, uint32_t tail) -> ScoredRelation* {
    for (auto& r : *margins) {
      if (r.head == head && r.tail == tail) return &r;
    }
    return nullptr;
  };
  for (const auto& [a, b] : CommaPlacePairs(tokens, entities)) {
    for (uint32_t head = 0; head < entities.size(); ++head) {
      ScoredRelation* to_a = find(head, a);
      ScoredRelation* to_b = find(head, b);
      if (to_a == nullptr || to_b == nullptr || to_a->type != to_b->type ||
          (to_a->type != "Live_In" && to_a->type != "OrgBased_In")) {
        continue;
      }
      const double larger = std::max(to_a->score, to_b->score);
      to_a->score = larger;
      to_b->score = larger;
    }
  }
}

void AppendU32(std::string* out, uint32_t v) {
  for (int k = 0; k < 4; ++k) out->push_back(static_cast<char>((v >> (8 * k)) & 0xFF));
}

bool ReadU32(std::string_view data, size_t* pos, uint32_t* v) {
  if (*pos + 4 > data.size()) return false;
  *v = 0;
  for (int k = 0; k < 4; ++k) {
    *v |= static_cast<uint32_t>(static_cast<unsigned char>(data[*pos + k])) << (8 * k);
  }
  *pos += 4;
  return true;
}

}  // namespace

// Sparse averaged weights: sorted buckets and their rows, plus an open-addressing index over
// them (a binary search per feature cost a cache miss per probe; this is about one).
struct RelationClassifier::Weights {
  uint32_t hash_bits = 20;
  float threshold = 0;
  std::array<float, kClasses> thresholds{};  // per class; [0] unused
  std::vector<uint32_t> buckets;  // ascending
  std::vector<float> rows;        // kClasses per bucket
  std::vector<std::pair<uint32_t, uint32_t>> index;  // (bucket + 1, row); key 0 = empty slot
  unsigned shift = 64;
  // Word clusters (ner::HashLower(word) -> (coarse << 16) | fine), sorted; empty = no cluster
  // features. `cluster_map` indexes them.
  std::vector<std::pair<uint64_t, uint32_t>> clusters;
  ner::FlatHashMap64 cluster_map;

  void SetClusters(std::vector<std::pair<uint64_t, uint32_t>> entries) {
    std::sort(entries.begin(), entries.end());
    clusters = std::move(entries);
    cluster_map = ner::FlatHashMap64();
    cluster_map.Reserve(clusters.size());
    for (const auto& [hash, cluster] : clusters) cluster_map.Put(hash, cluster, false);
  }

  // Call after `buckets` changes.
  void BuildIndex() {
    size_t slots = 16;
    unsigned bits = 4;
    while (slots < 2 * buckets.size()) {
      slots *= 2;
      ++bits;
    }
    index.assign(slots, {0, 0});
    shift = 64 - bits;
    for (size_t r = 0; r < buckets.size(); ++r) {
      for (size_t i = SlotOf(buckets[r]);; i = (i + 1) & (slots - 1)) {
        if (index[i].first == 0) {
          index[i] = {buckets[r] + 1, static_cast<uint32_t>(r)};
          break;
        }
      }
    }
  }
  size_t SlotOf(uint32_t bucket) const {
    return static_cast<size_t>((static_cast<uint64_t>(bucket + 1) * 0x9E3779B97F4A7C15ull) >> shift);
  }
  const float* Row(uint32_t bucket) const {
    if (index.empty()) return nullptr;
    const uint32_t key = bucket + 1;
    for (size_t i = SlotOf(bucket);; i = (i + 1) & (index.size() - 1)) {
      if (index[i].first == key) return rows.data() + static_cast<size_t>(index[i].second) * kClasses;
      if (index[i].first == 0) return nullptr;
    }
  }
};

RelationClassifier::RelationClassifier() : weights_(std::make_unique<Weights>()) {}
RelationClassifier::~RelationClassifier() = default;

size_t RelationClassifier::rows() const { return weights_->buckets.size(); }
double RelationClassifier::threshold() const { return weights_->threshold; }
double RelationClassifier::threshold(std::string_view type) const {
  int cls = ClassOfName(std::string(type));
  return cls == 0 ? weights_->threshold : weights_->thresholds[static_cast<size_t>(cls)];
}

const std::vector<std::string>& RelationClassifier::RelationTypes() {
  static const std::vector<std::string> kTypes = {"Work_For", "Kill", "OrgBased_In", "Live_In",
                                                  "Located_In"};
  return kTypes;
}

std::vector<ScoredRelation> RelationClassifier::Predict(
    const std::vector<std::string>& tokens, const std::vector<Conll04Entity>& entities) const {
  return Predict(tokens, entities, PairFilter());
}

std::vector<ScoredRelation> RelationClassifier::Predict(
    const std::vector<std::string>& tokens, const std::vector<Conll04Entity>& entities,
    const PairFilter& wanted) const {
  std::vector<ScoredRelation> out;
  for (auto& r : Margins(tokens, entities, wanted ? &wanted : nullptr)) {
    double margin = r.score - weights_->thresholds[static_cast<size_t>(ClassOfName(r.type))];
    if (margin <= 0) continue;
    r.score = 1.0 / (1.0 + std::exp(-margin));
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<ScoredRelation> RelationClassifier::ScorePairs(
    const std::vector<std::string>& tokens, const std::vector<Conll04Entity>& entities) const {
  std::vector<ScoredRelation> out = Margins(tokens, entities);
  for (auto& r : out) r.score -= weights_->thresholds[static_cast<size_t>(ClassOfName(r.type))];
  return out;
}

std::vector<ScoredRelation> RelationClassifier::Margins(
    const std::vector<std::string>& tokens, const std::vector<Conll04Entity>& entities,
    const PairFilter* wanted) const {
  std::vector<ScoredRelation> out;
  std::vector<uint32_t> features;
  std::vector<const float*> found_rows;
  const std::vector<std::string> lower = LowerWords(tokens);
  std::vector<uint32_t> cluster_storage;
  const std::vector<uint32_t>* clusters =
      TokenClusters(weights_->cluster_map, tokens, &cluster_storage);
  uint32_t mask = (1u << weights_->hash_bits) - 1;
  for (size_t h = 0; h < entities.size(); ++h) {
    for (size_t t = 0; t < entities.size(); ++t) {
      if (h == t) continue;
      int cls = ClassOfTypes(entities[h].type, entities[t].type);
      if (cls == 0) continue;
      const std::string& type = RelationTypes()[static_cast<size_t>(cls - 1)];
      if (wanted != nullptr &&
          !(*wanted)(static_cast<uint32_t>(h), static_cast<uint32_t>(t), type)) {
        continue;
      }
      PairFeatures(lower, entities, h, t, clusters, mask, &features);
      // Each feature costs an index slot and a row, both cache misses on a large model: ask for
      // all the slots first, then all the rows, then add in feature order (the same sums).
      if (!weights_->index.empty()) {
        for (uint32_t f : features) __builtin_prefetch(&weights_->index[weights_->SlotOf(f)]);
      }
      found_rows.clear();
      for (uint32_t f : features) {
        if (const float* row = weights_->Row(f)) {
          __builtin_prefetch(row);
          __builtin_prefetch(row + cls);
          found_rows.push_back(row);
        }
      }
      double none = 0, rel = 0;
      for (const float* row : found_rows) {
        none += row[0];
        rel += row[cls];
      }
      ScoredRelation r;
      r.head = static_cast<uint32_t>(h);
      r.tail = static_cast<uint32_t>(t);
      r.type = type;
      r.score = rel - none;
      out.push_back(std::move(r));
    }
  }
  return out;
}

double RelationClassifier::TuneThresholds(const std::vector<Conll04Sentence>& dev,
                                          const RelationTrainOptions& options) {
  // Margins of every candidate pair on dev, sorted; the threshold is the cut that
  // maximises F1 (gold relations among unavailable entities count as misses).
  struct Candidate {
    double margin;
    bool correct;
    int cls;
  };
  std::vector<Candidate> candidates;
  size_t gold_total = 0;
  for (const auto& s : dev) {
    gold_total += s.relations.size();
    auto entities = options.dev_entities ? options.dev_entities(s) : s.entities;
    std::vector<ScoredRelation> margins = Margins(s.tokens, entities);
    if (options.tune_with_place_completion) CompletedMargins(s.tokens, entities, &margins);
    for (const auto& r : margins) {
      bool correct = false;
      for (const auto& g : s.relations) {
        if (g.type == r.type && s.entities[g.head] == entities[r.head] &&
            s.entities[g.tail] == entities[r.tail]) {
          correct = true;
        }
      }
      candidates.push_back({r.score, correct, ClassOfName(r.type)});
    }
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) { return a.margin > b.margin; });
  size_t correct = 0;
  double best_cut_f1 = 0, threshold = 0;
  for (size_t k = 0; k < candidates.size(); ++k) {
    correct += candidates[k].correct ? 1 : 0;
    if (k + 1 < candidates.size() && candidates[k + 1].margin == candidates[k].margin) continue;
    double cut_f1 = 200.0 * static_cast<double>(correct) /
                    static_cast<double>(gold_total + k + 1);
    if (cut_f1 > best_cut_f1) {
      best_cut_f1 = cut_f1;
      double next = k + 1 < candidates.size() ? candidates[k + 1].margin
                                              : candidates[k].margin - 1;
      threshold = (candidates[k].margin + next) / 2;
    }
  }
  weights_->threshold = static_cast<float>(threshold);
  weights_->thresholds.fill(static_cast<float>(threshold));
  if (!options.per_type_thresholds) return best_cut_f1;
  return TunePerType(candidates, gold_total, &weights_->thresholds);
}

Result<std::unique_ptr<RelationClassifier>> RelationClassifier::Train(
    const std::vector<Conll04Sentence>& train, const std::vector<Conll04Sentence>& dev,
    const RelationTrainOptions& options, RelationTrainReport* report) {
  if (options.hash_bits < 10 || options.hash_bits > 24) {
    return Status::InvalidArgument("hash bits must be within 10..24");
  }
  if (options.seeds > 1) {
    // Scores are linear in the weights: the mean model scores like the members together.
    std::map<uint32_t, std::array<float, kClasses>> sum;
    const float share = 1.0f / static_cast<float>(options.seeds);
    for (int k = 0; k < options.seeds; ++k) {
      RelationTrainOptions member = options;
      member.seeds = 1;
      member.seed = options.seed + static_cast<uint64_t>(k);
      auto model = Train(train, dev, member, k == 0 ? report : nullptr);
      if (!model) return model.status();
      const auto& w = *(*model)->weights_;
      for (size_t r = 0; r < w.buckets.size(); ++r) {
        auto& row = sum[w.buckets[r]];
        for (int c = 0; c < kClasses; ++c) row[c] += share * w.rows[r * kClasses + c];
      }
    }
    auto mean = std::unique_ptr<RelationClassifier>(new RelationClassifier());
    mean->weights_->hash_bits = options.hash_bits;
    mean->weights_->SetClusters({options.clusters.begin(), options.clusters.end()});
    mean->description_ = options.description;
    for (const auto& [bucket, row] : sum) {
      mean->weights_->buckets.push_back(bucket);
      mean->weights_->rows.insert(mean->weights_->rows.end(), row.begin(), row.end());
    }
    mean->weights_->BuildIndex();
    double f1 = dev.empty() ? 0 : mean->TuneThresholds(dev, options);
    if (report) report->final_dev_f1 = f1;
    if (options.log) {
      std::ostringstream line;
      line << "mean of " << options.seeds << " models: dev relation F1 " << f1;
      options.log(line.str());
    }
    return mean;
  }
  uint32_t mask = (1u << options.hash_bits) - 1;
  Weights cluster_source;
  cluster_source.SetClusters({options.clusters.begin(), options.clusters.end()});
  struct Example {
    std::vector<uint32_t> features;
    int allowed = 0;  // the one relation class the pair's types allow
    int gold = 0;     // 0 or `allowed`
  };
  std::vector<Example> examples;
  if (!options.train_entities.empty() && options.train_entities.size() != train.size()) {
    return Status::InvalidArgument("train_entities must have one entity set per sentence");
  }
  for (size_t si = 0; si < train.size(); ++si) {
    const auto& s = train[si];
    const std::vector<std::string> lower = LowerWords(s.tokens);
    std::vector<uint32_t> cluster_storage;
    const std::vector<uint32_t>* clusters =
        TokenClusters(cluster_source.cluster_map, s.tokens, &cluster_storage);
    for (size_t h = 0; h < s.entities.size(); ++h) {
      for (size_t t = 0; t < s.entities.size(); ++t) {
        if (h == t) continue;
        int cls = ClassOfTypes(s.entities[h].type, s.entities[t].type);
        if (cls == 0) continue;
        Example ex;
        ex.allowed = cls;
        for (const auto& r : s.relations) {
          if (r.head == h && r.tail == t && ClassOfName(r.type) == cls) ex.gold = cls;
        }
        PairFeatures(lower, s.entities, h, t, clusters, mask, &ex.features);
        examples.push_back(std::move(ex));
      }
    }
    // Pairs of tagged entities; those that are pairs of gold entities are already above, and
    // a pair (same spans and types) is added once per sentence.
    auto gold_index = [&](const Conll04Entity& e) -> long {
      for (size_t g = 0; g < s.entities.size(); ++g) {
        if (s.entities[g] == e) return static_cast<long>(g);
      }
      return -1;
    };
    std::vector<std::pair<Conll04Entity, Conll04Entity>> seen;
    auto add_tagged = [&](const std::vector<Conll04Entity>& tagged) {
      for (size_t h = 0; h < tagged.size(); ++h) {
        for (size_t t = 0; t < tagged.size(); ++t) {
          if (h == t) continue;
          int cls = ClassOfTypes(tagged[h].type, tagged[t].type);
          if (cls == 0) continue;
          long gh = gold_index(tagged[h]), gt = gold_index(tagged[t]);
          if (gh >= 0 && gt >= 0) continue;
          std::pair<Conll04Entity, Conll04Entity> key{tagged[h], tagged[t]};
          if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
          seen.push_back(std::move(key));
          Example ex;
          ex.allowed = cls;
          PairFeatures(lower, tagged, h, t, clusters, mask, &ex.features);
          examples.push_back(std::move(ex));
        }
      }
    };
    if (!options.train_entities.empty()) add_tagged(options.train_entities[si]);
    if (si < options.train_alternatives.size()) {
      for (const auto& alternative : options.train_alternatives[si]) add_tagged(alternative);
    }
  }
  if (examples.empty()) return Status::InvalidArgument("no training pairs in the training data");

  size_t buckets = size_t{1} << options.hash_bits;
  std::vector<float> w(buckets * kClasses, 0.f), u(buckets * kClasses, 0.f);
  double c = 1;
  std::mt19937_64 rng(options.seed);
  std::vector<size_t> order(examples.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;

  auto averaged = [&]() {
    auto model = std::unique_ptr<RelationClassifier>(new RelationClassifier());
    model->weights_->hash_bits = options.hash_bits;
    model->weights_->SetClusters(cluster_source.clusters);
    model->description_ = options.description;
    for (size_t b = 0; b < buckets; ++b) {
      std::array<float, kClasses> row{};
      bool any = false;
      for (int k = 0; k < kClasses; ++k) {
        row[k] = static_cast<float>(w[b * kClasses + k] - u[b * kClasses + k] / c);
        if (std::fabs(row[k]) > 1e-4f) any = true;
      }
      if (!any) continue;
      model->weights_->buckets.push_back(static_cast<uint32_t>(b));
      model->weights_->rows.insert(model->weights_->rows.end(), row.begin(), row.end());
    }
    model->weights_->BuildIndex();
    return model;
  };

  std::unique_ptr<RelationClassifier> best;
  double best_f1 = -1;
  int epochs = std::max(1, options.epochs);
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    // Fisher-Yates with a fixed generator: the same order on every platform.
    for (size_t k = order.size(); k > 1; --k) {
      size_t j = static_cast<size_t>(rng() % k);
      std::swap(order[k - 1], order[j]);
    }
    size_t mistakes = 0;
    for (size_t idx : order) {
      const auto& ex = examples[idx];
      double none = 0, rel = 0;
      for (uint32_t f : ex.features) {
        none += w[f * kClasses];
        rel += w[f * kClasses + ex.allowed];
      }
      int predicted = rel > none ? ex.allowed : 0;
      if (predicted != ex.gold) {
        ++mistakes;
        for (uint32_t f : ex.features) {
          w[f * kClasses + ex.gold] += 1;
          u[f * kClasses + ex.gold] += static_cast<float>(c);
          w[f * kClasses + predicted] -= 1;
          u[f * kClasses + predicted] -= static_cast<float>(c);
        }
      }
      c += 1;
    }
    auto model = averaged();
    double f1 = 0;
    if (!dev.empty()) {
      f1 = model->TuneThresholds(dev, options);
      if (report) report->dev_f1.push_back(f1);
    }
    if (options.log) {
      std::ostringstream line;
      line << "epoch " << epoch << ": " << mistakes << " mistakes / " << examples.size()
           << " pairs";
      if (!dev.empty()) {
        line << ", dev relation F1 " << f1 << " at threshold " << model->weights_->threshold;
      }
      options.log(line.str());
    }
    if (dev.empty() || f1 > best_f1) {
      best_f1 = f1;
      best = std::move(model);
      if (report) {
        report->best_epoch = epoch;
        report->final_dev_f1 = f1;
      }
    }
  }
  return best;
}

Status RelationClassifier::Save(const std::filesystem::path& path) const {
  std::string payload;
  AppendU32(&payload, static_cast<uint32_t>(weights_->buckets.size()));
  for (size_t r = 0; r < weights_->buckets.size(); ++r) {
    AppendU32(&payload, weights_->buckets[r]);
    for (int k = 0; k < kClasses; ++k) {
      uint32_t bits;
      std::memcpy(&bits, &weights_->rows[r * kClasses + k], 4);
      AppendU32(&payload, bits);
    }
  }
  const bool v3 = !weights_->clusters.empty();
  if (v3) {
    AppendU32(&payload, static_cast<uint32_t>(weights_->clusters.size()));
    for (const auto& [hash, cluster] : weights_->clusters) {
      AppendU32(&payload, static_cast<uint32_t>(hash));
      AppendU32(&payload, static_cast<uint32_t>(hash >> 32));
      AppendU32(&payload, cluster);
    }
  }
  uLongf compressed_size = compressBound(static_cast<uLong>(payload.size()));
  std::string compressed(compressed_size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(compressed.data()), &compressed_size,
                reinterpret_cast<const Bytef*>(payload.data()), static_cast<uLong>(payload.size()),
                9) != Z_OK) {
    return Status::Internal("zlib failed to compress the relation model");
  }
  compressed.resize(compressed_size);
  std::string out(v3 ? kMagicV3 : kMagic, sizeof(kMagic));
  AppendU32(&out, weights_->hash_bits);
  AppendU32(&out, kClasses);
  uint32_t threshold_bits;
  std::memcpy(&threshold_bits, &weights_->threshold, 4);
  AppendU32(&out, threshold_bits);
  AppendU32(&out, static_cast<uint32_t>(description_.size()));
  out += description_;
  for (int k = 1; k < kClasses; ++k) {
    std::memcpy(&threshold_bits, &weights_->thresholds[static_cast<size_t>(k)], 4);
    AppendU32(&out, threshold_bits);
  }
  AppendU32(&out, static_cast<uint32_t>(compressed.size()));
  AppendU32(&out, static_cast<uint32_t>(payload.size()));
  out += compressed;
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) return Status::IOError("cannot write " + path.string());
  file.write(out.data(), static_cast<std::streamsize>(out.size()));
  if (!file) return Status::IOError("cannot write " + path.string());
  return Status::Ok();
}

Result<std::unique_ptr<RelationClassifier>> RelationClassifier::Load(
    const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::NotFound("cannot open relation model " + path.string());
  std::stringstream buffer;
  buffer << file.rdbuf();
  std::string data = buffer.str();
  auto bad = [&](const std::string& why) {
    return Status::Corruption(path.string() + ": not a kg relation model (" + why + ")");
  };
  if (data.size() < sizeof(kMagic)) return bad("wrong magic");
  const bool v1 = std::memcmp(data.data(), kMagicV1, sizeof(kMagicV1)) == 0;
  const bool v3 = std::memcmp(data.data(), kMagicV3, sizeof(kMagicV3)) == 0;
  if (!v1 && !v3 && std::memcmp(data.data(), kMagic, sizeof(kMagic)) != 0) {
    return bad("wrong magic");
  }
  size_t pos = sizeof(kMagic);
  uint32_t hash_bits = 0, classes = 0, threshold_bits = 0, description_size = 0,
           compressed_size = 0, raw_size = 0;
  if (!ReadU32(data, &pos, &hash_bits) || !ReadU32(data, &pos, &classes) ||
      !ReadU32(data, &pos, &threshold_bits) || !ReadU32(data, &pos, &description_size)) {
    return bad("truncated header");
  }
  if (hash_bits < 10 || hash_bits > 24 || classes != kClasses) return bad("unsupported header");
  if (pos + description_size > data.size()) return bad("truncated description");
  auto model = std::unique_ptr<RelationClassifier>(new RelationClassifier());
  model->description_ = data.substr(pos, description_size);
  pos += description_size;
  std::memcpy(&model->weights_->threshold, &threshold_bits, 4);
  model->weights_->thresholds.fill(model->weights_->threshold);
  for (int k = 1; k < kClasses && !v1; ++k) {
    uint32_t bits = 0;
    if (!ReadU32(data, &pos, &bits)) return bad("truncated thresholds");
    std::memcpy(&model->weights_->thresholds[static_cast<size_t>(k)], &bits, 4);
    if (!std::isfinite(model->weights_->thresholds[static_cast<size_t>(k)])) {
      return bad("bad threshold");
    }
  }
  if (!ReadU32(data, &pos, &compressed_size) || !ReadU32(data, &pos, &raw_size) ||
      pos + compressed_size != data.size()) {
    return bad("truncated body");
  }
  // zlib's deflate expands at most ~1032:1: a larger claim is damage, and would make a small file
  // allocate up to 4 GiB.
  if (raw_size / 1032 > compressed_size) return bad("implausible body size");
  std::string payload(raw_size, '\0');
  uLongf out_size = raw_size;
  if (uncompress(reinterpret_cast<Bytef*>(payload.data()), &out_size,
                 reinterpret_cast<const Bytef*>(data.data() + pos), compressed_size) != Z_OK ||
      out_size != raw_size) {
    return bad("corrupted body");
  }
  size_t p = 0;
  uint32_t rows = 0;
  if (!ReadU32(payload, &p, &rows) ||
      (v3 ? static_cast<uint64_t>(rows) * (4 + 4 * kClasses) + 4 > payload.size()
          : static_cast<uint64_t>(rows) * (4 + 4 * kClasses) + 4 != payload.size())) {
    return bad("inconsistent row count");
  }
  model->weights_->hash_bits = hash_bits;
  if (!std::isfinite(model->weights_->threshold)) return bad("bad threshold");
  model->weights_->buckets.resize(rows);
  model->weights_->rows.resize(static_cast<size_t>(rows) * kClasses);
  uint32_t previous = 0;
  for (uint32_t r = 0; r < rows; ++r) {
    uint32_t bucket = 0;
    ReadU32(payload, &p, &bucket);
    if ((r > 0 && bucket <= previous) || bucket >> hash_bits != 0) return bad("unsorted rows");
    previous = bucket;
    model->weights_->buckets[r] = bucket;
    for (int k = 0; k < kClasses; ++k) {
      uint32_t bits = 0;
      ReadU32(payload, &p, &bits);
      std::memcpy(&model->weights_->rows[static_cast<size_t>(r) * kClasses + k], &bits, 4);
    }
  }
  if (v3) {
    uint32_t count = 0;
    if (!ReadU32(payload, &p, &count) ||
        static_cast<uint64_t>(count) * 12 + p != payload.size()) {
      return bad("inconsistent cluster count");
    }
    std::vector<std::pair<uint64_t, uint32_t>> clusters(count);
    for (auto& [hash, cluster] : clusters) {
      uint32_t low = 0, high = 0;
      ReadU32(payload, &p, &low);
      ReadU32(payload, &p, &high);
      ReadU32(payload, &p, &cluster);
      hash = static_cast<uint64_t>(high) << 32 | low;
    }
    model->weights_->SetClusters(std::move(clusters));
  }
  model->weights_->BuildIndex();
  return model;
}

}  // namespace kg
