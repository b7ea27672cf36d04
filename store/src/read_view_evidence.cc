// ReadView's evidence reads: the evidence lists of edges and nodes, whole or only the wanted
// properties, and their counts (read_view_impl.h).

#include "read_view_impl.h"
#include "record_readers.h"

namespace kg::store::internal {

using json = nlohmann::json;

std::vector<uint64_t> ReadViewImpl::EdgeEvidenceCounts(const std::vector<EdgeId>& ids) {
  std::vector<uint64_t> out(ids.size(), 0);
  MultiGet(kCounters, ids,
           [](uint64_t id) { return OwnerCounterKey(CounterTag::kEdgeEvidence, id); },
           [&](size_t i, std::string_view value) { out[i] = DecodeCounter(value); });
  return out;
}

void ReadViewImpl::ForEachEvidence(const std::function<bool(const Evidence&)>& fn) {
  Scan(kEvidence, {}, [&](std::string_view key, std::string_view value) {
    Evidence ev;
    if (!ParseEvidence(key, value, &ev)) return true;
    return fn(ev);
  });
}

std::vector<Evidence> ReadViewImpl::EdgeEvidence(EdgeId edge, size_t limit) {
  return EvidenceOf(EvidenceKind::kEdge, edge, limit);
}

std::vector<Evidence> ReadViewImpl::NodeEvidence(NodeId node, size_t limit) {
  return EvidenceOf(EvidenceKind::kNode, node, limit);
}

std::vector<Properties> ReadViewImpl::EdgeEvidenceProperties(EdgeId edge,
                                                           const std::vector<std::string>& keys) {
  std::vector<Properties> out;
  Scan(kEvidence, EvidencePrefix(EvidenceKind::kEdge, edge),
       [&](std::string_view key, std::string_view value) {
         std::optional<Properties> props;
         if (key.size() == kEvidencePrefixSize + 8) props = DecodeEvidenceProperties(value, keys);
         if (!props) {
           Corrupt<Evidence>("evidence record");
           return true;
         }
         out.push_back(std::move(*props));
         return true;
       });
  return out;
}

void ReadViewImpl::ForEachEdgeEvidenceValues(EdgeId edge, const std::vector<std::string>& keys,
                                           const std::function<void(const PropertyRef*)>& fn) {
  std::vector<PropertyRef> values(keys.size());
  std::vector<json> scratch(keys.size());
  Scan(kEvidence, EvidencePrefix(EvidenceKind::kEdge, edge),
       [&](std::string_view key, std::string_view value) {
         bool well_keyed = key.size() == kEvidencePrefixSize + 8;
         if (well_keyed && ReadEvidenceValues(value, keys, values.data(), scratch.data())) {
           fn(values.data());
           return true;
         }
         std::optional<Properties> props;
         if (well_keyed) props = DecodeEvidenceProperties(value, keys);
         if (!props) {
           Corrupt<Evidence>("evidence record");
           return true;
         }
         RefsFromJson(std::move(*props), keys, values.data(), scratch.data());
         fn(values.data());
         return true;
       });
}

void ReadViewImpl::ForEachEdgeEvidence(EdgeId edge,
                                       const std::function<bool(const Evidence&)>& fn) {
  Scan(kEvidence, EvidencePrefix(EvidenceKind::kEdge, edge),
       [&](std::string_view key, std::string_view value) {
         Evidence ev;
         if (!ParseEvidence(key, value, &ev)) return true;
         return fn(ev);
       });
}

bool ReadViewImpl::ParseEvidence(std::string_view key, std::string_view value, Evidence* ev) {
  if (key.size() != kEvidencePrefixSize + 8 || !DecodeEvidenceFast(value, ev)) {
    Corrupt<Evidence>("evidence record");
    return false;
  }
  ev->on_node = key[0] == static_cast<char>(EvidenceKind::kNode);
  ev->edge_or_node = GetU64(key.data() + 1);
  ev->id = GetU64(key.data() + 9);
  return true;
}

std::vector<Evidence> ReadViewImpl::EvidenceOf(EvidenceKind kind, uint64_t owner, size_t limit) {
  std::vector<Evidence> out;
  Scan(kEvidence, EvidencePrefix(kind, owner), [&](std::string_view key, std::string_view value) {
    Evidence ev;
    if (ParseEvidence(key, value, &ev)) out.push_back(std::move(ev));
    return limit == 0 || out.size() < limit;
  });
  return out;
}

}  // namespace kg::store::internal
