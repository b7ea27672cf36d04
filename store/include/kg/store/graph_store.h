#pragma once
// GraphStore: kg's knowledge graph in one RocksDB directory (layout: docs/STORAGE.md).
//
// Thread safety: one GraphStore is shared by every thread of a process. Writes are serialised
// by a writer lock (GraphBatch holds it from NewBatch() until Commit() or destruction); reads
// go through ReadViews, each pinned to one RocksDB snapshot, so readers never see half a batch
// and never block the writer. Only one process may open a store read-write; any number may open
// it read-only (as RocksDB secondaries) beside that writer.
//
// Lifetime: every ReadView and GraphBatch borrows the GraphStore, which must outlive them.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kg/core/extraction.h"
#include "kg/core/status.h"
#include "kg/store/types.h"

namespace kg::store {

// On-disk format version, stored in the meta column family. Bump it when a key or value layout
// changes; Open() refuses stores written with a newer version. 2 added the per-node mention
// counters; a writable Open() of a version-1 store adds them. 3 packs runs of an owner's
// evidence records into one key; a writable Open() of an older store keeps its single-record
// keys (still read) and writes packs from then on (docs/STORAGE.md "Upgrades").
inline constexpr uint32_t kSchemaVersion = 3;

enum class OpenMode : uint8_t {
  kReadWrite = 0,  // creates the store when the directory is missing or empty
  kReadOnly = 1,   // RocksDB secondary instance: never writes, works beside a live writer
};

struct OpenOptions {
  OpenMode mode = OpenMode::kReadWrite;
  // kReadWrite only: create the store when `path` does not exist (its parent must exist).
  bool create_if_missing = true;
  // Block cache size for reads.
  size_t block_cache_bytes = 64u << 20;
  // Memtable size per column family; bulk imports want more.
  size_t write_buffer_bytes = 32u << 20;
  // Threads one read view may use to read a large batch of node records at once (a hub's
  // neighbours, every node of a whole-graph aggregation): 0 = the machine's cores, at most 4;
  // 1 = the calling thread only. Small batches always stay on the calling thread.
  unsigned read_threads = 0;
};

// What one WriteExtraction did.
struct WriteSummary {
  bool duplicate = false;  // the content hash was already stored: nothing was written
  DocId doc = kNoId;       // the new document, or the stored one when `duplicate`
  uint64_t nodes_created = 0;
  uint64_t nodes_merged = 0;   // entities resolved to an existing node
  uint64_t edges_created = 0;
  uint64_t edges_merged = 0;   // relations that added evidence to an existing edge
  uint64_t evidence_added = 0;
  std::vector<NodeId> entity_nodes;  // entity_nodes[i] is the node of Extraction::entities[i]
};

struct StoreStats {
  uint64_t nodes = 0;
  uint64_t edges = 0;
  uint64_t documents = 0;
  uint64_t evidence = 0;                     // edge and node evidence records
  std::map<std::string, uint64_t> labels;    // nodes per label (zero counts omitted)
  std::map<std::string, uint64_t> types;     // edges per type (zero counts omitted)
  std::map<std::string, uint64_t> bytes;     // per column family: SST bytes + memtable bytes
};

// An entity to find or create by name (extraction and CSV import use it).
struct EntityUpsert {
  std::string name;                  // canonical name; must not normalise to ""
  std::string label;                 // e.g. "Person"; counts one vote for this label
  std::vector<std::string> aliases;  // other surface forms
  Properties properties = EmptyProperties();  // merged onto the node (name/aliases ignored)
  uint64_t label_weight = 1;         // how many votes `label` gets
};

class GraphStore;
class ReadView;
namespace internal {
class StoreImpl;
}  // namespace internal

// A write transaction: reads see the last committed state plus this batch's own writes; nothing
// is visible to others until GraphStore::Commit, which applies everything in one atomic
// WriteBatch (all or nothing, also across a crash). Holds the store's writer lock for its whole
// life: keep it short, and never open a second batch on the same thread while one is open
// (deadlock). Ids are allocated at once; ids of a batch that is never committed are not reused.
// Not thread-safe: one thread uses a batch.
class GraphBatch {
 public:
  ~GraphBatch();  // discards uncommitted writes and releases the writer lock
  GraphBatch(const GraphBatch&) = delete;
  GraphBatch& operator=(const GraphBatch&) = delete;

  // A new node. Labels and property names are free-form.
  NodeId CreateNode(std::vector<std::string> labels, Properties properties);
  // A new edge (Cypher CREATE: always a new relationship, the graph is a multigraph).
  // InvalidArgument when an end node does not exist or `type` is empty.
  Result<EdgeId> CreateEdge(NodeId source, std::string_view type, NodeId target,
                            Properties properties);
  // The edge (source, type, target) if one exists (the lowest id), else a new one. `properties`
  // are merged onto it (new keys win). Extraction and import use this: the same fact is one edge.
  // `created` (optional) says whether a new edge was made.
  Result<EdgeId> MergeEdge(NodeId source, std::string_view type, NodeId target,
                           Properties properties, bool* created = nullptr);
  // Finds the node of an entity by normalised name, then by normalised alias (preferring a node
  // whose label agrees with upsert.label, then the lowest id), or creates it. Adds the name and
  // aliases it did not have, and upsert.label_weight votes for upsert.label; the node's label is
  // the one with the most votes (ties keep the current label). `created` says which happened.
  Result<NodeId> UpsertEntity(const EntityUpsert& upsert, bool* created = nullptr);

  // Evidence for an edge or a node (evidence.on_node / edge_or_node say which; evidence.id is
  // ignored and allocated). NotFound when the edge or node does not exist.
  Status AddEvidence(const Evidence& evidence);

  // Replace all properties / labels. NotFound when absent. Name and alias index entries follow
  // the new "name"/"aliases" properties.
  Status SetNodeProperties(NodeId id, Properties properties);
  Status SetNodeLabels(NodeId id, std::vector<std::string> labels);
  Status SetEdgeProperties(EdgeId id, Properties properties);
  // Removes the edge with its evidence. NotFound when absent.
  Status DeleteEdge(EdgeId id);
  // Removes the node with its node evidence. With `detach`, also its edges; without, a node
  // that still has edges gives InvalidArgument (Cypher DELETE vs DETACH DELETE).
  Status DeleteNode(NodeId id, bool detach);

  // Reads that see this batch's own writes. nullopt when absent.
  std::optional<Node> GetNode(NodeId id);
  std::optional<Edge> GetEdge(EdgeId id);

  // Number of operations buffered so far (for callers that commit every N rows).
  size_t pending_operations() const;

  // The first I/O or corruption error met by a read inside the batch; Commit fails with it.
  const Status& status() const;

  struct Impl;

 private:
  friend class internal::StoreImpl;
  explicit GraphBatch(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A consistent read-only view of the store as of NewReadView(): one RocksDB snapshot. Cheap to
// create (microseconds); hold one per request or per query. Not thread-safe: one thread uses a
// view (create one per thread). Must be destroyed before its GraphStore.
//
// Read-only (secondary) stores cannot pin RocksDB snapshots: there a view sees the state as of
// the last CatchUp(), so call CatchUp() only while no view is in use if views must not move.
//
// Errors: reads return "absent"/empty on an I/O or corruption error and remember the first
// such error in status(); check it after a sequence of reads when the distinction matters.
//
// Callback forms: `fn` returns true to go on, false to stop early. Records passed to callbacks
// are valid only during the call.
class ReadView {
 public:
  virtual ~ReadView() = default;

  virtual std::optional<Node> GetNode(NodeId id) = 0;
  virtual std::optional<Edge> GetEdge(EdgeId id) = 0;
  // Many nodes in one batched read (RocksDB MultiGet): result[i] is the node of ids[i], nullopt
  // when absent. Cheaper than GetNode in a loop for hundreds of ids (a hub's neighbours).
  virtual std::vector<std::optional<Node>> GetNodes(const std::vector<NodeId>& ids) = 0;
  // Only the properties named in `keys` of the nodes `ids` (ascending, no repeats): fn(id, properties) for
  // each id that exists, in ascending order, `properties` an object holding those of `keys` the
  // node has. Decodes nothing else of the records, and reads 16 ids or more with one forward
  // walk of the node records (a step over short gaps, a seek over long ones) instead of point
  // reads: for a hub's neighbours' names and aggregations grouping every node by name.
  virtual void NodeProperties(const std::vector<NodeId>& ids, const std::vector<std::string>& keys,
                              const std::function<void(NodeId, Properties&&)>& fn) = 0;
  // The evidence counts of many edges in one batched read (0 for an edge without evidence or
  // absent): what ranks a hub's edges without reading their records.
  virtual std::vector<uint64_t> EdgeEvidenceCounts(const std::vector<EdgeId>& ids) = 0;
  // Every node id, ascending; reads keys only (no record is decoded).
  virtual std::vector<NodeId> NodeIds() = 0;
  virtual std::optional<Document> GetDocument(DocId id) = 0;
  virtual std::optional<Document> GetDocumentByExternalId(std::string_view external_id) = 0;
  virtual std::optional<Document> GetDocumentByHash(std::string_view content_hash) = 0;

  // Nodes whose normalised name or alias equals NormalizeName(name), ascending ids.
  virtual std::vector<NodeId> FindByName(std::string_view name) = 0;
  struct NameMatch {
    NodeId node = kNoId;
    std::string key;      // the normalised name or alias that matched
    uint64_t score = 0;   // evidence records of the node + its total degree
  };
  // Nodes having a normalised name/alias starting with NormalizeName(prefix) (case-insensitive),
  // best score first, at most `limit`, each node once. Scans at most `scan_limit` index keys.
  virtual std::vector<NameMatch> SearchNames(std::string_view prefix, size_t limit,
                                             size_t scan_limit = 10000) = 0;

  virtual void ForEachNode(const std::function<bool(const Node&)>& fn) = 0;
  virtual void ForEachNodeWithLabel(std::string_view label,
                                    const std::function<bool(const Node&)>& fn) = 0;
  virtual std::vector<NodeId> NodesWithLabel(std::string_view label) = 0;
  virtual void ForEachEdge(const std::function<bool(const Edge&)>& fn) = 0;
  // What whole-graph aggregations need of every edge, in id order, without decoding
  // properties: one pass over the edge records merged with the evidence counters.
  struct EdgeSummary {
    EdgeId id = kNoId;
    std::string_view type;  // lives as long as the store
    NodeId source = kNoId;
    NodeId target = kNoId;
    uint64_t evidence_count = 0;
  };
  virtual void ForEachEdgeSummary(const std::function<bool(const EdgeSummary&)>& fn) = 0;
  virtual void ForEachDocument(const std::function<bool(const Document&)>& fn) = 0;
  // Every evidence record: edge evidence first, then node evidence, each by owner id then
  // evidence id (also in a store holding both old single-record keys and packs).
  virtual void ForEachEvidence(const std::function<bool(const Evidence&)>& fn) = 0;

  // Adjacency of `node`, in key order (type id, other node, edge id). `type` empty = all types.
  // One prefix seek; reads no edge records. kBoth gives out-edges then in-edges.
  virtual void ForEachEdgeRef(NodeId node, Direction direction, std::string_view type,
                              const std::function<bool(const EdgeRef&)>& fn) = 0;
  virtual std::vector<EdgeRef> EdgeRefs(NodeId node, Direction direction,
                                        std::string_view type = {}) = 0;
  // Full edge records of the same adjacency.
  virtual std::vector<Edge> Edges(NodeId node, Direction direction,
                                  std::string_view type = {}) = 0;
  // Edges from `source` to `target` of `type` (empty = any), ascending ids.
  virtual std::vector<EdgeId> EdgesBetween(NodeId source, NodeId target,
                                           std::string_view type = {}) = 0;

  // Evidence of an edge / a node, in insertion order, at most `limit` (0 = all).
  virtual std::vector<Evidence> EdgeEvidence(EdgeId edge, size_t limit = 0) = 0;
  virtual std::vector<Evidence> NodeEvidence(NodeId node, size_t limit = 0) = 0;
  virtual void ForEachEdgeEvidence(EdgeId edge, const std::function<bool(const Evidence&)>& fn) = 0;
  // Only the properties named in `keys` of each evidence record of `edge`, in EdgeEvidence's
  // order: out[i] is EdgeEvidence(edge)[i].properties restricted to `keys` (an object). Decodes
  // neither sentences nor the other properties: for queries reading one or two numbers of
  // every mention (sum(ev.weight)).
  virtual std::vector<Properties> EdgeEvidenceProperties(EdgeId edge,
                                                         const std::vector<std::string>& keys) = 0;
  // One property of a record as read in place, without building json: scalars as CBOR holds
  // them, `text` pointing into the record; lists and maps decoded into `json`. Valid only
  // during the callback that passes it.
  struct PropertyRef {
    enum class Kind : uint8_t { kAbsent, kNull, kBool, kInt, kUint, kDouble, kText, kJson };
    Kind kind = Kind::kAbsent;
    bool boolean = false;
    int64_t integer = 0;    // kInt
    uint64_t uinteger = 0;  // kUint
    double number = 0;      // kDouble
    std::string_view text;  // kText
    const Properties* json = nullptr;  // kJson
  };
  // EdgeEvidenceProperties without the json: fn(values) once per evidence record of `edge`, in
  // EdgeEvidence's order, values[k] being that record's property keys[k] (kAbsent when it has
  // none; a repeated key gives its last value, as the json would). For aggregations over every
  // mention of a few edges (sum(ev.weight)), where building json maps cost more than the read.
  virtual void ForEachEdgeEvidenceValues(
      EdgeId edge, const std::vector<std::string>& keys,
      const std::function<void(const PropertyRef* values)>& fn) = 0;
  // NodeProperties without the json: fn(id, values) per node as NodeProperties calls fn,
  // values[k] being its property keys[k] (kAbsent when it has none). For a hub's neighbours
  // read for their names only, where building a json object per node cost more than the read.
  virtual void NodePropertyValues(
      const std::vector<NodeId>& ids, const std::vector<std::string>& keys,
      const std::function<void(NodeId, const PropertyRef* values)>& fn) = 0;

  // Degree counters (merge-operator maintained, no scan). `type` empty = all types; kBoth = sum.
  virtual uint64_t Degree(NodeId node, Direction direction, std::string_view type = {}) = 0;
  struct DegreeEntry {
    NodeId node = kNoId;
    uint64_t degree = 0;
  };
  // The `k` nodes with the highest total degree in `direction`, highest first (ties: lower id).
  // Scans the degree counters (one key per node and direction).
  virtual std::vector<DegreeEntry> TopByDegree(size_t k, Direction direction) = 0;

  // Per node, over its relationships of all types in `direction`: how many there are and their
  // evidence records summed (kBoth counts a self-loop once), from the maintained counters
  // alone: fn(entry) per node having at least one, ascending node ids, one counter key read per
  // node. Returns false without calling fn when the store predates these counters (schema 1,
  // opened read-only: the caller scans the edges instead).
  struct NodeMentions {
    NodeId node = kNoId;
    uint64_t relationships = 0;
    uint64_t evidence = 0;
  };
  virtual bool ForEachNodeMentions(Direction direction,
                                   const std::function<bool(const NodeMentions&)>& fn) = 0;

  // Counts (from counters, no scan) and bytes per column family.
  virtual StoreStats Stats() = 0;
  // Edge types and node labels ever used (including ones now with zero edges/nodes).
  virtual std::vector<std::string> EdgeTypes() = 0;
  virtual std::vector<std::string> Labels() = 0;

  virtual const Status& status() const = 0;
};

class GraphStore {
 public:
  // Opens (or, in kReadWrite mode, creates) the store at `path`. One-line errors:
  //   InvalidArgument "<path> is not a kg store" (a file, or a non-empty directory that is not
  //     one, or a RocksDB directory without kg's meta), never touching it;
  //   InvalidArgument "<path>: parent directory <dir> does not exist";
  //   NotFound "<path> does not exist" (read-only, or create_if_missing = false);
  //   InvalidArgument "<path> was written by a newer kg (schema N, this kg reads up to M)";
  //   Busy "<path> is in use by another kg process" (another writer holds the lock);
  //   IOError with RocksDB's message otherwise.
  static Result<std::unique_ptr<GraphStore>> Open(const std::string& path,
                                                  const OpenOptions& options = {});
  virtual ~GraphStore() = default;
  GraphStore(const GraphStore&) = delete;
  GraphStore& operator=(const GraphStore&) = delete;

  virtual const std::string& path() const = 0;
  virtual bool read_only() const = 0;

  // Everything one document adds, in one atomic batch: the document (with its text), its
  // entities resolved to nodes (UpsertEntity), one node-evidence record per entity (its first
  // mention), its relations merged into edges (MergeEdge) with one evidence record per span,
  // and the counters. A document whose content_hash is already stored is skipped
  // (summary.duplicate). InvalidArgument for an empty content_hash or a relation whose entity
  // index is out of range (nothing written). Takes the writer lock; safe beside readers.
  virtual Result<WriteSummary> WriteExtraction(const kg::Extraction& extraction) = 0;
  // Whether a document with this content hash is stored (latest committed state).
  virtual Result<bool> HasDocument(std::string_view content_hash) = 0;

  // Starts a write transaction (blocks while another batch is open). In read-only mode the
  // batch's Commit fails with InvalidArgument.
  virtual std::unique_ptr<GraphBatch> NewBatch() = 0;
  // Applies `batch` atomically (WriteBatch, WAL on, sync=false: survives a process kill, not a
  // power loss) and releases the writer lock; the batch is spent afterwards (further calls on it
  // are invalid). On error nothing of the batch is visible.
  virtual Status Commit(GraphBatch& batch) = 0;

  // A snapshot view of the latest committed state.
  virtual std::unique_ptr<ReadView> NewReadView() = 0;

  // Read-only mode: catch up with the writer's latest commits (views made afterwards see them).
  // A no-op in read-write mode.
  virtual Status CatchUp() = 0;

  // Flushes memtables to SST files (bulk import ends with it; makes reopen fast).
  virtual Status Flush() = 0;

  // Test hook: the next Commit fails with IOError just before the RocksDB write, as if the
  // process had died there.
  virtual void TEST_FailNextCommit() = 0;

 protected:
  GraphStore() = default;
};

}  // namespace kg::store
