#include "kg/store/verify.h"

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "evidence_pack.h"
#include "key_format.h"
#include "store_impl.h"
#include "values.h"

namespace kg::store {

using namespace internal;  // NOLINT: this file is all about the internal layout

namespace {

class Verifier {
 public:
  Verifier(StoreImpl* store, size_t max_problems)
      : store_(store),
        max_problems_(max_problems),
        snapshot_(store->read_only() ? nullptr : store->db()->GetSnapshot()) {
    ro_.snapshot = snapshot_;
    ro_.total_order_seek = true;
  }
  ~Verifier() {
    if (snapshot_ != nullptr) store_->db()->ReleaseSnapshot(snapshot_);
  }

  Result<VerifyReport> Run() {
    // The SST files first: a truncated or bit-flipped file is named by its checksum error. The
    // scans below could otherwise only report its symptoms (a column family read as empty and
    // thousands of counters "nothing has").
    rocksdb::Status files = store_->db()->VerifyChecksum();
    if (!files.ok()) Problem("storage: " + files.ToString());
    KG_RETURN_IF_ERROR(ScanNodes());
    KG_RETURN_IF_ERROR(ScanDocs());
    KG_RETURN_IF_ERROR(ScanEdges());
    KG_RETURN_IF_ERROR(ScanAdjacency(kOutAdj, "out_adj"));
    KG_RETURN_IF_ERROR(ScanAdjacency(kInAdj, "in_adj"));
    KG_RETURN_IF_ERROR(ScanEvidence());
    KG_RETURN_IF_ERROR(ScanIndex(kNames, "names"));
    KG_RETURN_IF_ERROR(ScanIndex(kLabels, "labels"));
    KG_RETURN_IF_ERROR(ScanDocIndex());
    KG_RETURN_IF_ERROR(CheckCounters());
    return std::move(report_);
  }

 private:
  void Problem(std::string line) {
    ++report_.problems_total;
    if (report_.problems.size() < max_problems_) report_.problems.push_back(std::move(line));
  }

  template <typename Fn>
  Status Scan(Cf cf, Fn&& fn) {
    std::unique_ptr<rocksdb::Iterator> it(store_->db()->NewIterator(ro_, store_->cf(cf)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      fn(it->key().ToStringView(), it->value().ToStringView());
    }
    return FromRocks(it->status(), "verify: scan failed");
  }

  bool Exists(Cf cf, const std::string& key) {
    std::string value;
    return store_->db()->Get(ro_, store_->cf(cf), key, &value).ok();
  }

  Status ScanNodes() {
    return Scan(kNodes, [&](std::string_view key, std::string_view value) {
      if (key.size() != 8) return Problem("nodes: malformed key");
      NodeId id = GetU64(key.data());
      auto rec = DecodeNode(value);
      if (!rec) return Problem("node " + std::to_string(id) + ": malformed record");
      ++report_.nodes;
      for (const auto& l : rec->labels) ++label_counts_[l];
      if (store_->next_node_ <= id && !store_->read_only()) {
        Problem("node " + std::to_string(id) + ": id not below the next_node counter");
      }
      nodes_.emplace(id, std::move(*rec));
    });
  }

  Status ScanDocs() {
    return Scan(kDocs, [&](std::string_view key, std::string_view value) {
      if (key.size() != 8) return Problem("docs: malformed key");
      DocId id = GetU64(key.data());
      auto doc = DecodeDocument(value);
      if (!doc) return Problem("document " + std::to_string(id) + ": malformed record");
      ++report_.documents;
      docs_[id] = {doc->content_hash, doc->external_id};
    });
  }

  Status ScanEdges() {
    return Scan(kEdges, [&](std::string_view key, std::string_view value) {
      if (key.size() != 8) return Problem("edges: malformed key");
      EdgeId id = GetU64(key.data());
      auto rec = DecodeEdge(value);
      auto name = "edge " + std::to_string(id);
      if (!rec) return Problem(name + ": malformed record");
      ++report_.edges;
      if (!nodes_.count(rec->source)) Problem(name + ": source node " + std::to_string(rec->source) + " missing");
      if (!nodes_.count(rec->target)) Problem(name + ": target node " + std::to_string(rec->target) + " missing");
      auto type = store_->TypeName(rec->type_id);
      if (type == "?") Problem(name + ": unknown type id " + std::to_string(rec->type_id));
      ++type_counts_[std::string(type)];
      if (!Exists(kOutAdj, EncodeAdjKey({rec->source, rec->type_id, rec->target, id}))) {
        Problem(name + ": out_adj entry missing");
      }
      if (!Exists(kInAdj, EncodeAdjKey({rec->target, rec->type_id, rec->source, id}))) {
        Problem(name + ": in_adj twin missing");
      }
      degrees_[{rec->source, 0, rec->type_id}]++;
      degrees_[{rec->source, 0, kAllTypes}]++;
      degrees_[{rec->target, 1, rec->type_id}]++;
      degrees_[{rec->target, 1, kAllTypes}]++;
      edges_.emplace(id, *rec);
    });
  }

  Status ScanAdjacency(Cf cf, const std::string& name) {
    return Scan(cf, [&](std::string_view key, std::string_view) {
      ++report_.index_entries;
      auto k = DecodeAdjKey(key);
      if (!k) return Problem(name + ": malformed key");
      auto it = edges_.find(k->edge);
      auto what = name + " entry of edge " + std::to_string(k->edge);
      if (it == edges_.end()) return Problem(what + ": edge record missing");
      const auto& e = it->second;
      bool out = cf == kOutAdj;
      NodeId node = out ? e.source : e.target, other = out ? e.target : e.source;
      if (k->node != node || k->other != other || k->type != e.type_id) {
        Problem(what + ": does not match the edge record");
      }
    });
  }

  // Single-record keys (schema <= 2) and packs (schema 3): every record decoded and counted per
  // owner (against the 'v'/'w' counters and 'V' in CheckCounters), ids unique and below
  // next_evidence, singles only where the store may hold them and below every pack's ids.
  Status ScanEvidence() {
    std::string below;
    std::optional<uint64_t> singles_below;
    if (store_->db()->Get(ro_, store_->cf(kMeta), kSinglesBelowKey, &below).ok()) {
      if (below.size() == 8) {
        singles_below = GetU64(below.data());
      } else {
        Problem("meta: malformed " + std::string(kSinglesBelowKey));
      }
    }
    std::vector<uint64_t> ids;
    KG_RETURN_IF_ERROR(Scan(kEvidence, [&](std::string_view key, std::string_view value) {
      if (key.size() != kEvidencePrefixSize + 8) return Problem("evidence: malformed key");
      uint64_t owner = GetU64(key.data() + 1);
      uint64_t key_id = GetU64(key.data() + kEvidencePrefixSize);
      char tag = key[0];
      bool on_edge = tag == static_cast<char>(EvidenceKind::kEdge) || tag == kEdgePackTag;
      bool on_node = tag == static_cast<char>(EvidenceKind::kNode) || tag == kNodePackTag;
      if (!on_edge && !on_node) {
        return Problem("evidence " + std::to_string(key_id) + ": unknown owner kind");
      }
      if (tag == kEdgePackTag || tag == kNodePackTag) {
        PackReader pack(key_id, value);
        uint64_t id = 0;
        std::string_view record;
        while (pack.Next(&id, &record)) CheckEvidence(on_node, owner, id, record, &ids);
        if (!pack.ok()) {
          Problem("evidence pack " + std::to_string(key_id) + " of " +
                  (on_node ? "node " : "edge ") + std::to_string(owner) + ": malformed pack");
        }
        return;
      }
      auto id = "evidence " + std::to_string(key_id);
      if (!store_->may_hold_evidence_singles()) {
        Problem(id + ": a single-record key in a store made at schema 3 or later");
      } else if (singles_below && key_id >= *singles_below) {
        Problem(id + ": a single-record key at or past " + std::string(kSinglesBelowKey));
      }
      CheckEvidence(on_node, owner, key_id, value, &ids);
    }));
    std::sort(ids.begin(), ids.end());
    for (size_t i = 1; i < ids.size(); ++i) {
      if (ids[i] == ids[i - 1] && (i == 1 || ids[i - 2] != ids[i])) {
        Problem("evidence " + std::to_string(ids[i]) + ": id used by more than one record");
      }
    }
    return Status::Ok();
  }

  void CheckEvidence(bool on_node, uint64_t owner, uint64_t evidence_id, std::string_view record,
                     std::vector<uint64_t>* ids) {
    auto id = "evidence " + std::to_string(evidence_id);
    Evidence ev;
    if (!DecodeEvidence(record, &ev)) return Problem(id + ": malformed record");
    ++report_.evidence;
    ids->push_back(evidence_id);
    if (store_->next_evidence_ <= evidence_id && !store_->read_only()) {
      Problem(id + ": id not below the next_evidence counter");
    }
    if (!on_node) {
      if (!edges_.count(owner)) Problem(id + ": edge " + std::to_string(owner) + " missing");
      edge_evidence_[owner]++;
    } else {
      if (!nodes_.count(owner)) Problem(id + ": node " + std::to_string(owner) + " missing");
      node_evidence_[owner]++;
    }
    if (ev.doc != kNoId && !docs_.count(ev.doc)) {
      Problem(id + ": document " + std::to_string(ev.doc) + " missing");
    }
  }

  Status ScanIndex(Cf cf, const std::string& name) {
    std::unordered_map<NodeId, size_t> seen;
    KG_RETURN_IF_ERROR(Scan(cf, [&](std::string_view key, std::string_view) {
      ++report_.index_entries;
      auto k = DecodeIndexKey(key);
      if (!k) return Problem(name + ": malformed key");
      auto what = name + " entry '" + std::string(k->first) + "' -> node " +
                  std::to_string(k->second);
      auto it = nodes_.find(k->second);
      if (it == nodes_.end()) return Problem(what + ": node missing");
      const auto& rec = it->second;
      bool has = false;
      if (cf == kNames) {
        auto names = IndexNames(rec);
        has = std::binary_search(names.begin(), names.end(), std::string(k->first));
      } else {
        has = std::find(rec.labels.begin(), rec.labels.end(), k->first) != rec.labels.end();
      }
      if (!has) Problem(what + ": the node does not have it");
      seen[k->second]++;
    }));
    for (const auto& [id, rec] : nodes_) {
      size_t expected = cf == kNames ? IndexNames(rec).size() : rec.labels.size();
      if (seen[id] != expected) {
        Problem("node " + std::to_string(id) + ": " + std::to_string(expected) + " " + name +
                " expected in the index, found " + std::to_string(seen[id]));
      }
    }
    return Status::Ok();
  }

  Status ScanDocIndex() {
    return Scan(kDocIndex, [&](std::string_view key, std::string_view value) {
      ++report_.index_entries;
      if (key.empty() || value.size() != 8) return Problem("doc_index: malformed entry");
      DocId id = GetU64(value.data());
      auto it = docs_.find(id);
      auto what = "doc_index entry '" + std::string(key) + "'";
      if (it == docs_.end()) return Problem(what + ": document " + std::to_string(id) + " missing");
      auto text = key.substr(1);
      if (key[0] == kDocHashTag && it->second.first != text) Problem(what + ": hash differs");
      if (key[0] == kDocExternalTag && it->second.second != text) {
        Problem(what + ": external id differs");
      }
    });
  }

  void Expect(const std::string& what, uint64_t counted, uint64_t stored) {
    if (counted != stored) {
      Problem("counter " + what + ": stored " + std::to_string(stored) + ", counted " +
              std::to_string(counted));
    }
  }

  Status CheckCounters() {
    std::map<std::string, uint64_t> stored;
    std::map<NodeId, MentionLanes> stored_mentions;
    KG_RETURN_IF_ERROR(Scan(kCounters, [&](std::string_view key, std::string_view value) {
      if (key.size() == 9 && key[0] == static_cast<char>(CounterTag::kMentions)) {
        stored_mentions[GetU64(key.data() + 1)] = DecodeMentions(value);
      } else {
        stored[std::string(key)] = DecodeCounter(value);
      }
    }));
    auto take = [&](const std::string& key) {
      auto it = stored.find(key);
      if (it == stored.end()) return uint64_t{0};
      uint64_t v = it->second;
      stored.erase(it);
      return v;
    };
    Expect("nodes", report_.nodes, take(CounterKey(CounterTag::kNodes)));
    Expect("edges", report_.edges, take(CounterKey(CounterTag::kEdges)));
    Expect("documents", report_.documents, take(CounterKey(CounterTag::kDocuments)));
    Expect("evidence", report_.evidence, take(CounterKey(CounterTag::kEvidence)));
    for (const auto& [l, n] : label_counts_) {
      Expect("label " + l, n, take(CounterKey(CounterTag::kLabel, l)));
    }
    for (const auto& [t, n] : type_counts_) {
      Expect("type " + t, n, take(CounterKey(CounterTag::kType, t)));
    }
    for (const auto& [e, n] : edge_evidence_) {
      Expect("evidence of edge " + std::to_string(e), n,
             take(OwnerCounterKey(CounterTag::kEdgeEvidence, e)));
    }
    for (const auto& [node, n] : node_evidence_) {
      Expect("evidence of node " + std::to_string(node), n,
             take(OwnerCounterKey(CounterTag::kNodeEvidence, node)));
    }
    for (const auto& [key, n] : degrees_) {
      Expect("degree of node " + std::to_string(key.node) + (key.dir ? " in" : " out") +
                 " type " + std::to_string(key.type),
             n, take(key.type == kAllTypes ? TotalDegreeKey(key.node, key.dir)
                                           : DegreeKey(key.node, key.dir, key.type)));
    }
    if (SchemaVersion() >= kMentionsSchema) CheckMentions(stored_mentions);
    // Whatever is left must be zero (labels or types no longer used, deleted owners).
    for (const auto& [key, v] : stored) {
      if (v != 0) {
        std::string shown;
        for (unsigned char c : key) shown += (c >= 32 && c < 127) ? static_cast<char>(c) : '.';
        Problem("counter '" + shown + "' is " + std::to_string(v) + " but nothing has it");
      }
    }
    return Status::Ok();
  }

  // The mention counters (schema 2), recomputed from the edge records and the evidence actually
  // stored (not from the 'v' counters).
  void CheckMentions(std::map<NodeId, MentionLanes>& stored) {
    std::map<NodeId, MentionLanes> counted;
    for (const auto& [id, e] : edges_) {
      auto it = edge_evidence_.find(id);
      uint64_t n = it == edge_evidence_.end() ? 0 : it->second;
      auto& source = counted[e.source];
      auto& target = counted[e.target];
      ++source[kOutEdges];
      source[kOutEvidence] += n;
      ++target[kInEdges];
      target[kInEvidence] += n;
      if (e.source == e.target) {
        ++source[kLoops];
        source[kLoopEvidence] += n;
      }
    }
    static const char* const kLaneNames[kMentionLanes] = {
        "out-edges", "in-edges", "self-loops", "out-edge evidence", "in-edge evidence",
        "self-loop evidence"};
    auto compare = [&](NodeId node, const MentionLanes& want, const MentionLanes& have) {
      for (size_t lane = 0; lane < kMentionLanes; ++lane) {
        Expect("mentions of node " + std::to_string(node) + " " + kLaneNames[lane], want[lane],
               have[lane]);
      }
    };
    for (const auto& [node, lanes] : counted) {
      auto it = stored.find(node);
      compare(node, lanes, it == stored.end() ? MentionLanes{} : it->second);
      if (it != stored.end()) stored.erase(it);
    }
    for (const auto& [node, lanes] : stored) compare(node, MentionLanes{}, lanes);
  }

  // The schema version in the verified snapshot (0 when unreadable: checks of later versions
  // are skipped and the rest reports what is wrong).
  uint32_t SchemaVersion() {
    std::string value;
    if (!store_->db()->Get(ro_, store_->cf(kMeta), kSchemaKey, &value).ok()) return 0;
    return value.size() == 4 ? GetU32(value.data()) : 0;
  }

  struct DegreeKeyT {
    NodeId node;
    uint8_t dir;
    uint32_t type;
    bool operator<(const DegreeKeyT& o) const {
      return std::tie(node, dir, type) < std::tie(o.node, o.dir, o.type);
    }
  };

  StoreImpl* store_;
  size_t max_problems_;
  const rocksdb::Snapshot* snapshot_;
  rocksdb::ReadOptions ro_;
  VerifyReport report_;
  std::unordered_map<NodeId, NodeRecord> nodes_;
  std::unordered_map<EdgeId, EdgeRecord> edges_;
  std::unordered_map<DocId, std::pair<std::string, std::string>> docs_;
  std::map<std::string, uint64_t> label_counts_, type_counts_;
  std::unordered_map<EdgeId, uint64_t> edge_evidence_;
  std::unordered_map<NodeId, uint64_t> node_evidence_;
  std::map<DegreeKeyT, uint64_t> degrees_;
};

}  // namespace

Result<VerifyReport> VerifyStore(GraphStore& store, size_t max_problems) {
  auto* impl = dynamic_cast<StoreImpl*>(&store);
  if (impl == nullptr) return Status::Internal("VerifyStore: not a RocksDB GraphStore");
  Verifier verifier(impl, max_problems);
  return verifier.Run();
}

}  // namespace kg::store
