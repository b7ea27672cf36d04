#pragma once
// Builders shared by the store tests.

#include <string>
#include <vector>

#include "kg/core/extraction.h"

namespace kg::testing {

// A document mentioning `a` (label_a) and `b` (label_b) with one relation a -type-> b whose
// evidence is one sentence. The content hash is derived from `external_id` unless given.
inline kg::Extraction MakeExtraction(const std::string& external_id, const std::string& a,
                                     const std::string& label_a, const std::string& b,
                                     const std::string& label_b, const std::string& type,
                                     std::string content_hash = {}) {
  kg::Extraction x;
  std::string sentence = a + " " + type + " " + b + ".";
  x.doc.id = external_id;
  x.doc.source = "test://" + external_id;
  x.doc.title = "Title of " + external_id;
  x.doc.date = "2024-01-02";
  x.doc.text = sentence + " Other text of " + external_id + ".";
  x.doc.content_hash = content_hash.empty() ? "hash-" + external_id : content_hash;
  kg::ExtractedEntity ea;
  ea.name = a;
  ea.label = label_a;
  ea.mentions.push_back({0, static_cast<uint32_t>(a.size()), a});
  kg::ExtractedEntity eb;
  eb.name = b;
  eb.label = label_b;
  auto b_start = static_cast<uint32_t>(sentence.find(b));
  eb.mentions.push_back({b_start, b_start + static_cast<uint32_t>(b.size()), b});
  x.entities = {ea, eb};
  kg::ExtractedRelation r;
  r.type = type;
  r.source = 0;
  r.target = 1;
  r.evidence.push_back({sentence, 0, static_cast<uint32_t>(sentence.size()), "test:rule", 0.9,
                        kg::EmptyProperties()});
  x.relations = {r};
  return x;
}

}  // namespace kg::testing
