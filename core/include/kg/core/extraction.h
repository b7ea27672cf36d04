#pragma once
// What extraction yields for one article, and what the store writes for it in one atomic batch.
// It mirrors the public `kg extract --format json` format (docs/EXTRACT.md): entity indices are
// local to one Extraction; offsets are byte offsets into DocumentInfo::text.

#include <cstdint>
#include <string>
#include <vector>

#include "kg/core/properties.h"

namespace kg {

struct DocumentInfo {
  std::string id;            // external id: the JSONL id field, or the path relative to the dump
  std::string source;        // file path or URL the article came from
  std::string title;
  std::string date;          // ISO 8601 (YYYY-MM-DD) when known, else empty
  std::string content_hash;  // hex digest of `text`; equal hashes are the same article
  std::string text;          // the cleaned article text that offsets point into
};

struct Mention {
  uint32_t start = 0;  // byte offsets into DocumentInfo::text, end exclusive
  uint32_t end = 0;
  std::string text;
};

struct ExtractedEntity {
  std::string name;   // canonical name, e.g. "Shinzo Abe"
  std::string label;  // one of kg::labels, e.g. "Person"
  std::vector<std::string> aliases;  // other surface forms seen ("Abe")
  std::vector<Mention> mentions;
  Properties properties = EmptyProperties();
};

// Why an edge exists: one sentence of one document, and what found it there.
struct EvidenceSpan {
  std::string sentence;  // the sentence text
  uint32_t start = 0;    // byte offsets of the sentence in DocumentInfo::text, end exclusive
  uint32_t end = 0;
  std::string rule;      // e.g. "pattern:member_enumeration" or "model:re-perceptron"
  double confidence = 1.0;
  Properties properties = EmptyProperties();  // e.g. the stance cue
};

struct ExtractedRelation {
  std::string type;     // e.g. "MEMBER_OF"
  uint32_t source = 0;  // index into Extraction::entities
  uint32_t target = 0;
  Properties properties = EmptyProperties();
  std::vector<EvidenceSpan> evidence;
};

struct Extraction {
  DocumentInfo doc;
  std::vector<ExtractedEntity> entities;
  std::vector<ExtractedRelation> relations;
};

}  // namespace kg
