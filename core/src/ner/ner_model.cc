#include "kg/core/ner_model.h"

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kg::ner {
namespace {

static_assert(std::endian::native == std::endian::little, "model I/O assumes little-endian");

constexpr char kMagic[8] = {'K', 'G', 'N', 'E', 'R', 'M', 'D', 'L'};
constexpr size_t kHeaderSize = 8 + 4 * 4;
constexpr uint32_t kMaxHashBits = 26;

class Writer {
 public:
  template <typename T>
  void Put(T value) {
    out_.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  void PutBytes(const void* data, size_t size) {
    out_.append(static_cast<const char*>(data), size);
  }
  std::string& str() { return out_; }

 private:
  std::string out_;
};

// Reads the payload; every read is bounds-checked so a damaged file cannot read past the end.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  template <typename T>
  bool Get(T* value) {
    if (data_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(value, data_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool GetBytes(void* dst, size_t size) {
    if (data_.size() - pos_ < size) return false;
    if (size == 0) return true;  // dst may be an empty vector's null data(): memcpy forbids it
    std::memcpy(dst, data_.data() + pos_, size);
    pos_ += size;
    return true;
  }
  bool GetString(size_t size, std::string* out) {
    if (data_.size() - pos_ < size) return false;
    out->assign(data_.data() + pos_, size);
    pos_ += size;
    return true;
  }
  bool done() const { return pos_ == data_.size(); }
  // Bytes not read yet: a count read from the file is checked against it before anything that
  // size is allocated, so a damaged count cannot ask for gigabytes.
  size_t remaining() const { return data_.size() - pos_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

template <typename Set>
std::vector<uint64_t> Sorted(const Set& set) {
  std::vector<uint64_t> v(set.begin(), set.end());
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

NerModel NerModel::FromDense(const std::vector<float>& dense, uint32_t hash_bits, float min_abs) {
  NerModel m;
  m.hash_bits = hash_bits;
  const size_t buckets = size_t{1} << hash_bits;
  m.index.assign(buckets, kNoRow);
  for (size_t b = 0; b < buckets; ++b) {
    const float* w = dense.data() + b * kNumTags;
    bool keep = false;
    for (int t = 0; t < kNumTags; ++t) keep |= std::fabs(w[t]) >= min_abs;
    if (!keep) continue;
    m.index[b] = static_cast<uint32_t>(m.rows.size() / kNumTags);
    m.rows.insert(m.rows.end(), w, w + kNumTags);
  }
  return m;
}

std::string NerModel::Serialize() const {
  Writer p;
  p.Put<uint32_t>(kNumTags);
  for (auto name : kTagNames) {
    p.Put<uint8_t>(static_cast<uint8_t>(name.size()));
    p.PutBytes(name.data(), name.size());
  }
  p.Put<uint32_t>(groups);
  p.Put<uint32_t>(hash_bits);
  p.Put<uint32_t>(static_cast<uint32_t>(description.size()));
  p.PutBytes(description.data(), description.size());
  p.PutBytes(transitions.data(), sizeof(float) * transitions.size());
  float max_abs = 0;
  for (float w : rows) max_abs = std::max(max_abs, std::fabs(w));
  const float scale = max_abs > 0 ? max_abs / 32767.0f : 1.0f;
  p.Put<float>(scale);
  const uint32_t row_count = static_cast<uint32_t>(rows.size() / kNumTags);
  p.Put<uint32_t>(row_count);
  // Rows are written in bucket order, so the file does not depend on how rows were numbered.
  std::vector<uint32_t> order;
  order.reserve(row_count);
  for (uint32_t b = 0; b < index.size(); ++b) {
    if (index[b] != kNoRow) {
      p.Put<uint32_t>(b);
      order.push_back(index[b]);
    }
  }
  for (uint32_t r : order) {
    for (int t = 0; t < kNumTags; ++t) {
      float q = std::round(rows[static_cast<size_t>(r) * kNumTags + t] / scale);
      p.Put<int16_t>(static_cast<int16_t>(std::clamp(q, -32767.0f, 32767.0f)));
    }
  }
  for (const auto* set : {&resources.lower_words, &resources.proper_words}) {
    auto sorted = Sorted(*set);
    p.Put<uint32_t>(static_cast<uint32_t>(sorted.size()));
    p.PutBytes(sorted.data(), sorted.size() * sizeof(uint64_t));
  }
  std::vector<std::pair<uint64_t, uint32_t>> clusters(resources.clusters.begin(),
                                                      resources.clusters.end());
  std::sort(clusters.begin(), clusters.end());
  p.Put<uint32_t>(static_cast<uint32_t>(clusters.size()));
  for (const auto& [hash, cluster] : clusters) {
    p.Put<uint64_t>(hash);
    p.Put<uint32_t>(cluster);
  }
  if (groups & kFeatEntityPhrases) {
    std::vector<std::pair<uint64_t, uint32_t>> phrases(resources.entity_phrases.begin(),
                                                       resources.entity_phrases.end());
    std::sort(phrases.begin(), phrases.end());
    p.Put<uint32_t>(static_cast<uint32_t>(phrases.size()));
    for (const auto& [hash, types] : phrases) {
      p.Put<uint64_t>(hash);
      p.Put<uint32_t>(types);
    }
  }

  const std::string& payload = p.str();
  uLongf compressed_size = compressBound(payload.size());
  std::string compressed(compressed_size, '\0');
  compress2(reinterpret_cast<Bytef*>(compressed.data()), &compressed_size,
            reinterpret_cast<const Bytef*>(payload.data()), payload.size(), 9);
  compressed.resize(compressed_size);

  Writer out;
  out.PutBytes(kMagic, sizeof(kMagic));
  out.Put<uint32_t>(kNerModelVersion);
  out.Put<uint32_t>(static_cast<uint32_t>(payload.size()));
  out.Put<uint32_t>(static_cast<uint32_t>(compressed.size()));
  out.Put<uint32_t>(static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(payload.data()), payload.size())));
  out.str() += compressed;
  return std::move(out.str());
}

Result<NerModel> NerModel::Parse(std::string_view bytes, const std::string& source) {
  auto corrupt = [&](const std::string& what) {
    return Status::Corruption("NER model " + source + ": " + what);
  };
  if (bytes.size() < kHeaderSize || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return corrupt("not a kg NER model (bad magic)");
  }
  Reader header(bytes.substr(sizeof(kMagic), kHeaderSize - sizeof(kMagic)));
  uint32_t version = 0, raw_size = 0, packed_size = 0, crc = 0;
  (void)header.Get(&version);
  (void)header.Get(&raw_size);
  (void)header.Get(&packed_size);
  (void)header.Get(&crc);
  if (version != kNerModelVersion) {
    return corrupt("format version " + std::to_string(version) + ", this kg reads version " +
                   std::to_string(kNerModelVersion));
  }
  if (bytes.size() - kHeaderSize != packed_size) {
    return corrupt("truncated or padded: " + std::to_string(bytes.size() - kHeaderSize) +
                   " payload bytes, header says " + std::to_string(packed_size));
  }
  // zlib's deflate expands at most ~1032:1, so a larger claim is damage (and would make us
  // allocate up to 1 GiB for a small file).
  if (raw_size > (1u << 30) || raw_size / 1032 > packed_size) {
    return corrupt("implausible payload size");
  }
  std::string payload(raw_size, '\0');
  uLongf out_size = raw_size;
  if (uncompress(reinterpret_cast<Bytef*>(payload.data()), &out_size,
                 reinterpret_cast<const Bytef*>(bytes.data() + kHeaderSize),
                 packed_size) != Z_OK ||
      out_size != raw_size) {
    return corrupt("payload does not decompress");
  }
  if (crc32(0, reinterpret_cast<const Bytef*>(payload.data()), payload.size()) != crc) {
    return corrupt("checksum mismatch");
  }

  Reader r(payload);
  NerModel m;
  uint32_t num_tags = 0;
  if (!r.Get(&num_tags) || num_tags != kNumTags) return corrupt("unexpected tag count");
  for (auto name : kTagNames) {
    uint8_t len = 0;
    std::string got;
    if (!r.Get(&len) || !r.GetString(len, &got) || got != name) {
      return corrupt("tag set differs from " + std::string(name));
    }
  }
  uint32_t desc_len = 0;
  if (!r.Get(&m.groups) || !r.Get(&m.hash_bits) || !r.Get(&desc_len) ||
      !r.GetString(desc_len, &m.description)) {
    return corrupt("truncated header");
  }
  if ((m.groups & ~kKnownFeatures) != 0) return corrupt("unknown feature groups");
  if (m.hash_bits < 8 || m.hash_bits > kMaxHashBits) return corrupt("bad hash size");
  float scale = 0;
  uint32_t row_count = 0;
  if (!r.GetBytes(m.transitions.data(), sizeof(float) * m.transitions.size()) || !r.Get(&scale) ||
      !r.Get(&row_count) || row_count > (1u << m.hash_bits)) {
    return corrupt("truncated weights");
  }
  const size_t buckets = size_t{1} << m.hash_bits;
  m.index.assign(buckets, kNoRow);
  uint32_t prev = 0;
  for (uint32_t i = 0; i < row_count; ++i) {
    uint32_t b = 0;
    if (!r.Get(&b) || b >= buckets || (i > 0 && b <= prev)) return corrupt("bad bucket list");
    m.index[b] = i;
    prev = b;
  }
  if (static_cast<uint64_t>(row_count) * kNumTags * sizeof(int16_t) > r.remaining()) {
    return corrupt("truncated weights");
  }
  std::vector<int16_t> q(static_cast<size_t>(row_count) * kNumTags);
  if (!r.GetBytes(q.data(), q.size() * sizeof(int16_t))) return corrupt("truncated weights");
  m.rows.resize(q.size());
  for (size_t i = 0; i < q.size(); ++i) m.rows[i] = q[i] * scale;
  for (auto* set : {&m.resources.lower_words, &m.resources.proper_words}) {
    uint32_t count = 0;
    if (!r.Get(&count) || uint64_t{count} * sizeof(uint64_t) > r.remaining()) {
      return corrupt("truncated word list");
    }
    std::vector<uint64_t> hashes(count);
    if (!r.GetBytes(hashes.data(), hashes.size() * sizeof(uint64_t))) {
      return corrupt("truncated word list");
    }
    // Sized once: the tagger only looks words up in these sets (and copies them into its own
    // table, where the order does not matter), so the bucket count changes nothing it reads.
    set->reserve(set->size() + hashes.size());
    set->insert(hashes.begin(), hashes.end());
  }
  uint32_t cluster_count = 0;
  if (!r.Get(&cluster_count) ||
      uint64_t{cluster_count} * (sizeof(uint64_t) + sizeof(uint32_t)) > r.remaining()) {
    return corrupt("truncated clusters");
  }
  m.resources.clusters.reserve(cluster_count);
  for (uint32_t i = 0; i < cluster_count; ++i) {
    uint64_t hash = 0;
    uint32_t cluster = 0;
    if (!r.Get(&hash) || !r.Get(&cluster)) return corrupt("truncated clusters");
    m.resources.clusters.emplace(hash, cluster);
  }
  if (m.groups & kFeatEntityPhrases) {
    uint32_t phrase_count = 0;
    if (!r.Get(&phrase_count) ||
        uint64_t{phrase_count} * (sizeof(uint64_t) + sizeof(uint32_t)) > r.remaining()) {
      return corrupt("truncated entity phrases");
    }
    m.resources.entity_phrases.reserve(phrase_count);
    for (uint32_t i = 0; i < phrase_count; ++i) {
      uint64_t hash = 0;
      uint32_t types = 0;
      if (!r.Get(&hash) || !r.Get(&types)) return corrupt("truncated entity phrases");
      m.resources.entity_phrases.emplace(hash, types);
    }
  }
  if (!r.done()) return corrupt("trailing bytes in payload");
  return m;
}

Status NerModel::Save(const std::filesystem::path& path) const {
  std::string bytes = Serialize();
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IOError("cannot write " + tmp.string());
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return Status::IOError("cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::IOError("cannot rename " + tmp.string() + ": " + ec.message());
  return Status::Ok();
}

Result<NerModel> NerModel::Load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("NER model " + path.string() + " not found");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return Status::IOError("cannot read " + path.string());
  return Parse(buf.str(), path.string());
}

void ViterbiDecode(const float* emissions, size_t n, const float* transitions, int* tags) {
  std::vector<float> score;
  std::vector<int8_t> back;
  ViterbiDecode(emissions, n, transitions, tags, &score, &back);
}

void ViterbiDecode(const float* emissions, size_t n, const float* transitions, int* tags,
                   std::vector<float>* score_buffer, std::vector<int8_t>* back_buffer) {
  if (n == 0) return;
  constexpr float kNeg = -std::numeric_limits<float>::infinity();
  if (score_buffer->size() < n * kNumTags) score_buffer->resize(n * kNumTags);
  if (back_buffer->size() < n * kNumTags) back_buffer->resize(n * kNumTags);
  float* score = score_buffer->data();
  int8_t* back = back_buffer->data();
  for (int t = 0; t < kNumTags; ++t) {
    score[t] = AllowedTransition(-1, t) ? transitions[t] + emissions[t] : kNeg;
  }
#if defined(__SSE2__)
  // Tags 0-7 in two 4-lane vectors, tag 8 alone. Each lane does what the scalar loop below does
  // for its tag: the previous tags in ascending order, strict '>', so the same sums, the same
  // winner and the same tie-breaking (first best). A transition IOB2 forbids is -inf here: its
  // sum is -inf (or NaN) and never beats `best`, which starts at -inf, like a tag not considered.
  static_assert(kNumTags == 9, "the vector path below is written for 9 tags");
  alignas(16) float allowed[kNumTags][8];
  float allowed8[kNumTags];
  for (int p = 0; p < kNumTags; ++p) {
    for (int t = 0; t < kNumTags; ++t) {
      const bool ok = !IsInside(t) || p == t - 1 || p == t;
      const float w = ok ? transitions[(p + 1) * kNumTags + t] : kNeg;
      if (t < 8) {
        allowed[p][t] = w;
      } else {
        allowed8[p] = w;
      }
    }
  }
  for (size_t i = 1; i < n; ++i) {
    const float* prev = score + (i - 1) * kNumTags;
    float* cur = score + i * kNumTags;
    __m128 best_lo = _mm_set1_ps(kNeg), best_hi = best_lo;
    __m128i arg_lo = _mm_setzero_si128(), arg_hi = arg_lo;
    float best8 = kNeg;
    int arg8 = 0;
    for (int p = 0; p < kNumTags; ++p) {
      const __m128 pv = _mm_set1_ps(prev[p]);
      const __m128i pi = _mm_set1_epi32(p);
      const __m128 s_lo = _mm_add_ps(pv, _mm_load_ps(allowed[p]));
      const __m128 s_hi = _mm_add_ps(pv, _mm_load_ps(allowed[p] + 4));
      const __m128 m_lo = _mm_cmpgt_ps(s_lo, best_lo);
      const __m128 m_hi = _mm_cmpgt_ps(s_hi, best_hi);
      best_lo = _mm_or_ps(_mm_and_ps(m_lo, s_lo), _mm_andnot_ps(m_lo, best_lo));
      best_hi = _mm_or_ps(_mm_and_ps(m_hi, s_hi), _mm_andnot_ps(m_hi, best_hi));
      const __m128i mi_lo = _mm_castps_si128(m_lo), mi_hi = _mm_castps_si128(m_hi);
      arg_lo = _mm_or_si128(_mm_and_si128(mi_lo, pi), _mm_andnot_si128(mi_lo, arg_lo));
      arg_hi = _mm_or_si128(_mm_and_si128(mi_hi, pi), _mm_andnot_si128(mi_hi, arg_hi));
      const float s8 = prev[p] + allowed8[p];
      if (s8 > best8) {
        best8 = s8;
        arg8 = p;
      }
    }
    const float* emit = emissions + i * kNumTags;
    _mm_storeu_ps(cur, _mm_add_ps(best_lo, _mm_loadu_ps(emit)));
    _mm_storeu_ps(cur + 4, _mm_add_ps(best_hi, _mm_loadu_ps(emit + 4)));
    cur[8] = best8 + emit[8];
    alignas(16) int32_t args[8];
    _mm_store_si128(reinterpret_cast<__m128i*>(args), arg_lo);
    _mm_store_si128(reinterpret_cast<__m128i*>(args + 4), arg_hi);
    int8_t* back_row = back + i * kNumTags;
    for (int t = 0; t < 8; ++t) back_row[t] = static_cast<int8_t>(args[t]);
    back_row[8] = static_cast<int8_t>(arg8);
  }
#else
  for (size_t i = 1; i < n; ++i) {
    const float* prev = score + (i - 1) * kNumTags;
    float* cur = score + i * kNumTags;
    for (int t = 0; t < kNumTags; ++t) {
      float best = kNeg;
      int arg = 0;
      auto consider = [&](int p) {
        const float s = prev[p] + transitions[(p + 1) * kNumTags + t];
        if (s > best) {
          best = s;
          arg = p;
        }
      };
      // The tags AllowedTransition(p, t) admits, in ascending order: I-X follows only B-X or
      // I-X (t - 1 and t); anything else follows any tag.
      if (IsInside(t)) {
        consider(t - 1);
        consider(t);
      } else {
        for (int p = 0; p < kNumTags; ++p) consider(p);
      }
      cur[t] = best + emissions[i * kNumTags + t];
      back[i * kNumTags + t] = static_cast<int8_t>(arg);
    }
  }
#endif
  const float* last = score + (n - 1) * kNumTags;
  int best = static_cast<int>(std::max_element(last, last + kNumTags) - last);
  for (size_t i = n; i-- > 0;) {
    tags[i] = best;
    best = back[i * kNumTags + best];
  }
}

}  // namespace kg::ner
