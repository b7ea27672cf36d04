#pragma once
// Value encodings of the nodes, edges, evidence and docs column families (docs/STORAGE.md).
// Decoders return nullopt on malformed bytes (the caller reports Corruption).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kg/store/types.h"

namespace kg::store::internal {

// A node as stored: what Node shows plus the per-label votes that settle an entity's label.
struct NodeRecord {
  std::vector<std::string> labels;
  Properties properties = EmptyProperties();
  std::map<std::string, uint64_t> label_votes;  // empty for nodes made by CREATE
};

// An edge as stored: the type by id; the name comes from the type dictionary.
struct EdgeRecord {
  uint32_t type_id = 0;
  uint64_t source = 0;
  uint64_t target = 0;
  Properties properties = EmptyProperties();
};

std::string EncodeNode(const NodeRecord& node);
std::optional<NodeRecord> DecodeNode(std::string_view value);

std::string EncodeEdge(const EdgeRecord& edge);
std::optional<EdgeRecord> DecodeEdge(std::string_view value);

// Evidence value: owner and id live in the key; decoding fills the rest.
std::string EncodeEvidence(const Evidence& evidence);
// Appends EncodeEvidence(evidence) to *dst.
void AppendEvidence(std::string* dst, const Evidence& evidence);
// Everything of an evidence record but its properties, whose bytes are left in *value.
bool DecodeEvidenceFields(std::string_view* value, Evidence* evidence);
bool DecodeEvidence(std::string_view value, Evidence* evidence);

std::string EncodeDocument(const Document& doc);
std::optional<Document> DecodeDocument(std::string_view value);

// CBOR of a properties object, "" for an empty object (saves bytes on the common case).
std::string EncodeProperties(const Properties& properties);
std::optional<Properties> DecodeProperties(std::string_view bytes);

// The normalised names and aliases of a node record (what the names index holds for it).
std::vector<std::string> IndexNames(const NodeRecord& node);

}  // namespace kg::store::internal
