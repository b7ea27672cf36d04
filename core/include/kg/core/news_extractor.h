#pragma once
// The news extractor: kg's Extractor for news articles. It finds entities (gazetteer of
// countries, capitals, demonyms, groupings and positions; the trained NER tagger for the other
// names and their types; capitalised-name heuristics where the tagger is not installed),
// resolves them within the article (Abe -> Shinzo Abe; "the Japanese government" -> Japan;
// "Washington conveyed" -> United States while "a summit in Tokyo" stays the Place Tokyo), and
// finds relations with general lexico-syntactic patterns (HOLDS_POSITION, MEMBER_OF, STANCE,
// ANNEXED, PART_OF, events with PARTICIPANT_IN / MEETS / HELD_IN) and, when its model is
// present, a trained entity-pair classifier (WORKS_FOR, LOCATED_IN, BASED_IN, LIVES_IN, KILLED).
// Every relation carries evidence: the sentence, its byte offsets, the rule and a confidence.
// docs/SCHEMA.md documents every label, type and property it produces.
//
// Thread safety: the returned Extractor holds only read-only data after construction, so one
// instance may serve Extract() calls from many threads at once.

#include <filesystem>
#include <memory>

#include "kg/core/extractor.h"
#include "kg/core/status.h"

namespace kg {

struct NewsExtractorOptions {
  // The relation classifier model (models/re.model). Empty = kg::DataPath("models/re.model");
  // when that file does not exist the classifier is simply not used (patterns still run).
  std::filesystem::path model_path;
  // Where the cue lists live (stance cues, administrative divisions). Empty =
  // kg::DataPath("data/patterns").
  std::filesystem::path patterns_dir;
  // The gazetteer tables; empty = kg::Gazetteer::Default()'s sources.
  std::filesystem::path gazetteer_dir;
  // The NER tagger (models/ner.model) that finds and types the names the gazetteer does not
  // know. Empty = $KG_NER_MODEL if set ("none": no tagger), else
  // kg::DataPath("models/ner.model"); when that file does not exist, names are found by
  // capitalisation heuristics alone. Loaded once, shared by all threads.
  std::filesystem::path ner_model_path;
  // False: do not load the tagger even when the model exists (heuristics only).
  bool use_ner = true;
  // Relations found by the classifier below this score are dropped (0..1).
  double min_classifier_confidence = 0.6;
};

// Builds a news extractor. Fails when the gazetteer or the pattern files cannot be read (NotFound
// / ParseError naming file:line) or when `model_path` was given explicitly but cannot be loaded.
Result<std::unique_ptr<Extractor>> NewNewsExtractor(const NewsExtractorOptions& options = {});

}  // namespace kg
