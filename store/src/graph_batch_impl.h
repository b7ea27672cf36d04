#pragma once
// GraphBatch's state: the records the batch touched (committed state and new state side by
// side), pending counter deltas and evidence records, and the writes (BatchOps) built so far.
// Pointers into `nodes`/`edges` stay valid while the batch lives (node-based maps).

#include <array>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "batch_ops.h"
#include "evidence_pack.h"
#include "key_format.h"
#include "store_impl.h"
#include "values.h"

namespace kg::store {

struct GraphBatch::Impl {
  explicit Impl(internal::StoreImpl* s);

  struct NodeState {
    std::optional<internal::NodeRecord> orig;  // committed state; nullopt = created here
    std::optional<internal::NodeRecord> cur;   // new state; nullopt = deleted here
    bool dirty = false;
  };
  struct EdgeState {
    std::optional<internal::EdgeRecord> orig;
    std::optional<internal::EdgeRecord> cur;
    bool dirty = false;
  };

  // nullptr when absent (or deleted in this batch, or a read failed: see status).
  NodeState* LoadNode(NodeId id);
  EdgeState* LoadEdge(EdgeId id);
  uint64_t ReadCounter(const std::string& key);
  void AddCounter(const std::string& key, int64_t delta);
  void Fail(const Status& s);
  // The store's writer cache when this batch may use it, else nullptr.
  internal::GraphBatchCache* WriterCache();
  std::optional<uint32_t> LookupType(std::string_view type);
  uint32_t TypeIdFor(std::string_view type, bool* is_new);
  std::string TypeNameOf(uint32_t type_id);
  void NoteNames(NodeId id, const internal::NodeRecord& record);
  std::vector<NodeId> FindByName(const std::string& norm);
  // Reads the whole names index into `cache` when it is small enough (graph_batch_cache.h).
  void LoadAllNames(internal::GraphBatchCache* cache);
  Status CheckEnds(NodeId source, std::string_view type, NodeId target);
  Result<EdgeId> NewEdge(NodeId source, uint32_t type_id, NodeId target, Properties properties);
  // Deletes the owner's evidence records and counter; returns how many records it had.
  uint64_t DropEvidence(internal::EvidenceKind kind, uint64_t owner);
  // `edge_delta` (1 or -1 when it is written or deleted, else 0) and `evidence` more (negative:
  // fewer) evidence records on `edge`: its ends' mention counters (key_format.h MentionLanes).
  void AddMentions(const internal::EdgeRecord& edge, int64_t edge_delta, int64_t evidence);

  NodeId CreateNode(std::vector<std::string> labels, Properties properties);
  Result<EdgeId> CreateEdge(NodeId source, std::string_view type, NodeId target,
                            Properties properties);
  Result<EdgeId> MergeEdge(NodeId source, std::string_view type, NodeId target,
                           Properties properties, bool* created);
  Result<NodeId> UpsertEntity(const EntityUpsert& upsert, bool* created);
  Status AddEvidence(const Evidence& evidence);
  Status SetNodeProperties(NodeId id, Properties properties);
  Status SetNodeLabels(NodeId id, std::vector<std::string> labels);
  Status SetEdgeProperties(EdgeId id, Properties properties);
  Status DeleteEdge(EdgeId id);
  Status DeleteNode(NodeId id, bool detach);
  std::optional<Node> GetNode(NodeId id);
  std::optional<Edge> GetEdge(EdgeId id);

  // Turns the overlay into index entries, counters and meta in `wb`. Called once, by Commit.
  void Finish();

  internal::StoreImpl* store;
  std::unique_lock<std::mutex> lock;
  internal::BatchOps wb;  // everything the batch writes; Commit builds the WriteBatch
  Status status;
  bool spent = false;
  size_t ops = 0;

  std::unordered_map<NodeId, NodeState> nodes;
  std::unordered_map<EdgeId, EdgeState> edges;
  std::unordered_map<std::string, std::vector<EdgeId>> new_edge_keys;  // AdjPrefix(s,t,d)
  std::unordered_map<std::string, std::vector<NodeId>> added_names;    // normalised name
  std::unordered_map<std::string, int64_t> counter_deltas;
  // Counters of owners whose evidence the batch dropped: deleted at commit, or rewritten with
  // what the batch added after the drop (ReadCounter reads them as 0 plus that).
  std::set<std::string> counter_deletes;
  // The evidence records the batch adds to one owner, ids ascending (allocated at AddEvidence),
  // as packs (evidence_pack.h): the full ones (first id, value) and the open one. Finish writes
  // them; DropEvidence forgets the owner's.
  struct PendingPacks {
    std::vector<std::pair<uint64_t, std::string>> full;
    internal::PackBuilder open;
  };
  // [0]: edges' evidence, [1]: nodes', by owner.
  std::array<std::unordered_map<uint64_t, PendingPacks>, 2> pending_evidence;
  std::string record_scratch;  // AddEvidence's encoding buffer
  // Per node, lane deltas of its mention counter: one Merge per node at Finish.
  std::unordered_map<NodeId, std::array<int64_t, internal::kMentionLanes>> mention_deltas;
  std::vector<NodeId> deleted_nodes;
  std::map<std::string, uint32_t, std::less<>> new_types;
  // Names-index entries Finish adds (true) or removes (false): for the writer cache at commit.
  std::vector<std::tuple<std::string, NodeId, bool>> name_changes;
  // The id counters as Finish wrote them (store->stored_next_'s order), for Commit to record.
  std::array<uint64_t, 5> next_ids{};
};

}  // namespace kg::store
