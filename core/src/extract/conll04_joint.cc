#include "kg/core/conll04_joint.h"

#include <algorithm>

namespace kg {

Conll04JointOptions DefaultConll04JointOptions() {
  Conll04JointOptions options;
  options.k_best = 4;
  options.relation_weight = 0.7;
  return options;
}

Conll04Sentence ExtractConll04(const std::vector<std::string>& tokens,
                               const Conll04EntityTagger& tagger,
                               const RelationClassifier& classifier,
                               const Conll04JointOptions& options) {
  Conll04Sentence best;
  best.tokens = tokens;
  const auto taggings = tagger.TagKBest(tokens, std::max<size_t>(1, options.k_best));
  if (taggings.empty()) return best;
  double best_objective = 0;
  for (size_t k = 0; k < taggings.size(); ++k) {
    const auto& tagging = taggings[k];
    std::vector<Conll04Relation> relations;
    double objective = tagging.score - taggings.front().score;
    for (const auto& r : classifier.ScorePairs(tokens, tagging.entities)) {
      if (r.score <= 0) continue;
      objective += options.relation_weight * r.score;
      relations.push_back({r.head, r.tail, r.type});
    }
    // Strictly better only: ties keep the better tagging.
    if (k == 0 || objective > best_objective) {
      best_objective = objective;
      best.entities = tagging.entities;
      best.relations = std::move(relations);
    }
  }
  return best;
}

}  // namespace kg
