#pragma once
// How `kg stats` and `kg-inspect stats` show StoreStats, and how `kg-inspect dump` shows records
// (one JSON object each). Shared so the two command lines cannot drift apart.

#include <string>

#include "kg/core/properties.h"
#include "kg/store/graph_store.h"

namespace kg::store {

// {"nodes","edges","documents","evidence","labels":{…},"types":{…},"bytes":{…}}
nlohmann::json StatsToJson(const StoreStats& stats);
// A human table: counts, then labels, types and bytes per column family.
std::string StatsToText(const StoreStats& stats);

nlohmann::json NodeToJson(const Node& node);
nlohmann::json EdgeToJson(const Edge& edge);
nlohmann::json EvidenceToJson(const Evidence& evidence);
// Without the text when `with_text` is false (its length is given instead).
nlohmann::json DocumentToJson(const Document& doc, bool with_text = true);

}  // namespace kg::store
