#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <random>
#include <vector>

#include "kg/core/ner_features.h"
#include "kg/core/ner_model.h"

namespace {

// The score of one tag sequence, or nullopt when IOB2 forbids it.
std::optional<float> ViterbiTestPathScore(const std::vector<float>& emissions,
                                          const std::vector<float>& transitions,
                                          const std::vector<int>& tags) {
  float score = 0;
  int prev = -1;
  for (size_t i = 0; i < tags.size(); ++i) {
    if (!kg::ner::AllowedTransition(prev, tags[i])) return std::nullopt;
    score += transitions[static_cast<size_t>((prev + 1) * kg::ner::kNumTags + tags[i])] +
             emissions[i * kg::ner::kNumTags + static_cast<size_t>(tags[i])];
    prev = tags[i];
  }
  return score;
}

// The plain scalar Viterbi (the decoder before its vector path): per tag, the allowed previous
// tags in ascending order, strict '>', so ties go to the first. Returns the scores too.
std::vector<int> ViterbiTestScalar(const std::vector<float>& emissions,
                                   const std::vector<float>& transitions, size_t n,
                                   std::vector<float>* scores) {
  using kg::ner::kNumTags;
  constexpr float kNeg = -std::numeric_limits<float>::infinity();
  std::vector<float>& score = *scores;
  score.assign(n * kNumTags, 0);
  std::vector<int8_t> back(n * kNumTags, 0);
  for (int t = 0; t < kNumTags; ++t) {
    score[t] = kg::ner::AllowedTransition(-1, t) ? transitions[t] + emissions[t] : kNeg;
  }
  for (size_t i = 1; i < n; ++i) {
    for (int t = 0; t < kNumTags; ++t) {
      float best = kNeg;
      int arg = 0;
      for (int p = 0; p < kNumTags; ++p) {
        if (kg::ner::IsInside(t) && p != t - 1 && p != t) continue;
        const float s = score[(i - 1) * kNumTags + p] + transitions[(p + 1) * kNumTags + t];
        if (s > best) {
          best = s;
          arg = p;
        }
      }
      score[i * kNumTags + t] = best + emissions[i * kNumTags + t];
      back[i * kNumTags + t] = static_cast<int8_t>(arg);
    }
  }
  std::vector<int> tags(n);
  const float* last = score.data() + (n - 1) * kNumTags;
  int best = static_cast<int>(std::max_element(last, last + kNumTags) - last);
  for (size_t i = n; i-- > 0;) {
    tags[i] = best;
    best = back[i * kNumTags + best];
  }
  return tags;
}

}  // namespace

TEST_CASE("Viterbi gives the scalar decoder's path and scores bit for bit, ties included",
          "[core][ner_model]") {
  using kg::ner::kNumTags;
  constexpr float kNeg = -std::numeric_limits<float>::infinity();
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(-4.0f, 4.0f);
  std::uniform_int_distribution<int> coarse(-2, 2);  // few distinct values: many ties
  std::uniform_int_distribution<int> pick(0, 19);
  std::vector<float> score_buffer;
  std::vector<int8_t> back_buffer;
  for (int round = 0; round < 300; ++round) {
    const size_t n = 1 + static_cast<size_t>(round % 40);
    const bool ties = round % 3 == 0;
    std::vector<float> emissions(n * kNumTags);
    std::vector<float> transitions((kNumTags + 1) * kNumTags);
    for (float& e : emissions) {
      e = ties ? static_cast<float>(coarse(rng)) : dist(rng);
      if (round % 5 == 1 && pick(rng) == 0) e = kNeg;  // impossible tags, as masks make them
    }
    for (float& t : transitions) {
      t = ties ? static_cast<float>(coarse(rng)) * 0.5f : dist(rng);
      if (round % 7 == 2 && pick(rng) == 0) t = kNeg;
    }
    std::vector<float> expected_scores;
    const std::vector<int> expected = ViterbiTestScalar(emissions, transitions, n,
                                                        &expected_scores);
    std::vector<int> decoded(n, -1);
    kg::ner::ViterbiDecode(emissions.data(), n, transitions.data(), decoded.data(), &score_buffer,
                           &back_buffer);
    INFO("round " << round << ", " << n << " tokens");
    CHECK(decoded == expected);
    REQUIRE(score_buffer.size() >= expected_scores.size());
    CHECK(std::memcmp(score_buffer.data(), expected_scores.data(),
                      expected_scores.size() * sizeof(float)) == 0);
  }
}

TEST_CASE("Viterbi finds the best allowed path of every length", "[core][ner_model]") {
  std::mt19937 rng(42);
  std::uniform_real_distribution<float> dist(-4.0f, 4.0f);
  std::vector<float> score_buffer;
  std::vector<int8_t> back_buffer;
  for (int round = 0; round < 30; ++round) {
    const size_t n = 1 + static_cast<size_t>(round % 4);
    std::vector<float> emissions(n * kg::ner::kNumTags);
    std::vector<float> transitions((kg::ner::kNumTags + 1) * kg::ner::kNumTags);
    for (float& e : emissions) e = dist(rng);
    for (float& t : transitions) t = dist(rng);
    // Brute force over all 9^n sequences.
    std::vector<int> tags(n, 0), best_tags;
    float best = -1e30f;
    for (;;) {
      if (auto s = ViterbiTestPathScore(emissions, transitions, tags); s && *s > best) {
        best = *s;
        best_tags = tags;
      }
      size_t k = 0;
      while (k < n && ++tags[k] == kg::ner::kNumTags) tags[k++] = 0;
      if (k == n) break;
    }
    std::vector<int> decoded(n, -1), reused(n, -1);
    kg::ner::ViterbiDecode(emissions.data(), n, transitions.data(), decoded.data());
    // The buffers of the previous (longer or shorter) sentence are reused.
    kg::ner::ViterbiDecode(emissions.data(), n, transitions.data(), reused.data(), &score_buffer,
                           &back_buffer);
    INFO("round " << round);
    CHECK(decoded == best_tags);
    CHECK(reused == best_tags);
  }
}
