#pragma once
// Helpers for the news extractor's tests: run the extractor on a text through the real text
// pipeline, and look entities and relations up by name.

#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kg/core/extraction.h"
#include "kg/core/news_extractor.h"
#include "kg/core/text_pipeline.h"

namespace kg::testing {

inline const Extractor& NewsExtractorForTests() {
  static std::unique_ptr<Extractor> extractor = [] {
    auto made = NewNewsExtractor();
    if (!made) FAIL("cannot build the news extractor: " << made.error().ToString());
    return std::move(*made);
  }();
  return *extractor;
}

inline Extraction ExtractText(const std::string& text, const std::string& date = "") {
  DocumentInfo doc;
  doc.id = "test";
  doc.text = text;
  doc.date = date;
  return NewsExtractorForTests().Extract(doc, AnnotateText(doc.text));
}

inline std::optional<uint32_t> EntityNamed(const Extraction& x, const std::string& name) {
  for (size_t i = 0; i < x.entities.size(); ++i) {
    if (x.entities[i].name == name) return static_cast<uint32_t>(i);
  }
  return std::nullopt;
}

inline std::string LabelOf(const Extraction& x, const std::string& name) {
  auto i = EntityNamed(x, name);
  return i ? x.entities[*i].label : std::string("<absent>");
}

// Relations of `type` from `source` to `target` (names); empty when none.
inline std::vector<const ExtractedRelation*> Relations(const Extraction& x,
                                                       const std::string& source,
                                                       const std::string& type,
                                                       const std::string& target) {
  std::vector<const ExtractedRelation*> out;
  for (const auto& r : x.relations) {
    if (r.type == type && x.entities[r.source].name == source &&
        x.entities[r.target].name == target) {
      out.push_back(&r);
    }
  }
  return out;
}

inline bool Has(const Extraction& x, const std::string& source, const std::string& type,
                const std::string& target) {
  return !Relations(x, source, type, target).empty();
}

// The polarity ("positive"/"negative") of source's STANCE toward target, or "" when none.
inline std::string StanceOf(const Extraction& x, const std::string& source,
                            const std::string& target) {
  std::string polarity;
  for (const auto* r : Relations(x, source, "STANCE", target)) {
    std::string p = r->properties.value("polarity", "");
    polarity = polarity.empty() ? p : (polarity == p ? p : "mixed");
  }
  return polarity;
}

// All sources of `type` edges into `target`.
inline std::vector<std::string> SourcesOf(const Extraction& x, const std::string& type,
                                          const std::string& target) {
  std::vector<std::string> out;
  for (const auto& r : x.relations) {
    if (r.type == type && x.entities[r.target].name == target) {
      out.push_back(x.entities[r.source].name);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace kg::testing
