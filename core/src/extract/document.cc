#include "extract/document.h"

#include <algorithm>

#include "kg/core/labels.h"

namespace kg::extract {
namespace {

// How specific a label is; a mention with a more specific label upgrades the entity.
int LabelRank(const std::string& label) {
  if (label == labels::kOther) return 0;
  return 1;
}

}  // namespace

int EntityTable::Intern(const std::string& name, const std::string& label) {
  auto it = by_name_.find(name);
  if (it != by_name_.end()) {
    auto& entity = entities_[static_cast<size_t>(it->second)];
    if (LabelRank(label) > LabelRank(entity.label)) entity.label = label;
    return it->second;
  }
  ExtractedEntity entity;
  entity.name = name;
  entity.label = label;
  entities_.push_back(std::move(entity));
  int index = static_cast<int>(entities_.size() - 1);
  by_name_[name] = index;
  return index;
}

void EntityTable::AddMention(int entity, const Mention& mention, bool as_alias) {
  auto& e = entities_[static_cast<size_t>(entity)];
  for (const auto& m : e.mentions) {
    if (m.start == mention.start && m.end == mention.end) return;
  }
  e.mentions.push_back(mention);
  if (as_alias && mention.text != e.name) AddAlias(entity, mention.text);
}

void EntityTable::Rename(int entity, const std::string& name) {
  auto& e = entities_[static_cast<size_t>(entity)];
  by_name_.erase(e.name);
  e.name = name;
  by_name_[name] = entity;
}

void EntityTable::AddAlias(int entity, const std::string& alias) {
  auto& e = entities_[static_cast<size_t>(entity)];
  if (alias == e.name || alias.empty()) return;
  if (std::find(e.aliases.begin(), e.aliases.end(), alias) == e.aliases.end()) {
    e.aliases.push_back(alias);
  }
}

std::optional<int> EntityTable::Find(const std::string& name) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

void RelationSet::Add(const std::string& type, int source, int target,
                      const Properties& properties, EvidenceSpan evidence) {
  if (source < 0 || target < 0 || source == target) return;
  auto key = std::make_tuple(type, source, target, properties.dump());
  auto it = index_.find(key);
  if (it == index_.end()) {
    ExtractedRelation relation;
    relation.type = type;
    relation.source = static_cast<uint32_t>(source);
    relation.target = static_cast<uint32_t>(target);
    relation.properties = properties;
    relation.evidence.push_back(std::move(evidence));
    index_[key] = relations_.size();
    relations_.push_back(std::move(relation));
    return;
  }
  auto& relation = relations_[it->second];
  for (const auto& e : relation.evidence) {
    if (e.start == evidence.start && e.rule == evidence.rule &&
        e.properties == evidence.properties) {
      return;
    }
  }
  relation.evidence.push_back(std::move(evidence));
}

EvidenceSpan MakeEvidence(const SentenceState& sentence, const std::string& rule,
                          double confidence, Properties properties) {
  EvidenceSpan evidence;
  evidence.sentence = sentence.text;
  evidence.start = sentence.start;
  evidence.end = sentence.end;
  evidence.rule = rule;
  evidence.confidence = confidence;
  evidence.properties = std::move(properties);
  return evidence;
}

}  // namespace kg::extract
