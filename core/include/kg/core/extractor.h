#pragma once
// The extraction stage of ingest: cleaned article in, Extraction out. The ingest pipeline calls
// Extract() from several worker threads at once, so implementations must be thread-safe (keep
// per-call state on the stack; share only read-only models).

#include "kg/core/extraction.h"
#include "kg/core/text.h"

namespace kg {

class Extractor {
 public:
  virtual ~Extractor() = default;
  // `doc.text` is the cleaned article text and `text` its sentences and tokens. Never fails: an
  // article with nothing to extract yields an Extraction with no entities.
  virtual Extraction Extract(const DocumentInfo& doc, const AnnotatedText& text) const = 0;
  // False when Extract reads only the sentences' start/end: the pipeline then skips building
  // their tokens (AnnotateSentences instead of AnnotateText) and passes sentences without any.
  virtual bool needs_tokens() const { return true; }
};

}  // namespace kg
