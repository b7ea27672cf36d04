#pragma once
// The records a GraphStore holds, as its readers and writers see them. Plain values: copy them
// freely, they borrow nothing from the store.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kg/core/properties.h"

namespace kg::store {

// Ids are allocated by the store from counters, starting at 1; 0 is never a valid id (it means
// "none", e.g. Evidence::doc for evidence that came from no stored document).
using NodeId = uint64_t;
using EdgeId = uint64_t;
using DocId = uint64_t;
inline constexpr uint64_t kNoId = 0;

struct Node {
  NodeId id = kNoId;
  // For extracted entities exactly one label: the one with the most evidence so far. CREATE may
  // give any number.
  std::vector<std::string> labels;
  // User-visible properties. Extracted and imported entities always have "name" (string, the
  // canonical name) and "aliases" (list of strings: other surface forms, never the name itself).
  Properties properties = EmptyProperties();

  // The "name" property, or "" when absent or not a string.
  std::string name() const;
  // The "aliases" property as strings (non-strings skipped).
  std::vector<std::string> aliases() const;
  bool HasLabel(std::string_view label) const;
};

struct Edge {
  EdgeId id = kNoId;
  std::string type;  // e.g. "MEMBER_OF"
  NodeId source = kNoId;
  NodeId target = kNoId;
  Properties properties = EmptyProperties();
  uint64_t evidence_count = 0;  // evidence records attached to this edge
};

// Why an edge (or a node) exists: one sentence of one document and what found it there.
struct Evidence {
  uint64_t id = kNoId;          // evidence id, unique in the store (filled on read)
  bool on_node = false;         // true: evidence of node `edge_or_node`, false: of edge
  uint64_t edge_or_node = kNoId;
  DocId doc = kNoId;            // kNoId when the evidence came from no stored document (import)
  std::string sentence;
  uint32_t start = 0;  // byte offsets of `sentence` in the document text, end exclusive
  uint32_t end = 0;
  std::string rule;    // e.g. "pattern:member_enumeration", "import", "manual" (Cypher CREATE)
  double confidence = 1.0;
  Properties properties = EmptyProperties();
};

struct Document {
  DocId id = kNoId;
  std::string external_id;  // DocumentInfo::id
  std::string source;
  std::string title;
  std::string date;
  std::string content_hash;
  int64_t ingest_time = 0;  // seconds since the Unix epoch when it was written
  std::string text;
};

enum class Direction : uint8_t { kOut = 0, kIn = 1, kBoth = 2 };

// A light adjacency record: what one adjacency key says, without reading the edge record.
// `type` points into the ReadView that produced it and lives as long as that view.
struct EdgeRef {
  EdgeId edge = kNoId;
  std::string_view type;
  NodeId node = kNoId;   // the node whose adjacency was scanned
  NodeId other = kNoId;  // the node at the other end
  Direction direction = Direction::kOut;  // kOut: node -> other; kIn: other -> node
};

}  // namespace kg::store
