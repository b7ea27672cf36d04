#pragma once
// The JSON shapes of store records in API answers (docs/HTTP.md, "Shapes"). Plain functions of
// values; thread-safe.

#include <nlohmann/json.hpp>

#include "kg/store/graph_store.h"

namespace kg::http::internal {

// {"id", "labels", "name", "aliases", "properties"} — properties without name/aliases.
nlohmann::json NodeJson(const kg::store::Node& node);
// {"id", "labels", "name"}: enough to draw and label a node.
nlohmann::json NodeBriefJson(const kg::store::Node& node);
// {"id", "type", "source", "target", "properties", "evidence_count"}.
nlohmann::json EdgeJson(const kg::store::Edge& edge);
// {"id", "sentence", "start", "end", "rule", "confidence", "properties", "document"}; document
// is `document_json` (null when the evidence names no stored document).
nlohmann::json EvidenceJson(const kg::store::Evidence& evidence, nlohmann::json document_json);
// {"id", "external_id", "source", "title", "date", "ingest_time"} (+ "content_hash", "text"
// when `full`).
nlohmann::json DocumentJson(const kg::store::Document& document, bool full);

const char* DirectionName(kg::store::Direction direction);

}  // namespace kg::http::internal
