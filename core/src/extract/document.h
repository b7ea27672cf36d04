#pragma once
// The per-article working state of the news extractor: sentences re-split into words, the
// mentions found in them, the entity table they resolve to, and the relations found so far.
// Lives on the stack of one Extract() call; not shared between threads.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "extract/words.h"
#include "kg/core/extraction.h"
#include "kg/core/ner_tagger.h"

namespace kg::extract {

enum class MentionKind {
  kName,       // a name the article spells out (entity)
  kTitle,      // a position or title ("Prime Minister"); not an entity by itself
  kDemonym,    // "Japanese" used as a modifier; `country` says which country
  kDate,       // a date phrase ("Dec. 16", "the previous day", "2014")
  kEventHead,  // summit / talks / meeting / conference
  kCompound,   // "Abe-Putin": a hyphenated pair of names, split once names are known
  kLeaderGov,  // "the Obama administration": a government named after its leader
};

struct SentenceMention {
  MentionKind kind = MentionKind::kName;
  size_t begin = 0;  // word indices [begin, end) in the sentence
  size_t end = 0;
  int entity = -1;        // index into the entity table, -1 when unresolved
  std::string label;      // a kg::labels name for kName
  std::string canonical;  // gazetteer canonical form (country, title), or the name
  std::string country;    // kDemonym: the country; kTitle: the country it is "of", if known
  std::string short_label;  // a one-word name's label guess, used when it is no short form
  bool from_gazetteer = false;
  bool possessive = false;         // followed by 's
  bool keep_alias = true;          // false: the surface form is no name of the entity (a capital
                                   // standing for its country, "the Obama administration")
  bool link_only = false;          // the tagger saw no name here: keep the mention only if it
                                   // is the short form of a full name ("Abe"), else drop it
  std::vector<int> compound_entities;  // kCompound: the entities of its parts
};

struct SentenceState {
  uint32_t start = 0;  // byte offsets in the article
  uint32_t end = 0;
  std::string text;
  std::vector<Word> words;
  std::vector<SentenceMention> mentions;  // sorted by begin
  bool boilerplate = false;
  bool tagged = false;              // `ner` holds the tagger's spans (false: no tagger)
  std::vector<EntitySpan> ner;      // tagger spans over `words` (word indices), sorted
};

// Entities of one article, unique by (canonical name, label family).
class EntityTable {
 public:
  // Returns the index of the entity `name` (creating it with `label`). A later, more specific
  // label (Place over Other) replaces a vaguer one.
  int Intern(const std::string& name, const std::string& label);
  // Adds `mention`; its text becomes an alias unless `as_alias` is false.
  void AddMention(int entity, const Mention& mention, bool as_alias = true);
  // Renames an entity created under a placeholder name (events are named once complete).
  void Rename(int entity, const std::string& name);
  void AddAlias(int entity, const std::string& alias);
  std::optional<int> Find(const std::string& name) const;
  ExtractedEntity& at(int index) { return entities_[static_cast<size_t>(index)]; }
  const ExtractedEntity& at(int index) const { return entities_[static_cast<size_t>(index)]; }
  size_t size() const { return entities_.size(); }
  std::vector<ExtractedEntity> Release() { return std::move(entities_); }

 private:
  std::vector<ExtractedEntity> entities_;
  std::map<std::string, int> by_name_;
};

// Relations of one article; the same (type, source, target, properties) found twice gets one
// edge with two pieces of evidence.
class RelationSet {
 public:
  void Add(const std::string& type, int source, int target, const Properties& properties,
           EvidenceSpan evidence);
  const std::vector<ExtractedRelation>& relations() const { return relations_; }
  std::vector<ExtractedRelation> Release() { return std::move(relations_); }

 private:
  std::vector<ExtractedRelation> relations_;
  std::map<std::tuple<std::string, int, int, std::string>, size_t> index_;
};

// Evidence for `sentence`.
EvidenceSpan MakeEvidence(const SentenceState& sentence, const std::string& rule,
                          double confidence, Properties properties = EmptyProperties());

}  // namespace kg::extract
