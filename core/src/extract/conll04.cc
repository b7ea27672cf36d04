#include "kg/core/conll04.h"

#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>

namespace kg {
namespace {

// "line L, column C" of byte `offset` in `text` (1-based).
std::string LineColumn(std::string_view text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace

Result<std::vector<Conll04Sentence>> ParseConll04(std::string_view json,
                                                  const std::string& source) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json);
  } catch (const nlohmann::json::parse_error& e) {
    return Status::ParseError(source + ":" + LineColumn(json, e.byte > 0 ? e.byte - 1 : 0) +
                              ": invalid JSON (" + e.what() + ")");
  } catch (const nlohmann::json::exception& e) {
    // A value JSON cannot hold, e.g. the number 1e999: no byte position to report.
    return Status::ParseError(source + ": invalid JSON (" + e.what() + ")");
  }
  if (!doc.is_array()) return Status::ParseError(source + ": expected a JSON array of sentences");
  std::vector<Conll04Sentence> out;
  out.reserve(doc.size());
  for (size_t i = 0; i < doc.size(); ++i) {
    const auto& item = doc[i];
    std::string where = source + ": sentence " + std::to_string(i);
    try {
      Conll04Sentence s;
      s.tokens = item.at("tokens").get<std::vector<std::string>>();
      for (const auto& e : item.at("entities")) {
        Conll04Entity entity;
        entity.start = e.at("start").get<uint32_t>();
        entity.end = e.at("end").get<uint32_t>();
        entity.type = e.at("type").get<std::string>();
        if (entity.start >= entity.end || entity.end > s.tokens.size()) {
          return Status::ParseError(where + ": entity span [" + std::to_string(entity.start) +
                                    ", " + std::to_string(entity.end) + ") is out of range");
        }
        s.entities.push_back(std::move(entity));
      }
      if (item.contains("relations")) {
        for (const auto& r : item.at("relations")) {
          Conll04Relation relation;
          relation.head = r.at("head").get<uint32_t>();
          relation.tail = r.at("tail").get<uint32_t>();
          relation.type = r.at("type").get<std::string>();
          if (relation.head >= s.entities.size() || relation.tail >= s.entities.size()) {
            return Status::ParseError(where + ": relation argument out of range");
          }
          s.relations.push_back(std::move(relation));
        }
      }
      out.push_back(std::move(s));
    } catch (const nlohmann::json::exception& e) {
      return Status::ParseError(where + ": " + e.what());
    }
  }
  return out;
}

Result<std::vector<Conll04Sentence>> ReadConll04(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseConll04(buffer.str(), path.string());
}

std::vector<ConllDocument> Conll04ToConll(const std::vector<Conll04Sentence>& sentences) {
  std::vector<ConllDocument> docs;
  docs.reserve(sentences.size());
  for (const auto& s : sentences) {
    ConllSentence c;
    c.words = s.tokens;
    c.tags.assign(s.tokens.size(), "O");
    for (const auto& e : s.entities) {
      std::string type = e.type == "Peop" ? "PER" : e.type == "Org" ? "ORG"
                         : e.type == "Loc"  ? "LOC" : "MISC";
      for (uint32_t k = e.start; k < e.end; ++k) {
        c.tags[k] = (k == e.start ? "B-" : "I-") + type;
      }
    }
    ConllDocument doc;
    doc.sentences.push_back(std::move(c));
    docs.push_back(std::move(doc));
  }
  return docs;
}

std::vector<std::pair<uint32_t, uint32_t>> CommaPlacePairs(
    const std::vector<std::string>& tokens, const std::vector<Conll04Entity>& entities) {
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  for (uint32_t a = 0; a < entities.size(); ++a) {
    for (uint32_t b = 0; b < entities.size(); ++b) {
      const auto& first = entities[a];
      const auto& second = entities[b];
      if (first.type == "Loc" && second.type == "Loc" && second.start == first.end + 1 &&
          first.end < tokens.size() && tokens[first.end] == ",") {
        pairs.emplace_back(a, b);
      }
    }
  }
  return pairs;
}

std::string Conll04TypeOfNer(std::string_view ner_type) {
  if (ner_type == "PER") return "Peop";
  if (ner_type == "ORG") return "Org";
  if (ner_type == "LOC") return "Loc";
  return "Other";
}

void Conll04Scorer::Add(const Conll04Sentence& gold, const Conll04Sentence& predicted) {
  using EntityKey = std::tuple<uint32_t, uint32_t, std::string>;
  auto entity_key = [](const Conll04Entity& e) { return EntityKey(e.start, e.end, e.type); };
  std::set<EntityKey> gold_entities, predicted_entities;
  for (const auto& e : gold.entities) gold_entities.insert(entity_key(e));
  for (const auto& e : predicted.entities) predicted_entities.insert(entity_key(e));
  for (const auto& key : gold_entities) {
    ++entities_.gold;
    ++entity_types_[std::get<2>(key)].gold;
  }
  for (const auto& key : predicted_entities) {
    ++entities_.predicted;
    ++entity_types_[std::get<2>(key)].predicted;
    if (gold_entities.count(key) > 0) {
      ++entities_.correct;
      ++entity_types_[std::get<2>(key)].correct;
    }
  }
  using RelationKey = std::tuple<EntityKey, EntityKey, std::string>;
  auto relation_keys = [&](const Conll04Sentence& s) {
    std::set<RelationKey> keys;
    for (const auto& r : s.relations) {
      keys.emplace(entity_key(s.entities[r.head]), entity_key(s.entities[r.tail]), r.type);
    }
    return keys;
  };
  auto gold_relations = relation_keys(gold);
  auto predicted_relations = relation_keys(predicted);
  for (const auto& key : gold_relations) {
    ++relations_.gold;
    ++relation_types_[std::get<2>(key)].gold;
  }
  for (const auto& key : predicted_relations) {
    ++relations_.predicted;
    ++relation_types_[std::get<2>(key)].predicted;
    if (gold_relations.count(key) > 0) {
      ++relations_.correct;
      ++relation_types_[std::get<2>(key)].correct;
    }
  }
}

}  // namespace kg
