#pragma once
// The NER model: linear weights per (feature bucket, tag), IOB2 transition scores, and the
// outside knowledge the features need (NerResources). Immutable once loaded.
//
// File format (all integers little-endian), documented in docs/NER.md:
//   "KGNERMDL"  8 bytes magic
//   u32 version (kNerModelVersion)
//   u32 payload size before compression, u32 payload size compressed, u32 CRC-32 of the payload
//   zlib-compressed payload:
//     u32 number of tags, then each tag name as u8 length + bytes (must equal kTagNames)
//     u32 feature groups (FeatureGroup bits), u32 hash bits
//     u32 length + bytes: free-text description (training command, data digests)
//     f32 transitions[(kNumTags + 1) * kNumTags]  (row 0 = sentence start, row p+1 = after p)
//     f32 weight scale; u32 row count R; u32 bucket[R] ascending; i16 weight[R * kNumTags]
//     u32 count + u64[count] lower-case word-list hashes (ascending)
//     u32 count + u64[count] proper-noun word-list hashes (ascending)
//     u32 count + (u64 word hash, u32 cluster)[count] (ascending by hash)
//     only when groups has kFeatEntityPhrases: u32 count + (u64 phrase hash, u32 types)[count]
//     (ascending by hash)
// A file with another magic, version, tag set, size or checksum is refused with a message.

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "kg/core/ner_features.h"
#include "kg/core/status.h"

namespace kg::ner {

inline constexpr uint32_t kNerModelVersion = 1;
inline constexpr uint32_t kNoRow = 0xFFFFFFFFu;

struct NerModel {
  uint32_t groups = kAllFeatures;
  uint32_t hash_bits = 20;
  std::string description;
  std::array<float, (kNumTags + 1) * kNumTags> transitions{};
  std::vector<uint32_t> index;  // 2^hash_bits entries: row of a bucket, or kNoRow
  std::vector<float> rows;      // row-major, kNumTags weights per row
  NerResources resources;

  // Builds the sparse form from dense weights (2^hash_bits * kNumTags), dropping buckets whose
  // weights are all below `min_abs` in magnitude.
  static NerModel FromDense(const std::vector<float>& dense, uint32_t hash_bits, float min_abs);

  // The weights of `bucket`, or null when the bucket has none.
  const float* Row(uint32_t bucket) const {
    uint32_t r = index[bucket];
    return r == kNoRow ? nullptr : rows.data() + static_cast<size_t>(r) * kNumTags;
  }

  std::string Serialize() const;
  // `source` names the bytes in error messages (usually the file path).
  static Result<NerModel> Parse(std::string_view bytes, const std::string& source);
  Status Save(const std::filesystem::path& path) const;
  static Result<NerModel> Load(const std::filesystem::path& path);
};

// Best IOB2 tag sequence (Viterbi) for `n` tokens with emission scores emissions[i * kNumTags +
// t] and transitions as in NerModel. Invalid IOB2 transitions (O -> I-X) are never chosen.
void ViterbiDecode(const float* emissions, size_t n, const float* transitions, int* tags);
// The same with the caller's work buffers (resized as needed), so that a caller decoding many
// sentences allocates nothing per sentence.
void ViterbiDecode(const float* emissions, size_t n, const float* transitions, int* tags,
                   std::vector<float>* score, std::vector<int8_t>* back);

}  // namespace kg::ner
