#include "kg/core/conll04_joint.h"

#include <algorithm>

namespace kg {

Conll04JointOptions DefaultConll04JointOptions() {
  Conll04JointOptions options;
  options.k_best = 4;
  options.relation_weight = 0.7;
  options.complete_comma_places = true;
  return options;
}

void CompleteCommaPlaces(const std::vector<std::string>& tokens,
                         const std::vector<Conll04Entity>& entities,
                         std::vector<Conll04Relation>* relations) {
  auto has = [&](uint32_t head, uint32_t tail, const std::string& type) {
    return std::any_of(relations->begin(), relations->end(), [&](const Conll04Relation& r) {
      return r.head == head && r.tail == tail && r.type == type;
    });
  };
  for (const auto& [a, b] : CommaPlacePairs(tokens, entities)) {
    // Index loop: the vector grows; the added relations point at a or b and are skipped.
    for (size_t k = 0; k < relations->size(); ++k) {
      const Conll04Relation r = (*relations)[k];
      if (r.type != "Live_In" && r.type != "OrgBased_In") continue;
      const uint32_t other = r.tail == a ? b : r.tail == b ? a : r.tail;
      if (other == r.tail || has(r.head, other, r.type)) continue;
      relations->push_back({r.head, other, r.type});
    }
  }
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
  if (options.complete_comma_places) CompleteCommaPlaces(tokens, best.entities, &best.relations);
  return best;
}

}  // namespace kg
