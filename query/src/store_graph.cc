#include "kg/query/store_graph.h"

#include <algorithm>

namespace kg::query {
namespace {

store::Direction ToStore(Direction dir) {
  switch (dir) {
    case Direction::kOut: return store::Direction::kOut;
    case Direction::kIn: return store::Direction::kIn;
    case Direction::kBoth: return store::Direction::kBoth;
  }
  return store::Direction::kBoth;
}

// Calls fn(type) once per distinct name in `types` ([:T|T] names a type twice: scanned once),
// or once with "" (every type) when `types` is empty.
template <typename Fn>
void ForEachDistinctType(const std::vector<std::string>& types, Fn&& fn) {
  if (types.empty()) {
    fn(std::string_view{});
    return;
  }
  for (size_t i = 0; i < types.size(); ++i) {
    if (std::find(types.begin(), types.begin() + i, types[i]) == types.begin() + i) fn(types[i]);
  }
}

// A property read in place by the store, as FromJson would give it from the json value.
Value PropertyValue(const store::ReadView::PropertyRef& ref) {
  using Kind = store::ReadView::PropertyRef::Kind;
  switch (ref.kind) {
    case Kind::kAbsent:
    case Kind::kNull: return Value();
    case Kind::kBool: return Value(ref.boolean);
    case Kind::kInt: return Value(ref.integer);
    case Kind::kUint: return Value(static_cast<int64_t>(ref.uinteger));
    case Kind::kDouble: return Value(ref.number);
    case Kind::kText: return Value(std::string(ref.text));
    case Kind::kJson: return ref.json ? FromJson(*ref.json) : Value();
  }
  return Value();
}

}  // namespace

StoreGraph::StoreGraph(store::GraphStore& store) : store_(store), view_(store.NewReadView()) {}

StoreGraph::~StoreGraph() = default;

NodeRef StoreGraph::Convert(store::Node&& node) {
  auto n = std::make_shared<NodeData>();
  n->id = node.id;
  n->labels = std::move(node.labels);
  n->props = node.properties.is_object() ? std::move(node.properties) : EmptyProperties();
  return n;
}

void StoreGraph::CacheNode(uint64_t id, NodeRef node) {
  if (node_cache_.size() > 1'000'000) node_cache_.clear();
  node_cache_.emplace(id, std::move(node));
}

RelRef StoreGraph::Convert(const store::Edge& edge) {
  auto r = std::make_shared<RelData>();
  r->id = edge.id;
  r->src = edge.source;
  r->dst = edge.target;
  r->type = edge.type;
  r->props = edge.properties.is_object() ? edge.properties : EmptyProperties();
  r->evidence_count = static_cast<int64_t>(edge.evidence_count);
  return r;
}

namespace {

void EraseDeleted(std::vector<uint64_t>& ids, const std::unordered_set<uint64_t>& deleted) {
  if (deleted.empty()) return;
  ids.erase(std::remove_if(ids.begin(), ids.end(), [&](uint64_t id) { return deleted.count(id); }),
            ids.end());
}

}  // namespace

std::vector<uint64_t> StoreGraph::AllNodeIds() {
  std::vector<uint64_t> ids = view_->NodeIds();
  EraseDeleted(ids, deleted_nodes_);
  for (const auto& [id, n] : new_nodes_) ids.push_back(id);
  return ids;
}

std::vector<uint64_t> StoreGraph::NodeIdsByLabel(const std::string& label) {
  std::vector<uint64_t> ids = view_->NodesWithLabel(label);
  EraseDeleted(ids, deleted_nodes_);
  for (const auto& [id, n] : new_nodes_) {
    if (std::find(n->labels.begin(), n->labels.end(), label) != n->labels.end()) {
      ids.push_back(id);
    }
  }
  return ids;
}

std::optional<std::vector<uint64_t>> StoreGraph::NodeIdsByName(const std::string& name) {
  std::vector<uint64_t> ids = view_->FindByName(name);
  EraseDeleted(ids, deleted_nodes_);
  for (const auto& [id, n] : new_nodes_) {
    auto it = n->props.find("name");
    if (it != n->props.end() && it->is_string() && it->get<std::string>() == name) {
      ids.push_back(id);
    }
  }
  return ids;
}

NodeRef StoreGraph::GetNode(uint64_t id) {
  if (auto it = new_nodes_.find(id); it != new_nodes_.end()) return it->second;
  if (rewritten_) {
    if (deleted_nodes_.count(id)) return nullptr;
    if (auto it = changed_nodes_.find(id); it != changed_nodes_.end()) return it->second;
  }
  if (auto it = node_cache_.find(id); it != node_cache_.end()) return it->second;
  auto node = view_->GetNode(id);
  if (!node) return nullptr;
  NodeRef n = Convert(std::move(*node));
  CacheNode(id, n);
  return n;
}

std::vector<RelRef> StoreGraph::RelsTo(uint64_t node, Direction dir,
                                       const std::vector<std::string>& types,
                                       const std::vector<uint64_t>& others) {
  if (!new_rels_.empty() || rewritten_) return GraphAccess::RelsTo(node, dir, types, others);
  // Seeks pay off for a few (type, other) pairs; many targets scan instead. Without a type,
  // every type the store has is sought, when the node has many more relationships than that
  // costs (a seek is worth about four steps of a scan): `MATCH (a {name: 'United
  // States'})-[r]->({name: 'Russia'})` seeks a hub's dozen types instead of stepping over its
  // 23,163 relationships.
  size_t directions = dir == Direction::kBoth ? 2 : 1;
  if (types.empty()) {
    if (!edge_types_) edge_types_ = view_->EdgeTypes();
    size_t seeks = edge_types_->size() * others.size() * directions;
    if (seeks > 64 || static_cast<uint64_t>(Degree(node, dir)) <= 4 * seeks) {
      return AdjacencyRels(node, dir, types, &others);
    }
    return SeekRelsTo(node, dir, *edge_types_, others);
  }
  if (types.size() * others.size() > 64) return AdjacencyRels(node, dir, types, &others);
  return SeekRelsTo(node, dir, types, others);
}

std::vector<RelRef> StoreGraph::AdjacencyRels(uint64_t node, Direction dir,
                                              const std::vector<std::string>& types,
                                              const std::vector<uint64_t>* others) {
  std::vector<RelRef> out;
  auto add_refs = [&](std::string_view type) {
    view_->ForEachEdgeRef(node, ToStore(dir), type, [&](const store::EdgeRef& ref) {
      bool out_edge = ref.direction == store::Direction::kOut;
      if (dir == Direction::kBoth && !out_edge && ref.other == node) return true;  // self-loop
      if (others && !std::binary_search(others->begin(), others->end(), ref.other)) return true;
      auto r = std::make_shared<RelData>();
      r->id = ref.edge;
      r->src = out_edge ? node : ref.other;
      r->dst = out_edge ? ref.other : node;
      r->type = std::string(ref.type);
      out.push_back(std::move(r));
      return true;
    });
  };
  ForEachDistinctType(types, add_refs);
  return out;
}

std::vector<RelRef> StoreGraph::SeekRelsTo(uint64_t node, Direction dir,
                                           const std::vector<std::string>& types,
                                           const std::vector<uint64_t>& others) {
  std::vector<RelRef> out;
  auto add = [&](uint64_t src, uint64_t dst, const std::string& type) {
    for (uint64_t id : view_->EdgesBetween(src, dst, type)) {
      auto r = std::make_shared<RelData>();
      r->id = id;
      r->src = src;
      r->dst = dst;
      r->type = type;
      out.push_back(std::move(r));
    }
  };
  for (size_t i = 0; i < types.size(); ++i) {
    if (std::find(types.begin(), types.begin() + i, types[i]) != types.begin() + i) continue;
    for (uint64_t other : others) {
      if (dir != Direction::kIn) add(node, other, types[i]);
      // kBoth lists a self-loop once (as an out-edge).
      if (dir == Direction::kIn || (dir == Direction::kBoth && other != node)) {
        add(other, node, types[i]);
      }
    }
  }
  return out;
}

void StoreGraph::PrefetchNodes(const std::vector<uint64_t>& ids) {
  std::vector<uint64_t> missing;
  for (uint64_t id : ids) {
    if (!new_nodes_.count(id) && !node_cache_.count(id)) missing.push_back(id);
  }
  std::sort(missing.begin(), missing.end());
  missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
  if (missing.size() < 4) return;  // GetNode one by one is as cheap
  auto nodes = view_->GetNodes(missing);
  for (auto& node : nodes) {
    if (node) CacheNode(node->id, Convert(std::move(*node)));
  }
}

std::vector<NodeRef> StoreGraph::NodesForProperties(const std::vector<uint64_t>& ids,
                                                    const std::vector<std::string>& keys) {
  if (rewritten_) return GraphAccess::NodesForProperties(ids, keys);
  std::vector<NodeRef> out(ids.size());
  // Positions of the ids to read from the store, ordered by id (ties: one read serves all).
  std::vector<size_t> order;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (auto it = new_nodes_.find(ids[i]); it != new_nodes_.end()) {
      out[i] = it->second;
    } else if (auto c = node_cache_.find(ids[i]); c != node_cache_.end()) {
      out[i] = c->second;
    } else {
      order.push_back(i);
    }
  }
  if (order.empty()) return out;
  if (!std::is_sorted(order.begin(), order.end(),
                      [&](size_t a, size_t b) { return ids[a] < ids[b]; })) {
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return ids[a] < ids[b]; });
  }
  std::vector<uint64_t> wanted;
  wanted.reserve(order.size());
  for (size_t i : order) {
    if (wanted.empty() || wanted.back() != ids[i]) wanted.push_back(ids[i]);
  }
  size_t next = 0;  // into order
  // The properties go in as values (NodeData::values), not as a json object per node: one
  // allocation per node instead of four, and `n.key` reads them without converting.
  auto shared_keys = std::make_shared<const std::vector<std::string>>(keys);
  view_->NodePropertyValues(
      wanted, keys, [&](uint64_t id, const store::ReadView::PropertyRef* values) {
        while (next < order.size() && ids[order[next]] < id) ++next;
        // Null props: no empty object allocated.
        NodeData data{id, {}, Properties(), shared_keys, {}};
        data.values.reserve(keys.size());
        for (size_t k = 0; k < keys.size(); ++k) data.values.push_back(PropertyValue(values[k]));
        NodeRef node = std::make_shared<const NodeData>(std::move(data));
        for (; next < order.size() && ids[order[next]] == id; ++next) out[order[next]] = node;
      });
  return out;
}

void StoreGraph::ForEachNodeValues(const std::vector<uint64_t>& ids,
                                   const std::vector<std::string>& keys,
                                   const std::function<void(uint64_t, const Value*)>& fn) {
  // Nodes created by this query are not in the store yet (cached ones are: the same snapshot).
  if (!new_nodes_.empty() || rewritten_) return GraphAccess::ForEachNodeValues(ids, keys, fn);
  std::vector<Value> values(keys.size());
  view_->NodePropertyValues(ids, keys, [&](uint64_t id, const store::ReadView::PropertyRef* refs) {
    for (size_t k = 0; k < keys.size(); ++k) values[k] = PropertyValue(refs[k]);
    fn(id, values.data());
  });
}

bool StoreGraph::ForEachRelEnd(Direction dir, const std::vector<std::string>& types,
                               const std::function<void(uint64_t, int64_t)>& fn) {
  // The overlay is not scanned.
  if (!new_rels_.empty() || !new_nodes_.empty() || rewritten_) return false;
  view_->ForEachEdgeSummary([&](const store::ReadView::EdgeSummary& e) {
    if (!types.empty() && std::find(types.begin(), types.end(), e.type) == types.end()) {
      return true;
    }
    auto evidence = static_cast<int64_t>(e.evidence_count);
    if (dir != Direction::kIn) fn(e.source, evidence);
    if (dir == Direction::kIn || (dir == Direction::kBoth && e.target != e.source)) {
      fn(e.target, evidence);
    }
    return true;
  });
  return true;
}

bool StoreGraph::ForEachNodeRelTotals(Direction dir,
                                      const std::function<void(uint64_t, int64_t, int64_t)>& fn) {
  // Counters miss the overlay.
  if (!new_rels_.empty() || !new_nodes_.empty() || rewritten_) return false;
  return view_->ForEachNodeMentions(ToStore(dir), [&](const store::ReadView::NodeMentions& n) {
    fn(n.node, static_cast<int64_t>(n.relationships), static_cast<int64_t>(n.evidence));
    return true;
  });
}

RelRef StoreGraph::GetRel(uint64_t id) {
  if (auto it = new_rels_.find(id); it != new_rels_.end()) return it->second;
  if (rewritten_) {
    if (deleted_rels_.count(id)) return nullptr;
    if (auto it = changed_rels_.find(id); it != changed_rels_.end()) return it->second;
  }
  if (auto it = rel_cache_.find(id); it != rel_cache_.end()) return it->second;
  auto edge = view_->GetEdge(id);
  if (!edge) return nullptr;
  RelRef r = Convert(*edge);
  if (rel_cache_.size() > 1'000'000) rel_cache_.clear();
  rel_cache_.emplace(id, r);
  return r;
}

std::vector<RelRef> StoreGraph::Rels(uint64_t node, Direction dir,
                                     const std::vector<std::string>& types) {
  std::vector<RelRef> out;
  auto add_edges = [&](std::string_view type) {
    for (const auto& edge : view_->Edges(node, ToStore(dir), type)) {
      // kBoth lists a self-loop as an out-edge and again as an in-edge: keep one.
      if (dir == Direction::kBoth && edge.source == edge.target && edge.target == node) {
        bool seen = std::any_of(out.begin(), out.end(),
                                [&](const RelRef& r) { return r->id == edge.id; });
        if (seen) continue;
      }
      if (rewritten_) {
        if (deleted_rels_.count(edge.id)) continue;
        if (auto c = changed_rels_.find(edge.id); c != changed_rels_.end()) {
          out.push_back(c->second);
          continue;
        }
      }
      auto it = rel_cache_.find(edge.id);
      out.push_back(it != rel_cache_.end() ? it->second : Convert(edge));
    }
  };
  ForEachDistinctType(types, add_edges);
  auto add_new = [&](const std::unordered_map<uint64_t, std::vector<RelRef>>& index,
                     bool skip_loops) {
    auto it = index.find(node);
    if (it == index.end()) return;
    for (const auto& r : it->second) {
      if (skip_loops && r->src == r->dst) continue;
      if (!types.empty() && std::find(types.begin(), types.end(), r->type) == types.end()) {
        continue;
      }
      out.push_back(r);
    }
  };
  if (dir != Direction::kIn) add_new(new_out_, false);
  if (dir != Direction::kOut) add_new(new_in_, dir == Direction::kBoth);
  return out;
}

int64_t StoreGraph::Degree(uint64_t node, Direction dir) {
  if (rewritten_) return static_cast<int64_t>(Rels(node, dir, {}).size());
  int64_t degree = static_cast<int64_t>(view_->Degree(node, ToStore(dir)));
  if (dir != Direction::kIn) {
    if (auto it = new_out_.find(node); it != new_out_.end()) degree += it->second.size();
  }
  if (dir != Direction::kOut) {
    if (auto it = new_in_.find(node); it != new_in_.end()) degree += it->second.size();
  }
  return degree;
}

std::vector<EvidenceRow> StoreGraph::Evidence(bool is_rel, uint64_t id) {
  std::vector<EvidenceRow> rows;
  auto records = is_rel ? view_->EdgeEvidence(id) : view_->NodeEvidence(id);
  std::unordered_map<uint64_t, std::pair<std::string, std::string>> docs;
  for (auto& ev : records) {
    EvidenceRow row;
    if (ev.doc != store::kNoId) {
      auto it = docs.find(ev.doc);
      if (it == docs.end()) {
        auto doc = view_->GetDocument(ev.doc);
        std::pair<std::string, std::string> info;
        if (doc) info = {doc->external_id, doc->title};
        it = docs.emplace(ev.doc, info).first;
      }
      row.doc = it->second.first;
      row.title = it->second.second;
    }
    row.sentence = std::move(ev.sentence);
    row.start = ev.start;
    row.end = ev.end;
    row.rule = std::move(ev.rule);
    row.confidence = ev.confidence;
    if (ev.properties.is_object()) row.properties = std::move(ev.properties);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<Properties> StoreGraph::EvidenceProperties(bool is_rel, uint64_t id,
                                                      const std::vector<std::string>& keys) {
  if (!is_rel) return GraphAccess::EvidenceProperties(is_rel, id, keys);
  return view_->EdgeEvidenceProperties(id, keys);
}

void StoreGraph::ForEachEvidenceValues(bool is_rel, uint64_t id,
                                       const std::vector<std::string>& keys,
                                       const std::function<void(const Value* values)>& fn) {
  if (!is_rel) return GraphAccess::ForEachEvidenceValues(is_rel, id, keys, fn);
  std::vector<Value> values(keys.size());
  view_->ForEachEdgeEvidenceValues(id, keys, [&](const store::ReadView::PropertyRef* refs) {
    using Kind = store::ReadView::PropertyRef::Kind;
    for (size_t k = 0; k < keys.size(); ++k) {
      const auto& ref = refs[k];
      switch (ref.kind) {
        case Kind::kAbsent:
        case Kind::kNull: values[k] = Value(); break;
        case Kind::kBool: values[k] = Value(ref.boolean); break;
        case Kind::kInt: values[k] = Value(ref.integer); break;
        // As FromJson reads json's unsigned numbers.
        case Kind::kUint: values[k] = Value(static_cast<int64_t>(ref.uinteger)); break;
        case Kind::kDouble: values[k] = Value(ref.number); break;
        case Kind::kText: values[k] = Value(std::string(ref.text)); break;
        case Kind::kJson: values[k] = FromJson(*ref.json); break;
      }
    }
    fn(values.data());
  });
}

int64_t StoreGraph::EvidenceCount(bool is_rel, uint64_t id) {
  if (!is_rel) return static_cast<int64_t>(view_->NodeEvidence(id).size());
  if (new_rels_.count(id)) return 1;
  auto edge = view_->GetEdge(id);
  return edge ? static_cast<int64_t>(edge->evidence_count) : 0;
}

std::vector<RelRef> StoreGraph::RelsWithoutProperties(uint64_t node, Direction dir,
                                                      const std::vector<std::string>& types) {
  if (!new_rels_.empty() || rewritten_) return Rels(node, dir, types);
  return AdjacencyRels(node, dir, types, nullptr);
}

std::vector<GraphAccess::Hop> StoreGraph::Hops(uint64_t node, Direction dir,
                                              const std::vector<std::string>& types) {
  if (!new_rels_.empty() || rewritten_) return GraphAccess::Hops(node, dir, types);
  std::vector<Hop> out;
  auto add_refs = [&](std::string_view type) {
    view_->ForEachEdgeRef(node, ToStore(dir), type, [&](const store::EdgeRef& ref) {
      // kBoth: a self-loop appears as an out-edge and again as an in-edge; keep the first.
      if (dir == Direction::kBoth && ref.direction != store::Direction::kOut &&
          ref.other == node) {
        return true;
      }
      out.push_back({ref.edge, ref.other});
      return true;
    });
  };
  ForEachDistinctType(types, add_refs);
  return out;
}

std::optional<std::vector<uint64_t>> StoreGraph::Search(const std::string& text, size_t limit) {
  std::vector<uint64_t> ids;
  for (const auto& m : view_->SearchNames(text, limit)) ids.push_back(m.node);
  return ids;
}

Result<NodeRef> StoreGraph::CreateNode(const std::vector<std::string>& labels,
                                       const Properties& props) {
  store::NodeId id = Batch().CreateNode(labels, props);
  auto n = std::make_shared<NodeData>();
  n->id = id;
  n->labels = labels;
  n->props = props;
  new_nodes_[id] = n;
  return NodeRef(n);
}

Result<RelRef> StoreGraph::CreateRel(uint64_t src, uint64_t dst, const std::string& type,
                                     const Properties& props) {
  auto id = Batch().CreateEdge(src, type, dst, props);
  if (!id) return id.error();
  store::Evidence ev;
  ev.on_node = false;
  ev.edge_or_node = *id;
  ev.rule = "manual";
  ev.confidence = 1.0;
  KG_RETURN_IF_ERROR(batch_->AddEvidence(ev));
  auto r = std::make_shared<RelData>();
  r->id = *id;
  r->src = src;
  r->dst = dst;
  r->type = type;
  r->props = props;
  new_rels_[r->id] = r;
  new_out_[src].push_back(r);
  new_in_[dst].push_back(r);
  return RelRef(r);
}

store::GraphBatch& StoreGraph::Batch() {
  if (!batch_) batch_ = store_.NewBatch();
  return *batch_;
}

Status StoreGraph::DeleteRel(uint64_t id) {
  RelRef rel = GetRel(id);
  if (!rel) return Status::NotFound("relationship " + std::to_string(id) + " does not exist");
  KG_RETURN_IF_ERROR(Batch().DeleteEdge(id));
  rewritten_ = true;
  changed_rels_.erase(id);
  if (new_rels_.erase(id)) {
    auto unlink = [id](std::vector<RelRef>& rels) {
      rels.erase(std::remove_if(rels.begin(), rels.end(),
                                [id](const RelRef& r) { return r->id == id; }),
                 rels.end());
    };
    unlink(new_out_[rel->src]);
    unlink(new_in_[rel->dst]);
  } else {
    deleted_rels_.insert(id);
  }
  return Status::Ok();
}

Status StoreGraph::DeleteNode(uint64_t id, bool detach) {
  if (!GetNode(id)) return Status::NotFound("node " + std::to_string(id) + " does not exist");
  std::vector<RelRef> rels = Rels(id, Direction::kBoth, {});
  if (!rels.empty() && !detach) {
    return Status::InvalidArgument("node " + std::to_string(id) + " still has relationships");
  }
  for (const auto& rel : rels) KG_RETURN_IF_ERROR(DeleteRel(rel->id));
  KG_RETURN_IF_ERROR(Batch().DeleteNode(id, detach));
  rewritten_ = true;
  changed_nodes_.erase(id);
  new_out_.erase(id);
  new_in_.erase(id);
  if (!new_nodes_.erase(id)) deleted_nodes_.insert(id);
  return Status::Ok();
}

void StoreGraph::PutChangedNode(NodeRef node) {
  rewritten_ = true;
  if (auto it = new_nodes_.find(node->id); it != new_nodes_.end()) {
    it->second = std::move(node);
  } else {
    changed_nodes_[node->id] = std::move(node);
  }
}

Status StoreGraph::SetNodeProperties(uint64_t id, const Properties& props) {
  NodeRef node = GetNode(id);
  if (!node) return Status::NotFound("node " + std::to_string(id) + " does not exist");
  KG_RETURN_IF_ERROR(Batch().SetNodeProperties(id, props));
  auto changed = std::make_shared<NodeData>(*node);
  changed->props = props;
  // `n.key` reads these decoded values before props: a partly read node must not keep them.
  changed->value_keys.reset();
  changed->values.clear();
  PutChangedNode(std::move(changed));
  return Status::Ok();
}

Status StoreGraph::SetNodeLabels(uint64_t id, const std::vector<std::string>& labels) {
  NodeRef node = GetNode(id);
  if (!node) return Status::NotFound("node " + std::to_string(id) + " does not exist");
  KG_RETURN_IF_ERROR(Batch().SetNodeLabels(id, labels));
  auto changed = std::make_shared<NodeData>(*node);
  changed->labels = labels;
  PutChangedNode(std::move(changed));
  return Status::Ok();
}

Status StoreGraph::SetRelProperties(uint64_t id, const Properties& props) {
  RelRef rel = GetRel(id);
  if (!rel) return Status::NotFound("relationship " + std::to_string(id) + " does not exist");
  KG_RETURN_IF_ERROR(Batch().SetEdgeProperties(id, props));
  auto changed = std::make_shared<RelData>(*rel);
  changed->props = props;
  rewritten_ = true;
  if (auto it = new_rels_.find(id); it != new_rels_.end()) {
    it->second = changed;
    for (auto* index : {&new_out_[rel->src], &new_in_[rel->dst]}) {
      for (auto& r : *index) {
        if (r->id == id) r = changed;
      }
    }
  } else {
    changed_rels_[id] = std::move(changed);
  }
  return Status::Ok();
}

void StoreGraph::ClearOverlay() {
  new_nodes_.clear();
  new_rels_.clear();
  new_out_.clear();
  new_in_.clear();
  changed_nodes_.clear();
  changed_rels_.clear();
  deleted_nodes_.clear();
  deleted_rels_.clear();
  rewritten_ = false;
}

Status StoreGraph::Commit() {
  if (!batch_) return Status::Ok();
  Status s = store_.Commit(*batch_);
  batch_.reset();
  ClearOverlay();
  node_cache_.clear();
  rel_cache_.clear();
  view_ = store_.NewReadView();
  return s;
}

void StoreGraph::Rollback() {
  batch_.reset();
  ClearOverlay();
}

Status StoreGraph::status() const { return view_->status(); }

}  // namespace kg::query
