#pragma once
// Joint entity and relation decoding for CoNLL04: instead of trusting the entity tagger's best
// tagging, look at its k best taggings and keep the one whose tagging score, plus the weighted
// margins of the relations the classifier finds among its entities, is highest. A tagging
// that cuts an entity differently wins only when the relations it enables outweigh the tagger's
// preference, so the entity set stays consistent (one tagging, no overlapping spans).
// Pure function of its inputs; thread-safe when the tagger and classifier are.

#include <cstddef>
#include <string>
#include <vector>

#include "kg/core/conll04.h"
#include "kg/core/conll04_tagger.h"
#include "kg/core/relation_classifier.h"

namespace kg {

struct Conll04JointOptions {
  // Taggings considered; 1 = the tagger's best tagging, then the classifier (pipeline).
  size_t k_best = 1;
  // Weight of the relations' margins (over their thresholds) against the tagging score.
  double relation_weight = 0;
  // After decoding, CompleteCommaPlaces on the chosen entities and relations.
  bool complete_comma_places = false;
};

// The defaults `kg eval re` uses (chosen on the CoNLL04 dev split: see docs/BENCHMARKS.md).
Conll04JointOptions DefaultConll04JointOptions();

// CoNLL04's convention for a place written "City , State" as two Loc entities (the second right
// after a comma): whoever lives in (Live_In) or is based in (OrgBased_In) one lives or is based
// in the other too. Adds the relation to the other place where `relations` has one to either
// and not to both. On the training split the convention holds for 60 of 65 such relations.
void CompleteCommaPlaces(const std::vector<std::string>& tokens,
                         const std::vector<Conll04Entity>& entities,
                         std::vector<Conll04Relation>* relations);

// Entities and relations of one tokenised sentence.
Conll04Sentence ExtractConll04(const std::vector<std::string>& tokens,
                               const Conll04EntityTagger& tagger,
                               const RelationClassifier& classifier,
                               const Conll04JointOptions& options);

}  // namespace kg
