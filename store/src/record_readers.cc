// Record readers over CborReader with the values.cc fallback (record_readers.h).

#include "record_readers.h"

#include <algorithm>

#include "cbor_reader.h"
#include "key_format.h"

namespace kg::store::internal {

using json = nlohmann::json;

std::optional<NodeRecord> DecodeNodeFast(std::string_view value) {
  NodeRecord node;
  switch (CborReader(value).ReadNode(&node)) {
    case CborReader::NodeResult::kOk: return node;
    case CborReader::NodeResult::kInvalid: return std::nullopt;
    case CborReader::NodeResult::kUnreadable: break;
  }
  auto decoded = DecodeNode(value);
  if (decoded) decoded->label_votes.clear();
  return decoded;
}

void RefsFromJson(Properties props, const std::vector<std::string>& keys,
                  ReadView::PropertyRef* values, json* scratch) {
  for (size_t k = 0; k < keys.size(); ++k) {
    values[k] = ReadView::PropertyRef{};
    auto it = props.find(keys[k]);
    if (it == props.end()) continue;
    scratch[k] = std::move(*it);
    values[k].kind = ReadView::PropertyRef::Kind::kJson;
    values[k].json = &scratch[k];
  }
}

std::optional<Properties> DecodeNodeProperties(std::string_view value,
                                               const std::vector<std::string>& keys) {
  json props;
  switch (CborReader(value).ReadNodeProperties(keys, &props)) {
    case CborReader::NodeResult::kOk: return props;
    case CborReader::NodeResult::kInvalid: return std::nullopt;
    case CborReader::NodeResult::kUnreadable: break;
  }
  auto node = DecodeNode(value);
  if (!node) return std::nullopt;
  Properties out = json::object();
  for (auto it = node->properties.begin(); it != node->properties.end(); ++it) {
    if (std::find(keys.begin(), keys.end(), it.key()) != keys.end()) out[it.key()] = it.value();
  }
  return out;
}

bool DecodeEvidenceFast(std::string_view value, Evidence* evidence) {
  std::string_view rest = value;
  if (!DecodeEvidenceFields(&rest, evidence)) return false;
  if (rest.empty()) {
    evidence->properties = EmptyProperties();
    return true;
  }
  json props;
  if (!CborReader(rest).ReadAll(&props)) return DecodeEvidence(value, evidence);
  if (!props.is_object()) return false;
  evidence->properties = std::move(props);
  return true;
}

std::optional<Properties> DecodeEvidenceProperties(std::string_view value,
                                                   const std::vector<std::string>& keys) {
  std::string_view rest = value;
  uint64_t doc = 0;
  std::string_view sentence, rule;
  if (!GetVarint64(&rest, &doc) || rest.size() < 16) return std::nullopt;
  rest.remove_prefix(16);
  if (!GetLengthPrefixed(&rest, &sentence) || !GetLengthPrefixed(&rest, &rule)) {
    return std::nullopt;
  }
  if (rest.empty()) return EmptyProperties();
  json props;
  if (CborReader(rest).ReadObjectKeys(keys, &props)) return props;
  Evidence whole;
  if (!DecodeEvidence(value, &whole) || !whole.properties.is_object()) return std::nullopt;
  Properties out = json::object();
  for (auto it = whole.properties.begin(); it != whole.properties.end(); ++it) {
    if (std::find(keys.begin(), keys.end(), it.key()) != keys.end()) out[it.key()] = it.value();
  }
  return out;
}

bool ReadEvidenceValues(std::string_view value, const std::vector<std::string>& keys,
                        ReadView::PropertyRef* values, json* scratch) {
  std::string_view rest = value;
  uint64_t doc = 0;
  std::string_view sentence, rule;
  if (!GetVarint64(&rest, &doc) || rest.size() < 16) return false;
  rest.remove_prefix(16);
  if (!GetLengthPrefixed(&rest, &sentence) || !GetLengthPrefixed(&rest, &rule)) return false;
  if (rest.empty()) {
    for (size_t k = 0; k < keys.size(); ++k) values[k] = ReadView::PropertyRef{};
    return true;
  }
  return CborReader(rest).ReadObjectValues(keys, values, scratch);
}

}  // namespace kg::store::internal
