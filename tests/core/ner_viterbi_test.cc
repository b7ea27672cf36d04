#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
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

}  // namespace

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
