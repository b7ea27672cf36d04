// ReadView's index reads: names and aliases, labels, adjacency lists, edge types
// (read_view_impl.h).

#include <unordered_map>

#include "read_view_impl.h"
#include "kg/store/names.h"

namespace kg::store::internal {

using json = nlohmann::json;

std::vector<NodeId> ReadViewImpl::FindByName(std::string_view name) {
  auto norm = NormalizeName(name);
  std::vector<NodeId> ids;
  if (norm.empty()) return ids;
  std::string prefix = norm;
  prefix.push_back('\0');
  Scan(kNames, prefix, [&](std::string_view key, std::string_view) {
    if (auto k = DecodeIndexKey(key); k && k->first == norm) ids.push_back(k->second);
    return true;
  });
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

std::vector<ReadView::NameMatch> ReadViewImpl::SearchNames(std::string_view prefix, size_t limit,
                                               size_t scan_limit) {
  auto norm = NormalizeName(prefix);
  std::unordered_map<NodeId, NameMatch> best;
  size_t scanned = 0;
  Scan(kNames, norm, [&](std::string_view key, std::string_view) {
    auto k = DecodeIndexKey(key);
    if (k && !best.count(k->second)) {
      best[k->second] = NameMatch{k->second, std::string(k->first), 0};
    }
    return ++scanned < scan_limit;
  });
  std::vector<NameMatch> matches;
  for (auto& [id, m] : best) {
    m.score = Counter(OwnerCounterKey(CounterTag::kNodeEvidence, id)) +
              Degree(id, Direction::kBoth, {});
    matches.push_back(std::move(m));
  }
  std::sort(matches.begin(), matches.end(), [](const NameMatch& a, const NameMatch& b) {
    return a.score != b.score ? a.score > b.score : a.node < b.node;
  });
  if (matches.size() > limit) matches.resize(limit);
  return matches;
}

void ReadViewImpl::ForEachNodeWithLabel(std::string_view label,
                                      const std::function<bool(const Node&)>& fn) {
  for (NodeId id : NodesWithLabel(label)) {
    if (auto node = GetNode(id)) {
      if (!fn(*node)) return;
    }
  }
}

std::vector<NodeId> ReadViewImpl::NodesWithLabel(std::string_view label) {
  std::vector<NodeId> ids;
  std::string prefix(label);
  prefix.push_back('\0');
  Scan(kLabels, prefix, [&](std::string_view key, std::string_view) {
    if (auto k = DecodeIndexKey(key); k && k->first == label) ids.push_back(k->second);
    return true;
  });
  return ids;
}

void ReadViewImpl::ForEachEdgeRef(NodeId node, Direction direction, std::string_view type,
                                const std::function<bool(const EdgeRef&)>& fn) {
  if (direction == Direction::kBoth) {
    bool go_on = true;
    ForEachEdgeRef(node, Direction::kOut, type, [&](const EdgeRef& r) {
      go_on = fn(r);
      return go_on;
    });
    if (go_on) ForEachEdgeRef(node, Direction::kIn, type, fn);
    return;
  }
  std::string prefix;
  if (type.empty()) {
    prefix = AdjPrefix(node);
  } else {
    auto type_id = store_->TypeId(type);
    if (!type_id) return;
    prefix = AdjPrefix(node, *type_id);
  }
  Cf cf = direction == Direction::kOut ? kOutAdj : kInAdj;
  Scan(cf, prefix, [&](std::string_view key, std::string_view) {
    auto k = DecodeAdjKey(key);
    if (!k) return true;
    return fn(EdgeRef{k->edge, CachedTypeName(k->type), k->node, k->other, direction});
  });
}

std::vector<EdgeRef> ReadViewImpl::EdgeRefs(NodeId node, Direction direction,
                                          std::string_view type) {
  std::vector<EdgeRef> refs;
  ForEachEdgeRef(node, direction, type, [&](const EdgeRef& r) {
    refs.push_back(r);
    return true;
  });
  return refs;
}

std::vector<Edge> ReadViewImpl::Edges(NodeId node, Direction direction, std::string_view type) {
  std::vector<Edge> edges;
  for (const auto& ref : EdgeRefs(node, direction, type)) {
    if (auto edge = GetEdge(ref.edge)) edges.push_back(std::move(*edge));
  }
  return edges;
}

std::vector<EdgeId> ReadViewImpl::EdgesBetween(NodeId source, NodeId target,
                                               std::string_view type) {
  std::vector<EdgeId> ids;
  if (type.empty()) {
    ForEachEdgeRef(source, Direction::kOut, {}, [&](const EdgeRef& r) {
      if (r.other == target) ids.push_back(r.edge);
      return true;
    });
  } else if (auto type_id = store_->TypeId(type)) {
    Scan(kOutAdj, AdjPrefix(source, *type_id, target), [&](std::string_view key, std::string_view) {
      if (auto k = DecodeAdjKey(key)) ids.push_back(k->edge);
      return true;
    });
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<std::string> ReadViewImpl::EdgeTypes() {
  std::vector<std::string> types;
  Scan(kMeta, kTypeByNamePrefix, [&](std::string_view key, std::string_view) {
    types.emplace_back(key.substr(kTypeByNamePrefix.size()));
    return true;
  });
  return types;
}

}  // namespace kg::store::internal
