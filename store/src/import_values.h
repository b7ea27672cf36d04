#pragma once
// Value encoders for the bulk CSV import's two record shapes, written straight into bytes
// instead of through nlohmann::json (a json object per CSV row was a third of the import's
// per-row CPU). Each produces exactly the bytes of the general encoder in values.h for the
// same record (tests/store/import_values_test.cc compares them), so a store written by the bulk
// path is byte-for-byte the one the batch path writes.

#include <cstdint>
#include <string>
#include <string_view>

namespace kg::store::internal {

// Appends EncodeEvidence(ev) for the evidence of one edges.csv row: rule "import", no document,
// sentence or offsets, confidence = weight, properties {doc_id, weight, polarity}.
void AppendImportEvidence(std::string* out, std::string_view doc_id, double weight,
                          int64_t polarity);

// EncodeNode of a node made by the import: labels [label], properties {name, aliases: []},
// label votes {label: 1}.
std::string EncodeImportNode(std::string_view name, std::string_view label);

}  // namespace kg::store::internal
