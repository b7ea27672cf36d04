// GraphBatch: a write transaction over an overlay of touched nodes and edges, turned into one
// rocksdb::WriteBatch at commit. Index entries (labels, names) and counters are derived at commit
// from the difference between each record's committed and new state, so every operation only
// edits records and the indexes can never drift from them.

#include "graph_batch_impl.h"

#include <algorithm>
#include <set>

#include "evidence_pack.h"
#include "key_format.h"
#include "kg/store/names.h"

namespace kg::store {

using internal::AdjKey;
using internal::CounterTag;
using internal::EdgeRecord;
using internal::EvidenceKind;
using internal::NodeRecord;
using internal::StoreImpl;
namespace in = internal;

GraphBatch::GraphBatch(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GraphBatch::~GraphBatch() = default;

NodeId GraphBatch::CreateNode(std::vector<std::string> labels, Properties properties) {
  return impl_->CreateNode(std::move(labels), std::move(properties));
}
Result<EdgeId> GraphBatch::CreateEdge(NodeId source, std::string_view type, NodeId target,
                                      Properties properties) {
  return impl_->CreateEdge(source, type, target, std::move(properties));
}
Result<EdgeId> GraphBatch::MergeEdge(NodeId source, std::string_view type, NodeId target,
                                     Properties properties, bool* created) {
  return impl_->MergeEdge(source, type, target, std::move(properties), created);
}
Result<NodeId> GraphBatch::UpsertEntity(const EntityUpsert& upsert, bool* created) {
  return impl_->UpsertEntity(upsert, created);
}
Status GraphBatch::AddEvidence(const Evidence& evidence) { return impl_->AddEvidence(evidence); }
Status GraphBatch::SetNodeProperties(NodeId id, Properties properties) {
  return impl_->SetNodeProperties(id, std::move(properties));
}
Status GraphBatch::SetNodeLabels(NodeId id, std::vector<std::string> labels) {
  return impl_->SetNodeLabels(id, std::move(labels));
}
Status GraphBatch::SetEdgeProperties(EdgeId id, Properties properties) {
  return impl_->SetEdgeProperties(id, std::move(properties));
}
Status GraphBatch::DeleteEdge(EdgeId id) { return impl_->DeleteEdge(id); }
Status GraphBatch::DeleteNode(NodeId id, bool detach) { return impl_->DeleteNode(id, detach); }
std::optional<Node> GraphBatch::GetNode(NodeId id) { return impl_->GetNode(id); }
std::optional<Edge> GraphBatch::GetEdge(EdgeId id) { return impl_->GetEdge(id); }
size_t GraphBatch::pending_operations() const { return impl_->ops; }
const Status& GraphBatch::status() const { return impl_->status; }

namespace internal {

std::unique_ptr<GraphBatch> StoreImpl::NewBatch() {
  auto impl = std::make_unique<GraphBatch::Impl>(this);
  return std::unique_ptr<GraphBatch>(new GraphBatch(std::move(impl)));
}

Status StoreImpl::Commit(GraphBatch& batch) {
  auto& impl = *batch.impl_;
  if (impl.spent) return Status::Internal("GraphBatch committed twice");
  impl.spent = true;
  std::unique_lock<std::mutex> lock = std::move(impl.lock);
  if (read_only_) return Status::InvalidArgument(path_ + " is open read-only");
  if (!impl.status.ok()) return impl.status;
  impl.Finish();
  rocksdb::WriteBatch wb = impl.wb.Build();  // in memtable order (batch_ops.h)
  if (fail_next_commit_) {
    fail_next_commit_ = false;
    writer_cache_.Clear();
    return Status::IOError("injected failure before writing the batch (TEST_FailNextCommit)");
  }
  rocksdb::WriteOptions wo;
  wo.sync = false;
  auto s = db_->Write(wo, &wb);
  if (!s.ok()) {
    writer_cache_.Clear();  // whatever RocksDB kept of the batch, the store is re-read
    return FromRocks(s, "cannot write " + path_);
  }
  AddTypes(impl.new_types);
  stored_next_ = impl.next_ids;
  for (const auto& [norm, id, added] : impl.name_changes) {
    if (added) {
      writer_cache_.ApplyNameAdded(norm, id);
    } else {
      writer_cache_.ApplyNameRemoved(norm, id);
    }
  }
  for (const auto& [id, st] : impl.nodes) {
    if (st.dirty) writer_cache_.ApplyNode(id, st.cur ? &*st.cur : nullptr);
  }
  return Status::Ok();
}

}  // namespace internal

GraphBatch::Impl::Impl(StoreImpl* s) : store(s), lock(s->writer_mu_) {}

in::GraphBatchCache* GraphBatch::Impl::WriterCache() {
  // Only while this batch holds the writer lock (not after Commit released it), and never in a
  // read-only store, whose state changes under it.
  return lock.owns_lock() && !store->read_only() ? &store->writer_cache_ : nullptr;
}

void GraphBatch::Impl::Fail(const Status& s) {
  if (status.ok()) status = s;
}

void GraphBatch::Impl::AddCounter(const std::string& key, int64_t delta) {
  counter_deltas[key] += delta;
}

uint64_t GraphBatch::Impl::ReadCounter(const std::string& key) {
  std::string value;
  uint64_t base = 0;
  auto s = counter_deletes.count(key)
               ? rocksdb::Status::NotFound()
               : store->db()->Get(rocksdb::ReadOptions(), store->cf(in::kCounters), key, &value);
  if (s.ok()) {
    base = in::DecodeCounter(value);
  } else if (!s.IsNotFound()) {
    Fail(in::FromRocks(s, "cannot read counters"));
  }
  auto it = counter_deltas.find(key);
  return base + static_cast<uint64_t>(it == counter_deltas.end() ? 0 : it->second);
}

GraphBatch::Impl::NodeState* GraphBatch::Impl::LoadNode(NodeId id) {
  auto it = nodes.find(id);
  if (it != nodes.end()) return it->second.cur ? &it->second : nullptr;
  auto* cache = WriterCache();
  if (cache) {
    if (const NodeRecord* cached = cache->FindNode(id)) {
      auto& st = nodes[id];
      st.orig = *cached;
      st.cur = *cached;
      return &st;
    }
  }
  std::string value;
  auto s = store->db()->Get(rocksdb::ReadOptions(), store->cf(in::kNodes), in::U64Key(id), &value);
  if (s.IsNotFound()) return nullptr;
  if (!s.ok()) {
    Fail(in::FromRocks(s, "cannot read node " + std::to_string(id)));
    return nullptr;
  }
  auto record = in::DecodeNode(value);
  if (!record) {
    Fail(Status::Corruption("malformed node record " + std::to_string(id)));
    return nullptr;
  }
  if (cache) cache->PutNode(id, *record);
  auto& st = nodes[id];
  st.orig = *record;
  st.cur = std::move(*record);
  return &st;
}

GraphBatch::Impl::EdgeState* GraphBatch::Impl::LoadEdge(EdgeId id) {
  auto it = edges.find(id);
  if (it != edges.end()) return it->second.cur ? &it->second : nullptr;
  std::string value;
  auto s = store->db()->Get(rocksdb::ReadOptions(), store->cf(in::kEdges), in::U64Key(id), &value);
  if (s.IsNotFound()) return nullptr;
  if (!s.ok()) {
    Fail(in::FromRocks(s, "cannot read edge " + std::to_string(id)));
    return nullptr;
  }
  auto record = in::DecodeEdge(value);
  if (!record) {
    Fail(Status::Corruption("malformed edge record " + std::to_string(id)));
    return nullptr;
  }
  auto& st = edges[id];
  st.orig = *record;
  st.cur = std::move(*record);
  return &st;
}

std::optional<uint32_t> GraphBatch::Impl::LookupType(std::string_view type) {
  auto it = new_types.find(type);
  if (it != new_types.end()) return it->second;
  return store->TypeId(type);
}

uint32_t GraphBatch::Impl::TypeIdFor(std::string_view type, bool* is_new) {
  *is_new = false;
  if (auto id = LookupType(type)) return *id;
  uint32_t id = store->next_type_++;
  new_types.emplace(std::string(type), id);
  *is_new = true;
  return id;
}

std::string GraphBatch::Impl::TypeNameOf(uint32_t type_id) {
  for (const auto& [name, id] : new_types) {
    if (id == type_id) return name;
  }
  return std::string(store->TypeName(type_id));
}

NodeId GraphBatch::Impl::CreateNode(std::vector<std::string> labels, Properties properties) {
  NodeId id = store->next_node_++;
  auto& st = nodes[id];
  st.cur = NodeRecord{std::move(labels),
                      properties.is_object() ? std::move(properties) : EmptyProperties(), {}};
  st.dirty = true;
  NoteNames(id, *st.cur);
  ++ops;
  return id;
}

void GraphBatch::Impl::NoteNames(NodeId id, const NodeRecord& record) {
  for (auto& name : in::IndexNames(record)) added_names[name].push_back(id);
}

Result<EdgeId> GraphBatch::Impl::NewEdge(NodeId source, uint32_t type_id, NodeId target,
                                         Properties properties) {
  EdgeId id = store->next_edge_++;
  auto& st = edges[id];
  st.cur = EdgeRecord{type_id, source, target,
                      properties.is_object() ? std::move(properties) : EmptyProperties()};
  st.dirty = true;
  new_edge_keys[in::AdjPrefix(source, type_id, target)].push_back(id);
  ++ops;
  return id;
}

Status GraphBatch::Impl::CheckEnds(NodeId source, std::string_view type, NodeId target) {
  if (type.empty()) return Status::InvalidArgument("a relationship needs a type");
  if (!LoadNode(source)) {
    return Status::InvalidArgument("node " + std::to_string(source) + " does not exist");
  }
  if (!LoadNode(target)) {
    return Status::InvalidArgument("node " + std::to_string(target) + " does not exist");
  }
  return status;
}

Result<EdgeId> GraphBatch::Impl::CreateEdge(NodeId source, std::string_view type, NodeId target,
                                            Properties properties) {
  KG_RETURN_IF_ERROR(CheckEnds(source, type, target));
  bool is_new = false;
  uint32_t type_id = TypeIdFor(type, &is_new);
  return NewEdge(source, type_id, target, std::move(properties));
}

Result<EdgeId> GraphBatch::Impl::MergeEdge(NodeId source, std::string_view type, NodeId target,
                                           Properties properties, bool* created) {
  if (created) *created = false;
  KG_RETURN_IF_ERROR(CheckEnds(source, type, target));
  bool is_new_type = false;
  uint32_t type_id = TypeIdFor(type, &is_new_type);
  auto prefix = in::AdjPrefix(source, type_id, target);
  EdgeId found = kNoId;
  // Edges committed before this batch have lower ids than the batch's, so look there first.
  auto src_it = nodes.find(source);
  bool source_is_new = src_it != nodes.end() && !src_it->second.orig;
  if (!is_new_type && !source_is_new) {
    auto upper = in::PrefixSuccessor(prefix);
    rocksdb::Slice upper_slice(upper);
    rocksdb::ReadOptions ro;
    ro.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(
        store->db()->NewIterator(ro, store->cf(in::kOutAdj)));
    for (it->Seek(prefix); it->Valid(); it->Next()) {
      auto key = in::DecodeAdjKey(it->key().ToStringView());
      if (!key) continue;
      auto st = edges.find(key->edge);
      if (st != edges.end() && !st->second.cur) continue;  // deleted in this batch
      found = key->edge;
      break;
    }
    if (!it->status().ok()) return in::FromRocks(it->status(), "cannot read adjacency");
  }
  if (found == kNoId) {
    auto pending = new_edge_keys.find(prefix);
    if (pending != new_edge_keys.end()) {
      for (EdgeId id : pending->second) {
        if (edges[id].cur) {
          found = id;
          break;
        }
      }
    }
  }
  if (found == kNoId) {
    if (created) *created = true;
    return NewEdge(source, type_id, target, std::move(properties));
  }
  if (properties.is_object() && !properties.empty()) {
    auto* st = LoadEdge(found);
    if (!st) return status.ok() ? Status::Internal("edge vanished during MergeEdge") : status;
    st->cur->properties.update(properties);
    st->dirty = true;
    ++ops;
  }
  return found;
}

void GraphBatch::Impl::LoadAllNames(in::GraphBatchCache* cache) {
  cache->NoteNamesLoadTried();
  std::unordered_map<std::string, std::vector<NodeId>> names;
  std::unique_ptr<rocksdb::Iterator> it(
      store->db()->NewIterator(rocksdb::ReadOptions(), store->cf(in::kNames)));
  size_t entries = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (++entries > in::GraphBatchCache::kMaxCompleteNames) return;  // too many: seek per name
    auto key = in::DecodeIndexKey(it->key().ToStringView());
    if (!key) return;  // not ours to judge here (verify names it): seek per name
    names[std::string(key->first)].push_back(key->second);
  }
  if (!it->status().ok()) return;  // the per-name seeks report it
  cache->SetAllNames(std::move(names));
}

std::vector<NodeId> GraphBatch::Impl::FindByName(const std::string& norm) {
  std::vector<NodeId> candidates;
  auto* cache = WriterCache();
  const std::vector<NodeId>* cached = nullptr;
  if (cache) {
    cached = cache->FindName(norm);
    if (!cached && cache->ShouldLoadAllNames()) {
      LoadAllNames(cache);
      cached = cache->FindName(norm);
    }
  }
  if (cached) {
    candidates = *cached;
  } else if (cache && cache->names_complete()) {
    // Absent from the store: the cache holds the whole names index.
  } else {
    std::string prefix = norm;
    prefix.push_back('\0');
    auto upper = in::PrefixSuccessor(prefix);
    rocksdb::Slice upper_slice(upper);
    rocksdb::ReadOptions ro;
    ro.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(store->db()->NewIterator(ro, store->cf(in::kNames)));
    for (it->Seek(prefix); it->Valid(); it->Next()) {
      auto key = in::DecodeIndexKey(it->key().ToStringView());
      if (key && key->first == norm) candidates.push_back(key->second);
    }
    if (!it->status().ok()) {
      Fail(in::FromRocks(it->status(), "cannot read the names index"));
    } else if (cache) {
      cache->PutName(norm, candidates);
    }
  }
  auto added = added_names.find(norm);
  if (added != added_names.end()) {
    candidates.insert(candidates.end(), added->second.begin(), added->second.end());
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  std::vector<NodeId> result;
  for (NodeId id : candidates) {
    auto* st = LoadNode(id);
    if (!st) continue;
    // A node this batch did not change has exactly the names the index lists for it; one it
    // changed may have lost or gained this one.
    if (!st->dirty) {
      result.push_back(id);
      continue;
    }
    auto names = in::IndexNames(*st->cur);
    if (std::binary_search(names.begin(), names.end(), norm)) result.push_back(id);
  }
  return result;
}

namespace {

// The label with the most votes; ties keep `current` when it is among the best.
std::string SettleLabel(const std::map<std::string, uint64_t>& votes, const std::string& current) {
  uint64_t best = 0;
  for (const auto& [label, n] : votes) best = std::max(best, n);
  auto cur = votes.find(current);
  if (cur != votes.end() && cur->second == best) return current;
  for (const auto& [label, n] : votes) {
    if (n == best) return label;
  }
  return current;
}

}  // namespace

Result<NodeId> GraphBatch::Impl::UpsertEntity(const EntityUpsert& upsert, bool* created) {
  if (created) *created = false;
  auto norm = NormalizeName(upsert.name);
  if (norm.empty()) return Status::InvalidArgument("an entity needs a non-empty name");
  std::string label = upsert.label.empty() ? "Other" : upsert.label;
  auto candidates = FindByName(norm);
  if (candidates.empty()) {
    for (const auto& alias : upsert.aliases) {
      auto alias_norm = NormalizeName(alias);
      if (alias_norm.empty()) continue;
      auto more = FindByName(alias_norm);
      candidates.insert(candidates.end(), more.begin(), more.end());
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    // Found through an alias only: the node is this entity when its name and every alias of
    // more than one word can name the same thing. Without this, "Barry Ferguson" (alias
    // "Ferguson") became an alias of a node "Alex Ferguson" that had the same alias, and a
    // node "Brown" gathered Steve, Dan, Ian, Wes and Craig Brown (docs/SCHEMA.md).
    std::erase_if(candidates, [&](NodeId id) {
      auto* st = LoadNode(id);
      if (!st) return true;
      auto name = st->cur->properties.find("name");
      if (name == st->cur->properties.end() || !name->is_string() ||
          !NamesMayCorefer(norm, NormalizeName(name->get<std::string>()))) {
        return true;
      }
      auto aliases = st->cur->properties.find("aliases");
      if (aliases == st->cur->properties.end() || !aliases->is_array()) return false;
      for (const auto& alias : *aliases) {
        if (!alias.is_string()) continue;
        auto alias_norm = NormalizeName(alias.get<std::string>());
        if (NameWordCount(alias_norm) > 1 && !NamesMayCorefer(norm, alias_norm)) return true;
      }
      return false;
    });
  }
  KG_RETURN_IF_ERROR(status);
  NodeId chosen = kNoId;
  for (NodeId id : candidates) {
    auto* st = LoadNode(id);
    if (st && std::find(st->cur->labels.begin(), st->cur->labels.end(), label) !=
                  st->cur->labels.end()) {
      chosen = id;
      break;
    }
  }
  if (chosen == kNoId && !candidates.empty()) chosen = candidates.front();

  if (chosen == kNoId) {
    Properties props = upsert.properties.is_object() ? upsert.properties : EmptyProperties();
    props["name"] = upsert.name;
    auto aliases = nlohmann::json::array();
    std::set<std::string> seen = {norm};
    for (const auto& alias : upsert.aliases) {
      auto n = NormalizeName(alias);
      if (!n.empty() && seen.insert(n).second) aliases.push_back(alias);
    }
    props["aliases"] = std::move(aliases);
    NodeId id = store->next_node_++;
    auto& st = nodes[id];
    st.cur = NodeRecord{{label}, std::move(props), {{label, upsert.label_weight}}};
    st.dirty = true;
    NoteNames(id, *st.cur);
    ++ops;
    if (created) *created = true;
    return id;
  }

  auto* st = LoadNode(chosen);
  if (!st) return status.ok() ? Status::Internal("node vanished during UpsertEntity") : status;
  auto& rec = *st->cur;
  auto names = in::IndexNames(rec);
  bool via_alias = !std::binary_search(names.begin(), names.end(), norm);
  std::set<std::string> seen(names.begin(), names.end());
  if (!rec.properties.contains("aliases") || !rec.properties["aliases"].is_array()) {
    rec.properties["aliases"] = nlohmann::json::array();
  }
  auto& aliases = rec.properties["aliases"];
  std::vector<std::string> surface = {upsert.name};
  surface.insert(surface.end(), upsert.aliases.begin(), upsert.aliases.end());
  for (const auto& s : surface) {
    auto n = NormalizeName(s);
    if (n.empty() || !seen.insert(n).second) continue;
    aliases.push_back(s);
    added_names[n].push_back(chosen);
  }
  if (!rec.properties.contains("name")) rec.properties["name"] = upsert.name;
  // A node named by a short form ("Abe", seen alone first) takes the full name that joins it
  // ("Shinzo Abe"); the short form stays an alias, so both still find it.
  auto& current_name = rec.properties["name"];
  if (via_alias && current_name.is_string() &&
      NameWordCount(norm) > NameWordCount(NormalizeName(current_name.get<std::string>()))) {
    std::string shorter = current_name.get<std::string>();
    for (auto it = aliases.begin(); it != aliases.end(); ++it) {
      if (it->is_string() && NormalizeName(it->get<std::string>()) == norm) {
        aliases.erase(it);
        break;
      }
    }
    aliases.push_back(std::move(shorter));
    current_name = upsert.name;
  }
  if (upsert.properties.is_object()) {
    for (auto it = upsert.properties.begin(); it != upsert.properties.end(); ++it) {
      if (it.key() != "name" && it.key() != "aliases") rec.properties[it.key()] = it.value();
    }
  }
  if (rec.label_votes.empty()) {
    for (const auto& l : rec.labels) rec.label_votes[l] = 1;
  }
  rec.label_votes[label] += upsert.label_weight;
  auto current = rec.labels.empty() ? label : rec.labels.front();
  rec.labels = {SettleLabel(rec.label_votes, current)};
  st->dirty = true;
  ++ops;
  return chosen;
}

Status GraphBatch::Impl::AddEvidence(const Evidence& evidence) {
  if (evidence.on_node) {
    if (!LoadNode(evidence.edge_or_node)) {
      return status.ok() ? Status::NotFound("node " + std::to_string(evidence.edge_or_node) +
                                            " does not exist")
                         : status;
    }
  } else if (auto* est = LoadEdge(evidence.edge_or_node)) {
    AddMentions(*est->cur, 0, 1);
  } else {
    return status.ok() ? Status::NotFound("edge " + std::to_string(evidence.edge_or_node) +
                                          " does not exist")
                       : status;
  }
  uint64_t id = store->next_evidence_++;
  auto kind = evidence.on_node ? EvidenceKind::kNode : EvidenceKind::kEdge;
  record_scratch.clear();
  in::AppendEvidence(&record_scratch, evidence);
  auto& packs = pending_evidence[kind == EvidenceKind::kNode][evidence.edge_or_node];
  if (packs.open.Full(record_scratch.size())) {
    uint64_t first = packs.open.first_id();
    packs.full.emplace_back(first, packs.open.Finish());
  }
  packs.open.Add(id, record_scratch);
  AddCounter(in::CounterKey(CounterTag::kEvidence), 1);
  AddCounter(in::OwnerCounterKey(
                 evidence.on_node ? CounterTag::kNodeEvidence : CounterTag::kEdgeEvidence,
                 evidence.edge_or_node),
             1);
  ++ops;
  return Status::Ok();
}

Status GraphBatch::Impl::SetNodeProperties(NodeId id, Properties properties) {
  if (!properties.is_object()) return Status::InvalidArgument("properties must be a map");
  auto* st = LoadNode(id);
  if (!st) return status.ok() ? Status::NotFound("node " + std::to_string(id) + " does not exist")
                              : status;
  st->cur->properties = std::move(properties);
  st->dirty = true;
  NoteNames(id, *st->cur);
  ++ops;
  return Status::Ok();
}

Status GraphBatch::Impl::SetNodeLabels(NodeId id, std::vector<std::string> labels) {
  auto* st = LoadNode(id);
  if (!st) return status.ok() ? Status::NotFound("node " + std::to_string(id) + " does not exist")
                              : status;
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  st->cur->labels = std::move(labels);
  st->cur->label_votes.clear();
  st->dirty = true;
  ++ops;
  return Status::Ok();
}

Status GraphBatch::Impl::SetEdgeProperties(EdgeId id, Properties properties) {
  if (!properties.is_object()) return Status::InvalidArgument("properties must be a map");
  auto* st = LoadEdge(id);
  if (!st) return status.ok() ? Status::NotFound("edge " + std::to_string(id) + " does not exist")
                              : status;
  st->cur->properties = std::move(properties);
  st->dirty = true;
  ++ops;
  return Status::Ok();
}

uint64_t GraphBatch::Impl::DropEvidence(EvidenceKind kind, uint64_t owner) {
  auto counter_key = in::OwnerCounterKey(
      kind == EvidenceKind::kNode ? CounterTag::kNodeEvidence : CounterTag::kEdgeEvidence, owner);
  uint64_t count = ReadCounter(counter_key);  // stored and added by this batch
  AddCounter(in::CounterKey(CounterTag::kEvidence), -static_cast<int64_t>(count));
  counter_deletes.insert(counter_key);
  counter_deltas.erase(counter_key);
  pending_evidence[kind == EvidenceKind::kNode].erase(owner);
  // Singles (older stores) and packs. A batch with range deletions is written in the order it
  // was built (batch_ops.h), so the packs Finish writes after this survive it.
  for (auto prefix : {in::EvidencePrefix(kind, owner), in::EvidencePackPrefix(kind, owner)}) {
    wb.DeleteRange(store->cf(in::kEvidence), prefix, in::PrefixSuccessor(prefix));
  }
  return count;
}

void GraphBatch::Impl::AddMentions(const EdgeRecord& edge, int64_t edge_delta,
                                   int64_t evidence) {
  auto& source = mention_deltas[edge.source];
  source[in::kOutEdges] += edge_delta;
  source[in::kOutEvidence] += evidence;
  auto& target = mention_deltas[edge.target];
  target[in::kInEdges] += edge_delta;
  target[in::kInEvidence] += evidence;
  if (edge.source == edge.target) {
    source[in::kLoops] += edge_delta;
    source[in::kLoopEvidence] += evidence;
  }
}

Status GraphBatch::Impl::DeleteEdge(EdgeId id) {
  auto* st = LoadEdge(id);
  if (!st) return status.ok() ? Status::NotFound("edge " + std::to_string(id) + " does not exist")
                              : status;
  uint64_t evidence = DropEvidence(EvidenceKind::kEdge, id);
  AddMentions(*st->cur, 0, -static_cast<int64_t>(evidence));
  st->cur.reset();
  st->dirty = true;
  ++ops;
  return Status::Ok();
}

Status GraphBatch::Impl::DeleteNode(NodeId id, bool detach) {
  auto* st = LoadNode(id);
  if (!st) return status.ok() ? Status::NotFound("node " + std::to_string(id) + " does not exist")
                              : status;
  std::set<EdgeId> incident;
  for (auto cf : {in::kOutAdj, in::kInAdj}) {
    auto prefix = in::AdjPrefix(id);
    auto upper = in::PrefixSuccessor(prefix);
    rocksdb::Slice upper_slice(upper);
    rocksdb::ReadOptions ro;
    ro.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(store->db()->NewIterator(ro, store->cf(cf)));
    for (it->Seek(prefix); it->Valid(); it->Next()) {
      if (auto key = in::DecodeAdjKey(it->key().ToStringView())) incident.insert(key->edge);
    }
    if (!it->status().ok()) return in::FromRocks(it->status(), "cannot read adjacency");
  }
  for (const auto& [edge_id, est] : edges) {
    if (est.cur && (est.cur->source == id || est.cur->target == id)) incident.insert(edge_id);
  }
  std::vector<EdgeId> live;
  for (EdgeId e : incident) {
    auto it = edges.find(e);
    if (it == edges.end() || it->second.cur) live.push_back(e);
  }
  if (!live.empty() && !detach) {
    return Status::InvalidArgument("node " + std::to_string(id) + " still has " +
                                   std::to_string(live.size()) +
                                   " relationship(s); use DETACH DELETE");
  }
  for (EdgeId e : live) KG_RETURN_IF_ERROR(DeleteEdge(e));
  DropEvidence(EvidenceKind::kNode, id);
  deleted_nodes.push_back(id);
  st->cur.reset();
  st->dirty = true;
  ++ops;
  return Status::Ok();
}

std::optional<Node> GraphBatch::Impl::GetNode(NodeId id) {
  auto* st = LoadNode(id);
  if (!st) return std::nullopt;
  return Node{id, st->cur->labels, st->cur->properties};
}

std::optional<Edge> GraphBatch::Impl::GetEdge(EdgeId id) {
  auto* st = LoadEdge(id);
  if (!st) return std::nullopt;
  return Edge{id, TypeNameOf(st->cur->type_id), st->cur->source, st->cur->target,
              st->cur->properties,
              ReadCounter(in::OwnerCounterKey(CounterTag::kEdgeEvidence, id))};
}

void GraphBatch::Impl::Finish() {
  auto* nodes_cf = store->cf(in::kNodes);
  auto* labels_cf = store->cf(in::kLabels);
  auto* names_cf = store->cf(in::kNames);
  for (auto& [id, st] : nodes) {
    if (!st.dirty) continue;
    static const std::vector<std::string> kNone;
    const auto& old_labels = st.orig ? st.orig->labels : kNone;
    const auto& new_labels = st.cur ? st.cur->labels : kNone;
    for (const auto& l : old_labels) {
      if (std::find(new_labels.begin(), new_labels.end(), l) != new_labels.end()) continue;
      wb.Delete(labels_cf, in::IndexKey(l, id));
      AddCounter(in::CounterKey(CounterTag::kLabel, l), -1);
    }
    for (const auto& l : new_labels) {
      if (std::find(old_labels.begin(), old_labels.end(), l) != old_labels.end()) continue;
      wb.Put(labels_cf, in::IndexKey(l, id), {});
      AddCounter(in::CounterKey(CounterTag::kLabel, l), 1);
    }
    auto old_names = st.orig ? in::IndexNames(*st.orig) : std::vector<std::string>();
    auto new_names = st.cur ? in::IndexNames(*st.cur) : std::vector<std::string>();
    for (const auto& n : old_names) {
      if (!std::binary_search(new_names.begin(), new_names.end(), n)) {
        wb.Delete(names_cf, in::IndexKey(n, id));
        name_changes.emplace_back(n, id, false);
      }
    }
    for (const auto& n : new_names) {
      if (!std::binary_search(old_names.begin(), old_names.end(), n)) {
        wb.Put(names_cf, in::IndexKey(n, id), {});
        name_changes.emplace_back(n, id, true);
      }
    }
    if (!st.orig && st.cur) AddCounter(in::CounterKey(CounterTag::kNodes), 1);
    if (st.orig && !st.cur) AddCounter(in::CounterKey(CounterTag::kNodes), -1);
    if (st.cur) {
      wb.Put(nodes_cf, in::U64Key(id), in::EncodeNode(*st.cur));
    } else if (st.orig) {
      wb.Delete(nodes_cf, in::U64Key(id));
    }
  }

  auto* edges_cf = store->cf(in::kEdges);
  auto* out_cf = store->cf(in::kOutAdj);
  auto* in_cf = store->cf(in::kInAdj);
  for (auto& [id, st] : edges) {
    if (!st.dirty) continue;
    if (st.orig && st.cur) {
      wb.Put(edges_cf, in::U64Key(id), in::EncodeEdge(*st.cur));
      continue;
    }
    const EdgeRecord* rec = st.cur ? &*st.cur : st.orig ? &*st.orig : nullptr;
    if (rec == nullptr) continue;  // created and deleted in this batch
    int64_t delta = st.cur ? 1 : -1;
    auto out_key = in::EncodeAdjKey(AdjKey{rec->source, rec->type_id, rec->target, id});
    auto in_key = in::EncodeAdjKey(AdjKey{rec->target, rec->type_id, rec->source, id});
    if (st.cur) {
      wb.Put(edges_cf, in::U64Key(id), in::EncodeEdge(*rec));
      wb.Put(out_cf, out_key, {});
      wb.Put(in_cf, in_key, {});
    } else {
      wb.Delete(edges_cf, in::U64Key(id));
      wb.Delete(out_cf, out_key);
      wb.Delete(in_cf, in_key);
    }
    AddCounter(in::CounterKey(CounterTag::kEdges), delta);
    AddCounter(in::CounterKey(CounterTag::kType, TypeNameOf(rec->type_id)), delta);
    AddCounter(in::DegreeKey(rec->source, 0, rec->type_id), delta);
    AddCounter(in::TotalDegreeKey(rec->source, 0), delta);
    AddCounter(in::DegreeKey(rec->target, 1, rec->type_id), delta);
    AddCounter(in::TotalDegreeKey(rec->target, 1), delta);
    AddMentions(*rec, delta, 0);
  }

  auto* evidence_cf = store->cf(in::kEvidence);
  for (size_t on_node = 0; on_node < 2; ++on_node) {
    auto kind = on_node ? EvidenceKind::kNode : EvidenceKind::kEdge;
    for (auto& [owner, packs] : pending_evidence[on_node]) {
      for (auto& [first, value] : packs.full) {
        wb.Put(evidence_cf, in::EvidencePackKey(kind, owner, first), std::move(value));
      }
      if (packs.open.empty()) continue;
      uint64_t first = packs.open.first_id();
      wb.Put(evidence_cf, in::EvidencePackKey(kind, owner, first), packs.open.Finish());
    }
  }

  auto* counters_cf = store->cf(in::kCounters);
  for (const auto& [key, delta] : counter_deltas) {
    if (delta == 0 || counter_deletes.count(key)) continue;
    wb.Merge(counters_cf, key, in::CounterValue(static_cast<uint64_t>(delta)));
  }
  for (const auto& [node, deltas] : mention_deltas) {
    if (std::any_of(deltas.begin(), deltas.end(), [](int64_t d) { return d != 0; })) {
      in::MentionLanes lanes;
      for (size_t i = 0; i < lanes.size(); ++i) lanes[i] = static_cast<uint64_t>(deltas[i]);
      wb.Merge(counters_cf, in::MentionKey(node), in::MentionValue(lanes));
    }
  }
  // A dropped owner's counter: what the batch added after the drop (a Put, as the batch is
  // written in build order), else deleted.
  for (const auto& key : counter_deletes) {
    auto it = counter_deltas.find(key);
    if (it != counter_deltas.end() && it->second != 0) {
      wb.Put(counters_cf, key, in::CounterValue(static_cast<uint64_t>(it->second)));
    } else {
      wb.Delete(counters_cf, key);
    }
  }
  for (NodeId id : deleted_nodes) {
    auto prefix = in::DegreePrefix(id);
    wb.DeleteRange(counters_cf, prefix, in::PrefixSuccessor(prefix));
    wb.Delete(counters_cf, in::TotalDegreeKey(id, 0));
    wb.Delete(counters_cf, in::TotalDegreeKey(id, 1));
    wb.Delete(counters_cf, in::MentionKey(id));
  }

  auto* meta_cf = store->cf(in::kMeta);
  for (const auto& [name, id] : new_types) {
    wb.Put(meta_cf, std::string(in::kTypeByNamePrefix) + name, in::U32Value(id));
    std::string by_id(in::kTypeByIdPrefix);
    in::PutU32(&by_id, id);
    wb.Put(meta_cf, by_id, name);
  }
  // Only the counters that moved since the stored values: an unchanged one already holds, in
  // `meta`, a value above every id committed (most batches make no type, many no edge).
  next_ids = {store->next_node_, store->next_edge_, store->next_doc_, store->next_evidence_,
              store->next_type_};
  static constexpr std::string_view kNextKeys[] = {in::kNextNodeKey, in::kNextEdgeKey,
                                                   in::kNextDocKey, in::kNextEvidenceKey,
                                                   in::kNextTypeKey};
  for (size_t i = 0; i < next_ids.size(); ++i) {
    if (next_ids[i] != store->stored_next_[i]) {
      wb.Put(meta_cf, std::string(kNextKeys[i]), in::U64Key(next_ids[i]));
    }
  }
}

}  // namespace kg::store
