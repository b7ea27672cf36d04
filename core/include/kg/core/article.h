#pragma once
// One article as a dump reader yields it: cleaned, valid UTF-8 text plus what is known about it
// and where it came from. A value type; readers build it, the ingest pipeline consumes it.

#include <cstdint>
#include <string>
#include <vector>

#include "kg/core/extraction.h"
#include "kg/core/utf8.h"

namespace kg {

struct Article {
  std::string id;      // JSONL id field, else the path relative to the dump root (or file:line)
  std::string title;
  std::string date;    // YYYY-MM-DD when found, else empty
  std::string source;  // the URL when given, else the file path
  std::string text;    // cleaned text (title included for plain-text files); offsets point here
  std::string origin;  // where it was read: "dump/a.txt" or "dump.jsonl:17"
  EncodingInfo encoding;
  std::vector<std::string> boilerplate;  // lines stripped as page furniture
  uint64_t raw_bytes = 0;                // bytes read from the dump for this article
};

// The DocumentInfo the extractor and the store see; computes the content hash of `text`.
DocumentInfo ToDocumentInfo(const Article& article);

}  // namespace kg
