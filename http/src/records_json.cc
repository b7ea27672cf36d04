#include "records_json.h"

namespace kg::http::internal {

using nlohmann::json;

json NodeJson(const kg::store::Node& node) {
  json properties = node.properties.is_object() ? node.properties : json::object();
  properties.erase("name");
  properties.erase("aliases");
  return {{"id", node.id},
          {"labels", node.labels},
          {"name", node.name()},
          {"aliases", node.aliases()},
          {"properties", std::move(properties)}};
}

json NodeBriefJson(const kg::store::Node& node) {
  return {{"id", node.id}, {"labels", node.labels}, {"name", node.name()}};
}

json EdgeJson(const kg::store::Edge& edge) {
  return {{"id", edge.id},
          {"type", edge.type},
          {"source", edge.source},
          {"target", edge.target},
          {"properties", edge.properties.is_object() ? edge.properties : json::object()},
          {"evidence_count", edge.evidence_count}};
}

json EvidenceJson(const kg::store::Evidence& evidence, json document_json) {
  return {{"id", evidence.id},
          {"sentence", evidence.sentence},
          {"start", evidence.start},
          {"end", evidence.end},
          {"rule", evidence.rule},
          {"confidence", evidence.confidence},
          {"properties", evidence.properties.is_object() ? evidence.properties : json::object()},
          {"document", std::move(document_json)}};
}

json DocumentJson(const kg::store::Document& document, bool full) {
  json out = {{"id", document.id},
              {"external_id", document.external_id},
              {"source", document.source},
              {"title", document.title},
              {"date", document.date},
              {"ingest_time", document.ingest_time}};
  if (full) {
    out["content_hash"] = document.content_hash;
    out["text"] = document.text;
  }
  return out;
}

const char* DirectionName(kg::store::Direction direction) {
  switch (direction) {
    case kg::store::Direction::kOut:
      return "out";
    case kg::store::Direction::kIn:
      return "in";
    case kg::store::Direction::kBoth:
      return "both";
  }
  return "both";
}

}  // namespace kg::http::internal
