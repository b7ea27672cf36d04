#pragma once
// Node and evidence records read through CborReader (cbor_reader.h), falling back to the general
// decoders of values.h for records it does not take: the same result either way, faster on the
// records this store writes.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kg/store/graph_store.h"
#include "values.h"

namespace kg::store::internal {

// DecodeNode (values.cc) through CborReader, falling back to DecodeNode itself for records the
// reader does not take, for readers: the same labels and properties either way, and no label
// votes (only the writer weighs them, and it decodes with DecodeNode).
std::optional<NodeRecord> DecodeNodeFast(std::string_view value);

// values[k] = property keys[k] of `props` (kAbsent when it has none), kept in scratch[k]: the
// in-place readers' answer for a record only the json decoder takes.
void RefsFromJson(Properties props, const std::vector<std::string>& keys,
                  ReadView::PropertyRef* values, nlohmann::json* scratch);

// The properties named in `keys` of a node record (DecodeNode's properties restricted to
// `keys`), through CborReader when it takes the record, else through DecodeNode. nullopt for what
// DecodeNode rejects.
std::optional<Properties> DecodeNodeProperties(std::string_view value,
                                               const std::vector<std::string>& keys);

// DecodeEvidence (values.cc) with the properties read by CborReader; DecodeEvidence itself for
// records the reader does not take. Same result either way.
bool DecodeEvidenceFast(std::string_view value, Evidence* evidence);

// The properties named in `keys` of an evidence record (DecodeEvidence's properties restricted
// to `keys`) without copying its sentence and rule or building the other properties. nullopt for
// what DecodeEvidence rejects.
std::optional<Properties> DecodeEvidenceProperties(std::string_view value,
                                                   const std::vector<std::string>& keys);

// DecodeEvidenceProperties into PropertyRefs: true with values[k] = property keys[k] when the
// record's fields are well formed and CborReader takes its properties; false otherwise (the
// caller then goes through DecodeEvidenceProperties, which also judges corruption).
bool ReadEvidenceValues(std::string_view value, const std::vector<std::string>& keys,
                        ReadView::PropertyRef* values, nlohmann::json* scratch);

}  // namespace kg::store::internal
