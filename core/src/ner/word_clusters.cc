#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <unordered_map>

#include "kg/core/ner_trainer.h"

namespace kg::ner {
namespace {

std::string LowerAscii(std::string_view w) {
  std::string out(w);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

using SparseVector = std::vector<std::pair<uint32_t, float>>;

// Spherical k-means: returns the cluster of every vector. Centroids start at `k` distinct
// vectors drawn with `rng` from the first `pool` ones (the most frequent words).
std::vector<int> KMeans(const std::vector<SparseVector>& vectors, size_t dims, int k,
                        int iterations, std::mt19937_64& rng) {
  const size_t n = vectors.size();
  std::vector<int> assign(n, 0);
  if (n == 0) return assign;
  k = std::min<int>(k, static_cast<int>(n));
  const size_t pool = std::min(n, std::max<size_t>(static_cast<size_t>(k) * 8, 2000));
  std::vector<size_t> ids(pool);
  for (size_t i = 0; i < pool; ++i) ids[i] = i;
  for (size_t i = pool - 1; i > 0; --i) std::swap(ids[i], ids[rng() % (i + 1)]);
  std::vector<float> centroids(static_cast<size_t>(k) * dims, 0.0f);
  for (int c = 0; c < k; ++c) {
    for (const auto& [d, v] : vectors[ids[c]]) centroids[c * dims + d] = v;
  }
  for (int it = 0; it < iterations; ++it) {
    for (size_t i = 0; i < n; ++i) {
      float best = -1e30f;
      int arg = 0;
      for (int c = 0; c < k; ++c) {
        const float* cent = centroids.data() + c * dims;
        float dot = 0;
        for (const auto& [d, v] : vectors[i]) dot += v * cent[d];
        if (dot > best) {
          best = dot;
          arg = c;
        }
      }
      assign[i] = arg;
    }
    std::vector<float> sums(centroids.size(), 0.0f);
    std::vector<int> sizes(k, 0);
    for (size_t i = 0; i < n; ++i) {
      ++sizes[assign[i]];
      for (const auto& [d, v] : vectors[i]) sums[assign[i] * dims + d] += v;
    }
    for (int c = 0; c < k; ++c) {
      if (sizes[c] == 0) continue;  // an emptied cluster keeps its old centroid
      float norm = 0;
      for (size_t d = 0; d < dims; ++d) norm += sums[c * dims + d] * sums[c * dims + d];
      norm = std::sqrt(norm);
      for (size_t d = 0; d < dims; ++d) centroids[c * dims + d] = sums[c * dims + d] / norm;
    }
  }
  return assign;
}

}  // namespace

void BuildWordClusters(const std::vector<std::vector<std::string>>& sentences,
                       const ClusterOptions& options, NerResources* resources) {
  std::unordered_map<std::string, uint32_t> counts;
  for (const auto& s : sentences) {
    for (const auto& w : s) ++counts[LowerAscii(w)];
  }
  std::vector<std::pair<std::string, uint32_t>> vocab;
  for (auto& [word, count] : counts) {
    if (count >= static_cast<uint32_t>(options.min_count)) vocab.emplace_back(word, count);
  }
  std::sort(vocab.begin(), vocab.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::unordered_map<std::string, uint32_t> vocab_index;
  for (uint32_t i = 0; i < vocab.size(); ++i) vocab_index.emplace(vocab[i].first, i);
  const uint32_t context = std::min<uint32_t>(options.context_words, vocab.size());
  // Dimensions: left neighbour [0, context), right neighbour [context, 2 context), then
  // sentence start and sentence end.
  const size_t dims = 2 * static_cast<size_t>(context) + 2;
  std::vector<std::map<uint32_t, float>> raw(vocab.size());
  std::vector<uint32_t> ids;
  for (const auto& s : sentences) {
    ids.clear();
    for (const auto& w : s) {
      auto it = vocab_index.find(LowerAscii(w));
      ids.push_back(it == vocab_index.end() ? UINT32_MAX : it->second);
    }
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] == UINT32_MAX) continue;
      auto& vec = raw[ids[i]];
      if (i == 0) vec[2 * context] += 1;
      else if (ids[i - 1] < context) vec[ids[i - 1]] += 1;
      if (i + 1 == ids.size()) vec[2 * context + 1] += 1;
      else if (ids[i + 1] < context) vec[context + ids[i + 1]] += 1;
    }
  }
  std::vector<SparseVector> vectors(vocab.size());
  for (size_t i = 0; i < vocab.size(); ++i) {
    float norm = 0;
    for (const auto& [d, c] : raw[i]) {
      float v = std::log1p(c);
      vectors[i].emplace_back(d, v);
      norm += v * v;
    }
    norm = std::sqrt(norm);
    if (norm > 0) {
      for (auto& [d, v] : vectors[i]) v /= norm;
    }
  }
  std::mt19937_64 rng(options.seed);
  auto fine = KMeans(vectors, dims, options.fine, options.iterations, rng);
  auto coarse = KMeans(vectors, dims, options.coarse, options.iterations, rng);
  resources->clusters.clear();
  for (size_t i = 0; i < vocab.size(); ++i) {
    if (vectors[i].empty()) continue;
    resources->clusters[HashBytes(vocab[i].first)] =
        (static_cast<uint32_t>(coarse[i] + 1) << 16) | static_cast<uint32_t>(fine[i] + 1);
  }
}

std::vector<std::vector<std::string>> RoughSentences(std::string_view text) {
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> sentence;
  auto is_punct = [](char c) {
    return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '"' ||
           c == '(' || c == ')' || c == '\'' || c == '[' || c == ']';
  };
  size_t i = 0;
  while (i <= text.size()) {
    if (i == text.size() || text[i] == '\n') {
      if (!sentence.empty()) out.push_back(std::move(sentence));
      sentence.clear();
      ++i;
      continue;
    }
    if (text[i] == ' ' || text[i] == '\t' || text[i] == '\r') {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n' &&
           text[i] != '\r') {
      ++i;
    }
    std::string_view word = text.substr(start, i - start);
    std::vector<std::string> trailing;
    while (!word.empty() && is_punct(word.front())) {
      sentence.emplace_back(1, word.front());
      word.remove_prefix(1);
    }
    while (!word.empty() && is_punct(word.back())) {
      // Keep the period of abbreviations like "U.S." and "Mr." on the word.
      if (word.back() == '.' && word.size() > 1 && word.find('.') != word.size() - 1) break;
      trailing.emplace_back(1, word.back());
      word.remove_suffix(1);
    }
    if (word.size() > 2 && (word.ends_with("'s") || word.ends_with("'S"))) {
      sentence.emplace_back(word.substr(0, word.size() - 2));
      sentence.emplace_back(word.substr(word.size() - 2));
    } else if (!word.empty()) {
      sentence.emplace_back(word);
    }
    sentence.insert(sentence.end(), trailing.rbegin(), trailing.rend());
  }
  return out;
}

Result<std::vector<std::vector<std::string>>> ReadJsonlSentences(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open " + path.string());
  std::vector<std::vector<std::string>> out;
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    auto doc = nlohmann::json::parse(line, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
      return Status::ParseError(path.string() + ":" + std::to_string(line_no) +
                                ": not a JSON object");
    }
    for (const char* field : {"title", "text"}) {
      if (auto it = doc.find(field); it != doc.end() && it->is_string()) {
        auto sentences = RoughSentences(it->get<std::string>());
        out.insert(out.end(), std::make_move_iterator(sentences.begin()),
                   std::make_move_iterator(sentences.end()));
      }
    }
  }
  return out;
}

}  // namespace kg::ner
