// ReadView's scans over whole families: every node, edge, edge summary and document
// (read_view_impl.h).

#include "read_view_impl.h"
#include "record_readers.h"

namespace kg::store::internal {

using json = nlohmann::json;

std::vector<NodeId> ReadViewImpl::NodeIds() {
  std::vector<NodeId> ids;
  Scan(kNodes, {}, [&](std::string_view key, std::string_view) {
    if (key.size() == 8) ids.push_back(GetU64(key.data()));
    return true;
  });
  return ids;
}

void ReadViewImpl::ForEachEdgeSummary(const std::function<bool(const EdgeSummary&)>& fn) {
  // Edge records and the `v` counters are both keyed by big-endian edge id: walk them side by
  // side. An edge without a counter key has no evidence.
  std::string counter_prefix(1, static_cast<char>(CounterTag::kEdgeEvidence));
  std::string counter_upper = PrefixSuccessor(counter_prefix);
  rocksdb::Slice counter_upper_slice(counter_upper);
  rocksdb::ReadOptions cro = ro_;
  cro.iterate_upper_bound = &counter_upper_slice;
  std::unique_ptr<rocksdb::Iterator> counters(
      db()->NewIterator(cro, cf_handle(kCounters)));
  counters->Seek(counter_prefix);
  // TypeName takes the store's type lock: ask it once per type, not once per edge.
  std::vector<std::optional<std::string_view>> type_names;
  Scan(kEdges, {}, [&](std::string_view key, std::string_view value) {
    if (key.size() != 8 || value.size() < 20) {
      Corrupt<Edge>("edge record");
      return true;
    }
    EdgeSummary e;
    e.id = GetU64(key.data());
    uint32_t type_id = GetU32(value.data());
    if (type_id < 4096) {
      if (type_id >= type_names.size()) type_names.resize(type_id + 1);
      if (!type_names[type_id]) type_names[type_id] = store_->TypeName(type_id);
      e.type = *type_names[type_id];
    } else {
      e.type = store_->TypeName(type_id);
    }
    e.source = GetU64(value.data() + 4);
    e.target = GetU64(value.data() + 12);
    while (counters->Valid()) {
      auto ckey = counters->key().ToStringView();
      uint64_t owner = ckey.size() == 9 ? GetU64(ckey.data() + 1) : 0;
      if (owner > e.id) break;
      if (owner == e.id) e.evidence_count = DecodeCounter(counters->value().ToStringView());
      counters->Next();
    }
    return fn(e);
  });
  if (!counters->status().ok() && status_.ok()) {
    status_ = FromRocks(counters->status(), "scan failed");
  }
}

void ReadViewImpl::ForEachNode(const std::function<bool(const Node&)>& fn) {
  Scan(kNodes, {}, [&](std::string_view key, std::string_view value) {
    if (key.size() != 8) return true;
    auto rec = DecodeNodeFast(value);
    if (!rec) {
      Corrupt<Node>("node " + std::to_string(GetU64(key.data())));
      return true;
    }
    return fn(Node{GetU64(key.data()), std::move(rec->labels), std::move(rec->properties)});
  });
}

void ReadViewImpl::ForEachEdge(const std::function<bool(const Edge&)>& fn) {
  Scan(kEdges, {}, [&](std::string_view key, std::string_view value) {
    if (key.size() != 8) return true;
    auto rec = DecodeEdge(value);
    if (!rec) {
      Corrupt<Edge>("edge " + std::to_string(GetU64(key.data())));
      return true;
    }
    return fn(ToEdge(GetU64(key.data()), std::move(*rec)));
  });
}

void ReadViewImpl::ForEachDocument(const std::function<bool(const Document&)>& fn) {
  Scan(kDocs, {}, [&](std::string_view key, std::string_view value) {
    if (key.size() != 8) return true;
    auto doc = DecodeDocument(value);
    if (!doc) {
      Corrupt<Document>("document " + std::to_string(GetU64(key.data())));
      return true;
    }
    doc->id = GetU64(key.data());
    return fn(*doc);
  });
}

}  // namespace kg::store::internal
