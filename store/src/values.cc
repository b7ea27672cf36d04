#include "values.h"

#include <algorithm>
#include <cstring>

#include "key_format.h"
#include "kg/store/names.h"

namespace kg::store::internal {
namespace {

using nlohmann::json;

std::optional<json> ParseCbor(std::string_view bytes) {
  json j = json::from_cbor(bytes.begin(), bytes.end(), /*strict=*/true,
                           /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

}  // namespace

std::string EncodeProperties(const Properties& properties) {
  if (!properties.is_object() || properties.empty()) return {};
  auto bytes = json::to_cbor(properties);
  return std::string(bytes.begin(), bytes.end());
}

std::optional<Properties> DecodeProperties(std::string_view bytes) {
  if (bytes.empty()) return EmptyProperties();
  auto j = ParseCbor(bytes);
  if (!j || !j->is_object()) return std::nullopt;
  return j;
}

std::string EncodeNode(const NodeRecord& node) {
  // The CBOR of the map {"l": labels, "p": properties, "w": votes} (keys in nlohmann's sorted
  // order, "w" only when there are votes), written piece by piece into one string: the same
  // bytes as to_cbor of that map, without copying the properties into it.
  std::string out;
  out.reserve(128);
  out.push_back(static_cast<char>(node.label_votes.empty() ? 0xA2 : 0xA3));  // map, 2 or 3 pairs
  out.append("\x61l", 2);                                                    // text "l"
  json::to_cbor(json(node.labels), out);
  out.append("\x61p", 2);
  if (node.properties.is_object()) {
    json::to_cbor(node.properties, out);
  } else {
    json::to_cbor(EmptyProperties(), out);
  }
  if (!node.label_votes.empty()) {
    out.append("\x61w", 2);
    json::to_cbor(json(node.label_votes), out);
  }
  return out;
}

std::optional<NodeRecord> DecodeNode(std::string_view value) {
  auto j = ParseCbor(value);
  if (!j || !j->is_object()) return std::nullopt;
  NodeRecord node;
  auto labels = j->find("l");
  auto props = j->find("p");
  if (labels == j->end() || !labels->is_array() || props == j->end() || !props->is_object()) {
    return std::nullopt;
  }
  for (const auto& l : *labels) {
    if (!l.is_string()) return std::nullopt;
    node.labels.push_back(l.get<std::string>());
  }
  node.properties = std::move(*props);
  auto votes = j->find("w");
  if (votes != j->end() && votes->is_object()) {
    for (auto it = votes->begin(); it != votes->end(); ++it) {
      if (it.value().is_number_unsigned()) node.label_votes[it.key()] = it.value().get<uint64_t>();
    }
  }
  return node;
}

std::string EncodeEdge(const EdgeRecord& edge) {
  std::string s;
  PutU32(&s, edge.type_id);
  PutU64(&s, edge.source);
  PutU64(&s, edge.target);
  s.append(EncodeProperties(edge.properties));
  return s;
}

std::optional<EdgeRecord> DecodeEdge(std::string_view value) {
  if (value.size() < 20) return std::nullopt;
  EdgeRecord edge;
  edge.type_id = GetU32(value.data());
  edge.source = GetU64(value.data() + 4);
  edge.target = GetU64(value.data() + 12);
  auto props = DecodeProperties(value.substr(20));
  if (!props) return std::nullopt;
  edge.properties = std::move(*props);
  return edge;
}

// doc varint | start u32 | end u32 | confidence f64 (IEEE bits, big-endian) |
// sentence (varint length + bytes) | rule (same) | properties CBOR (rest; empty = none)
std::string EncodeEvidence(const Evidence& evidence) {
  std::string s;
  AppendEvidence(&s, evidence);
  return s;
}

void AppendEvidence(std::string* dst, const Evidence& evidence) {
  std::string& s = *dst;
  PutVarint64(&s, evidence.doc);
  PutU32(&s, evidence.start);
  PutU32(&s, evidence.end);
  uint64_t bits = 0;
  static_assert(sizeof(bits) == sizeof(evidence.confidence));
  std::memcpy(&bits, &evidence.confidence, sizeof(bits));
  PutU64(&s, bits);
  PutLengthPrefixed(&s, evidence.sentence);
  PutLengthPrefixed(&s, evidence.rule);
  s.append(EncodeProperties(evidence.properties));
}

bool DecodeEvidenceFields(std::string_view* value, Evidence* evidence) {
  uint64_t doc = 0;
  if (!GetVarint64(value, &doc) || value->size() < 16) return false;
  evidence->doc = doc;
  evidence->start = GetU32(value->data());
  evidence->end = GetU32(value->data() + 4);
  uint64_t bits = GetU64(value->data() + 8);
  std::memcpy(&evidence->confidence, &bits, sizeof(bits));
  value->remove_prefix(16);
  std::string_view sentence, rule;
  if (!GetLengthPrefixed(value, &sentence) || !GetLengthPrefixed(value, &rule)) return false;
  evidence->sentence.assign(sentence);
  evidence->rule.assign(rule);
  return true;
}

bool DecodeEvidence(std::string_view value, Evidence* evidence) {
  if (!DecodeEvidenceFields(&value, evidence)) return false;
  auto props = DecodeProperties(value);
  if (!props) return false;
  evidence->properties = std::move(*props);
  return true;
}

std::string EncodeDocument(const Document& doc) {
  json j = {{"x", doc.external_id}, {"s", doc.source},       {"t", doc.title},
            {"d", doc.date},        {"h", doc.content_hash}, {"i", doc.ingest_time},
            {"b", doc.text}};
  auto bytes = json::to_cbor(j);
  return std::string(bytes.begin(), bytes.end());
}

std::optional<Document> DecodeDocument(std::string_view value) {
  auto j = ParseCbor(value);
  if (!j || !j->is_object()) return std::nullopt;
  Document doc;
  auto str = [&](const char* key, std::string* out) {
    auto it = j->find(key);
    if (it == j->end() || !it->is_string()) return false;
    *out = it->get<std::string>();
    return true;
  };
  if (!str("x", &doc.external_id) || !str("s", &doc.source) || !str("t", &doc.title) ||
      !str("d", &doc.date) || !str("h", &doc.content_hash) || !str("b", &doc.text)) {
    return std::nullopt;
  }
  auto it = j->find("i");
  if (it == j->end() || !it->is_number_integer()) return std::nullopt;
  doc.ingest_time = it->get<int64_t>();
  return doc;
}

std::vector<std::string> IndexNames(const NodeRecord& node) {
  std::vector<std::string> names;
  auto add = [&](const json& v) {
    if (!v.is_string()) return;
    auto norm = NormalizeName(v.get_ref<const std::string&>());
    if (!norm.empty()) names.push_back(std::move(norm));
  };
  if (node.properties.is_object()) {
    auto name = node.properties.find("name");
    if (name != node.properties.end()) add(*name);
    auto aliases = node.properties.find("aliases");
    if (aliases != node.properties.end() && aliases->is_array()) {
      for (const auto& a : *aliases) add(a);
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace kg::store::internal
