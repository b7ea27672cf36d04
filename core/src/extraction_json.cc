#include "kg/core/extraction_json.h"

#include <limits>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace kg {
namespace {

using Json = nlohmann::ordered_json;

// Thrown inside ExtractionFromJson only, turned into InvalidArgument at its end.
struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const nlohmann::json& Field(const nlohmann::json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end()) {
    throw FormatError((where.empty() ? "" : where + ".") + key + " is missing");
  }
  return *it;
}

std::string String(const nlohmann::json& object, const char* key, const std::string& where) {
  const auto& v = Field(object, key, where);
  if (!v.is_string()) throw FormatError(where + "." + key + " is not a string");
  return v.get<std::string>();
}

uint32_t Offset(const nlohmann::json& object, const char* key, const std::string& where) {
  const auto& v = Field(object, key, where);
  if (!v.is_number_unsigned() || v.get<uint64_t>() > std::numeric_limits<uint32_t>::max()) {
    throw FormatError(where + "." + key + " is not a byte offset");
  }
  return static_cast<uint32_t>(v.get<uint64_t>());
}

const nlohmann::json& Array(const nlohmann::json& object, const char* key,
                            const std::string& where) {
  const auto& v = Field(object, key, where);
  if (!v.is_array()) throw FormatError(where + "." + key + " is not an array");
  return v;
}

// Optional object-valued "properties"; absent or null means none.
Properties OptionalProperties(const nlohmann::json& object, const std::string& where) {
  auto it = object.find("properties");
  if (it == object.end() || it->is_null()) return EmptyProperties();
  if (!it->is_object()) throw FormatError(where + ".properties is not an object");
  return *it;
}

Extraction Parse(const nlohmann::json& j) {
  if (!j.is_object()) throw FormatError("not a JSON object");
  if (!j.contains("doc") && j.contains("kind")) {
    throw FormatError("a kg dump record, not an extraction (a dump loads from a file, not from "
                      "standard input or beside other files)");
  }
  Extraction out;
  const auto& doc = Field(j, "doc", "");
  if (!doc.is_object()) throw FormatError("doc is not an object");
  out.doc.id = String(doc, "id", "doc");
  out.doc.title = String(doc, "title", "doc");
  out.doc.date = String(doc, "date", "doc");
  out.doc.source = String(doc, "source", "doc");
  out.doc.content_hash = String(doc, "content_hash", "doc");
  if (out.doc.content_hash.empty()) throw FormatError("doc.content_hash is empty");
  if (!doc.contains("text")) {
    throw FormatError("doc.text is missing (written by a kg extract older than kg load?)");
  }
  out.doc.text = String(doc, "text", "doc");

  const auto& entities = Array(j, "entities", "");
  out.entities.reserve(entities.size());
  for (size_t i = 0; i < entities.size(); ++i) {
    std::string where = "entities[" + std::to_string(i) + "]";
    const auto& e = entities[i];
    if (!e.is_object()) throw FormatError(where + " is not an object");
    auto id = e.find("id");
    if (id != e.end() && !(id->is_number_unsigned() && id->get<uint64_t>() == i)) {
      throw FormatError(where + ".id is not " + std::to_string(i));
    }
    ExtractedEntity entity;
    entity.name = String(e, "name", where);
    entity.label = String(e, "label", where);
    for (const auto& alias : Array(e, "aliases", where)) {
      if (!alias.is_string()) throw FormatError(where + ".aliases holds a non-string");
      entity.aliases.push_back(alias.get<std::string>());
    }
    const auto& mentions = Array(e, "mentions", where);
    for (size_t m = 0; m < mentions.size(); ++m) {
      std::string mwhere = where + ".mentions[" + std::to_string(m) + "]";
      if (!mentions[m].is_object()) throw FormatError(mwhere + " is not an object");
      Mention mention;
      mention.start = Offset(mentions[m], "start", mwhere);
      mention.end = Offset(mentions[m], "end", mwhere);
      mention.text = String(mentions[m], "text", mwhere);
      entity.mentions.push_back(std::move(mention));
    }
    entity.properties = OptionalProperties(e, where);
    out.entities.push_back(std::move(entity));
  }

  const auto& relations = Array(j, "relations", "");
  out.relations.reserve(relations.size());
  for (size_t i = 0; i < relations.size(); ++i) {
    std::string where = "relations[" + std::to_string(i) + "]";
    const auto& r = relations[i];
    if (!r.is_object()) throw FormatError(where + " is not an object");
    ExtractedRelation relation;
    relation.type = String(r, "type", where);
    relation.source = Offset(r, "source", where);
    relation.target = Offset(r, "target", where);
    if (relation.source >= out.entities.size() || relation.target >= out.entities.size()) {
      throw FormatError(where + " names an entity that does not exist");
    }
    relation.properties = OptionalProperties(r, where);
    const auto& evidence = Array(r, "evidence", where);
    for (size_t k = 0; k < evidence.size(); ++k) {
      std::string ewhere = where + ".evidence[" + std::to_string(k) + "]";
      const auto& ev = evidence[k];
      if (!ev.is_object()) throw FormatError(ewhere + " is not an object");
      EvidenceSpan span;
      span.sentence = String(ev, "sentence", ewhere);
      span.start = Offset(ev, "start", ewhere);
      span.end = Offset(ev, "end", ewhere);
      span.rule = String(ev, "rule", ewhere);
      const auto& confidence = Field(ev, "confidence", ewhere);
      if (!confidence.is_number()) throw FormatError(ewhere + ".confidence is not a number");
      span.confidence = confidence.get<double>();
      span.properties = OptionalProperties(ev, ewhere);
      relation.evidence.push_back(std::move(span));
    }
    out.relations.push_back(std::move(relation));
  }
  return out;
}

}  // namespace

std::string ExtractionToJson(const Extraction& extraction, bool with_text) {
  Json out;
  const DocumentInfo& doc = extraction.doc;
  out["doc"] = Json{{"id", doc.id},
                    {"title", doc.title},
                    {"date", doc.date},
                    {"source", doc.source},
                    {"content_hash", doc.content_hash}};
  if (with_text) out["doc"]["text"] = doc.text;
  Json entities = Json::array();
  for (size_t i = 0; i < extraction.entities.size(); ++i) {
    const ExtractedEntity& entity = extraction.entities[i];
    Json mentions = Json::array();
    for (const Mention& mention : entity.mentions) {
      mentions.push_back(
          Json{{"start", mention.start}, {"end", mention.end}, {"text", mention.text}});
    }
    Json e{{"id", i},
           {"name", entity.name},
           {"label", entity.label},
           {"aliases", entity.aliases},
           {"mentions", std::move(mentions)}};
    if (entity.properties.is_object() && !entity.properties.empty()) {
      e["properties"] = Json::parse(entity.properties.dump());
    }
    entities.push_back(std::move(e));
  }
  out["entities"] = std::move(entities);
  Json relations = Json::array();
  for (const ExtractedRelation& relation : extraction.relations) {
    Json evidence = Json::array();
    for (const EvidenceSpan& span : relation.evidence) {
      Json ev{{"sentence", span.sentence}, {"start", span.start},   {"end", span.end},
              {"rule", span.rule},         {"confidence", span.confidence}};
      if (span.properties.is_object() && !span.properties.empty()) {
        ev["properties"] = Json::parse(span.properties.dump());
      }
      evidence.push_back(std::move(ev));
    }
    Json properties = relation.properties.is_object()
                          ? Json::parse(relation.properties.dump())
                          : Json::object();
    relations.push_back(Json{{"type", relation.type},
                             {"source", relation.source},
                             {"target", relation.target},
                             {"properties", std::move(properties)},
                             {"evidence", std::move(evidence)}});
  }
  out["relations"] = std::move(relations);
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<Extraction> ExtractionFromJson(std::string_view line) {
  nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    // Parse again with exceptions for the position and reason nlohmann reports.
    try {
      auto unused = nlohmann::json::parse(line);
      (void)unused;
    } catch (const nlohmann::json::parse_error& e) {
      std::string what = e.what();
      auto pos = what.find("parse error");
      return Status::InvalidArgument("malformed JSON: " +
                                     (pos == std::string::npos ? what : what.substr(pos)));
    } catch (const nlohmann::json::exception& e) {
      // Not a syntax error but a value JSON cannot hold, e.g. the number 1e999.
      return Status::InvalidArgument(std::string("malformed JSON: ") + e.what());
    }
    return Status::InvalidArgument("malformed JSON");
  }
  try {
    return Parse(j);
  } catch (const FormatError& e) {
    return Status::InvalidArgument(e.what());
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(e.what());
  }
}

}  // namespace kg
