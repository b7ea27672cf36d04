#pragma once
// StoreGraph: GraphAccess over a kg::store::GraphStore. Reads go through one ReadView (one
// RocksDB snapshot) per query; CREATE opens a GraphBatch on the first write (taking the store's
// writer lock) and Commit applies it atomically. The query's own writes are kept in an overlay
// so later clauses of the same query see them; DELETE/SET/REMOVE are seen by GetNode, GetRel,
// Rels and the node id lists, not by the name and label indexes (docs/QUERY.md "Writes").
// Borrows `store`, which must outlive it. Not thread-safe: one StoreGraph per query.

#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "kg/query/graph.h"
#include "kg/store/graph_store.h"

namespace kg::query {

class StoreGraph : public GraphAccess {
 public:
  explicit StoreGraph(store::GraphStore& store);
  ~StoreGraph() override;

  std::vector<uint64_t> AllNodeIds() override;
  std::vector<uint64_t> NodeIdsByLabel(const std::string& label) override;
  std::optional<std::vector<uint64_t>> NodeIdsByName(const std::string& name) override;
  NodeRef GetNode(uint64_t id) override;
  RelRef GetRel(uint64_t id) override;
  std::vector<RelRef> Rels(uint64_t node, Direction dir,
                           const std::vector<std::string>& types) override;
  int64_t Degree(uint64_t node, Direction dir) override;
  std::vector<EvidenceRow> Evidence(bool is_rel, uint64_t id) override;
  int64_t EvidenceCount(bool is_rel, uint64_t id) override;
  std::vector<Properties> EvidenceProperties(bool is_rel, uint64_t id,
                                             const std::vector<std::string>& keys) override;
  void ForEachEvidenceValues(bool is_rel, uint64_t id, const std::vector<std::string>& keys,
                             const std::function<void(const Value* values)>& fn) override;
  std::vector<RelRef> RelsWithoutProperties(uint64_t node, Direction dir,
                                            const std::vector<std::string>& types) override;
  std::vector<Hop> Hops(uint64_t node, Direction dir,
                        const std::vector<std::string>& types) override;
  std::vector<RelRef> RelsTo(uint64_t node, Direction dir, const std::vector<std::string>& types,
                             const std::vector<uint64_t>& others) override;
  void PrefetchNodes(const std::vector<uint64_t>& ids) override;
  std::vector<NodeRef> NodesForProperties(const std::vector<uint64_t>& ids,
                                          const std::vector<std::string>& keys) override;
  void ForEachNodeValues(const std::vector<uint64_t>& ids, const std::vector<std::string>& keys,
                         const std::function<void(uint64_t, const Value*)>& fn) override;
  bool ForEachRelEnd(Direction dir, const std::vector<std::string>& types,
                     const std::function<void(uint64_t, int64_t)>& fn) override;
  bool ForEachNodeRelTotals(Direction dir,
                            const std::function<void(uint64_t, int64_t, int64_t)>& fn) override;
  std::optional<std::vector<uint64_t>> Search(const std::string& text, size_t limit) override;
  Result<NodeRef> CreateNode(const std::vector<std::string>& labels,
                             const Properties& props) override;
  Result<RelRef> CreateRel(uint64_t src, uint64_t dst, const std::string& type,
                           const Properties& props) override;
  Status DeleteNode(uint64_t id, bool detach) override;
  Status DeleteRel(uint64_t id) override;
  Status SetNodeProperties(uint64_t id, const Properties& props) override;
  Status SetNodeLabels(uint64_t id, const std::vector<std::string>& labels) override;
  Status SetRelProperties(uint64_t id, const Properties& props) override;
  Status Commit() override;
  void Rollback() override;

  // The first read error of the snapshot (I/O, corruption); OK otherwise.
  Status status() const;

 private:
  // The node's relationships made from its adjacency alone (RelData without properties): all
  // of them, or with `others` (sorted) only those whose other end is there, filtered before any
  // RelData is made. RelsWithoutProperties, and RelsTo when it scans.
  std::vector<RelRef> AdjacencyRels(uint64_t node, Direction dir,
                                    const std::vector<std::string>& types,
                                    const std::vector<uint64_t>* others);
  // RelsTo by one adjacency seek per (type, other) pair.
  std::vector<RelRef> SeekRelsTo(uint64_t node, Direction dir,
                                 const std::vector<std::string>& types,
                                 const std::vector<uint64_t>& others);
  NodeRef Convert(store::Node&& node);
  void CacheNode(uint64_t id, NodeRef node);
  RelRef Convert(const store::Edge& edge);
  store::GraphBatch& Batch();
  // Records `node` (created by this query or changed) as what GetNode returns for its id.
  void PutChangedNode(NodeRef node);
  void ClearOverlay();

  store::GraphStore& store_;
  std::unique_ptr<store::ReadView> view_;
  std::unique_ptr<store::GraphBatch> batch_;
  std::unordered_map<uint64_t, NodeRef> node_cache_;
  std::unordered_map<uint64_t, RelRef> rel_cache_;
  // This query's writes, visible to its later clauses.
  std::map<uint64_t, NodeRef> new_nodes_;
  std::map<uint64_t, RelRef> new_rels_;
  std::unordered_map<uint64_t, std::vector<RelRef>> new_out_;
  std::unordered_map<uint64_t, std::vector<RelRef>> new_in_;
  // DELETE/SET/REMOVE of stored entities: GetNode, GetRel, Rels and the id lists honour them;
  // the fast paths that read the snapshot directly are off once `rewritten_`.
  std::unordered_map<uint64_t, NodeRef> changed_nodes_;
  std::unordered_map<uint64_t, RelRef> changed_rels_;
  std::unordered_set<uint64_t> deleted_nodes_;
  std::unordered_set<uint64_t> deleted_rels_;
  bool rewritten_ = false;
  // The store's relationship types, read once per query when a pattern names none (RelsTo).
  std::optional<std::vector<std::string>> edge_types_;
};

}  // namespace kg::query
