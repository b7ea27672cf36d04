#pragma once
// CoNLL04 (Roth & Yih 2004) joint entity and relation data in the SpERT JSON format: an array of
// sentences, each {"tokens": [...], "entities": [{"type", "start", "end"}], "relations":
// [{"type", "head", "tail"}]}; start/end are token offsets (end exclusive), head/tail index
// the sentence's entities. Also the strict scoring used for it: an entity counts when both
// boundaries and the type match; a relation when its type and both argument entities (spans
// and types) match. Pure functions; the scorer is a value (one per thread).

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kg/core/conll.h"
#include "kg/core/status.h"

namespace kg {

struct Conll04Entity {
  uint32_t start = 0;  // first token
  uint32_t end = 0;    // one past the last token
  std::string type;    // Peop, Org, Loc, Other
  bool operator==(const Conll04Entity&) const = default;
};

struct Conll04Relation {
  uint32_t head = 0;  // index into the sentence's entities
  uint32_t tail = 0;
  std::string type;   // Work_For, Kill, OrgBased_In, Live_In, Located_In
};

struct Conll04Sentence {
  std::vector<std::string> tokens;
  std::vector<Conll04Entity> entities;
  std::vector<Conll04Relation> relations;
};

// Reads a CoNLL04 JSON file. NotFound when it cannot be opened; ParseError naming the file and
// line:column for bad JSON, or the file and sentence index for a field that is missing, of the
// wrong type or out of range.
Result<std::vector<Conll04Sentence>> ReadConll04(const std::filesystem::path& path);
// The same over bytes in memory; `source` names them in messages.
Result<std::vector<Conll04Sentence>> ParseConll04(std::string_view json, const std::string& source);

// CoNLL04 sentences as CoNLL-2003 documents (one sentence each) with IOB2 tags, so the NER
// trainer can learn CoNLL04's entity types: Peop -> PER, Org -> ORG, Loc -> LOC, Other -> MISC.
std::vector<ConllDocument> Conll04ToConll(const std::vector<Conll04Sentence>& sentences);
// The CoNLL04 type of a CoNLL-2003 type ("PER" -> "Peop"); "Other" for anything else.
std::string Conll04TypeOfNer(std::string_view ner_type);

// The places written "City , State": index pairs (a, b) of Loc entities where b starts right
// after a comma that ends a. CoNLL04 gives whoever lives or is based in one the other too.
std::vector<std::pair<uint32_t, uint32_t>> CommaPlacePairs(
    const std::vector<std::string>& tokens, const std::vector<Conll04Entity>& entities);

// Strict entity and relation scores accumulated over sentences.
class Conll04Scorer {
 public:
  // `gold` and `predicted` are the same sentence (same tokens).
  void Add(const Conll04Sentence& gold, const Conll04Sentence& predicted);
  const PrfCounts& entities() const { return entities_; }
  const std::map<std::string, PrfCounts>& entity_types() const { return entity_types_; }
  const PrfCounts& relations() const { return relations_; }
  const std::map<std::string, PrfCounts>& relation_types() const { return relation_types_; }

 private:
  PrfCounts entities_;
  std::map<std::string, PrfCounts> entity_types_;
  PrfCounts relations_;
  std::map<std::string, PrfCounts> relation_types_;
};

}  // namespace kg
