#pragma once
// GraphAccess: what the executor needs from a graph, one consistent snapshot per query. Two
// implementations: StoreGraph (kg::store, RocksDB) and MemoryGraph (tests, kg-tck). Not
// thread-safe: one GraphAccess per running query.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kg/core/status.h"
#include "kg/query/value.h"

namespace kg::query {

enum class Direction : unsigned char { kOut, kIn, kBoth };

// One evidence sentence of a node or relationship (the evidence() extension).
struct EvidenceRow {
  std::string doc;
  std::string title;
  std::string sentence;
  int64_t start = 0;
  int64_t end = 0;
  std::string rule;
  double confidence = 0;
  Properties properties = EmptyProperties();  // extra fields (e.g. weight, polarity of imports)
};

class GraphAccess {
 public:
  virtual ~GraphAccess() = default;

  // Every node id, ascending.
  virtual std::vector<uint64_t> AllNodeIds() = 0;
  virtual std::vector<uint64_t> NodeIdsByLabel(const std::string& label) = 0;
  // Nodes whose name or alias equals `name` exactly; nullopt when the graph has no such index
  // (then the planner filters a scan instead).
  virtual std::optional<std::vector<uint64_t>> NodeIdsByName(const std::string& name) {
    (void)name;
    return std::nullopt;
  }
  // nullptr when the node does not exist.
  virtual NodeRef GetNode(uint64_t id) = 0;
  virtual RelRef GetRel(uint64_t id) = 0;
  // Relationships of `node` in `dir` whose type is one of `types` (all types when empty).
  // kBoth lists a self-loop once.
  virtual std::vector<RelRef> Rels(uint64_t node, Direction dir,
                                   const std::vector<std::string>& types) = 0;
  // Number of relationships of `node` in `dir` (all types).
  virtual int64_t Degree(uint64_t node, Direction dir) {
    return static_cast<int64_t>(Rels(node, dir, {}).size());
  }
  virtual std::vector<EvidenceRow> Evidence(bool is_rel, uint64_t id) {
    (void)is_rel;
    (void)id;
    return {};
  }
  // For each evidence record of Evidence(is_rel, id), in that order, its extra properties
  // restricted to `keys` (an object). For evidence() maps read only through such keys: a graph
  // may skip decoding sentences, documents and the other properties.
  virtual std::vector<Properties> EvidenceProperties(bool is_rel, uint64_t id,
                                                     const std::vector<std::string>& keys) {
    std::vector<Properties> out;
    for (auto& row : Evidence(is_rel, id)) {
      Properties props = EmptyProperties();
      for (const auto& key : keys) {
        auto it = row.properties.find(key);
        if (it != row.properties.end()) props[key] = std::move(*it);
      }
      out.push_back(std::move(props));
    }
    return out;
  }
  // EvidenceProperties as query values, without json when the graph can: fn(values) once per
  // evidence record, in Evidence's order, values[k] being its property keys[k] (null when it has
  // none), valid during the call only. For aggregations over every mention (sum(ev.weight)).
  virtual void ForEachEvidenceValues(bool is_rel, uint64_t id,
                                     const std::vector<std::string>& keys,
                                     const std::function<void(const Value* values)>& fn) {
    std::vector<Value> values(keys.size());
    for (const auto& props : EvidenceProperties(is_rel, id, keys)) {
      for (size_t k = 0; k < keys.size(); ++k) {
        auto it = props.find(keys[k]);
        values[k] = it == props.end() ? Value() : FromJson(*it);
      }
      fn(values.data());
    }
  }
  // Number of evidence records (size(evidence(x)) without reading them when the graph keeps a
  // counter).
  virtual int64_t EvidenceCount(bool is_rel, uint64_t id) {
    return static_cast<int64_t>(Evidence(is_rel, id).size());
  }
  // As Rels, for callers that never look at the relationships' properties: implementations may
  // leave RelData::props empty and skip reading relationship records.
  virtual std::vector<RelRef> RelsWithoutProperties(uint64_t node, Direction dir,
                                                    const std::vector<std::string>& types) {
    return Rels(node, dir, types);
  }
  // One relationship as a pattern whose relationship nobody reads needs it: its id (for
  // relationship uniqueness) and the node at the other end.
  struct Hop {
    uint64_t rel = 0;
    uint64_t other = 0;
  };
  // The relationships RelsWithoutProperties lists, in the same order, as (id, other end) pairs:
  // other = the target for kOut, the source for kIn, the end that is not `node` for kBoth (a
  // self-loop, listed once, has other == node). Lets a graph skip building RelData at all.
  virtual std::vector<Hop> Hops(uint64_t node, Direction dir,
                                const std::vector<std::string>& types) {
    std::vector<Hop> out;
    for (const auto& rel : RelsWithoutProperties(node, dir, types)) {
      uint64_t other = dir == Direction::kIn    ? rel->src
                       : dir == Direction::kOut ? rel->dst
                                                : (rel->src == node ? rel->dst : rel->src);
      out.push_back({rel->id, other});
    }
    return out;
  }
  // As RelsWithoutProperties, restricted to relationships whose other end is in `others`
  // (sorted ascending). Graphs with an adjacency index seek each (node, type, other) instead of
  // scanning all of the node's relationships.
  virtual std::vector<RelRef> RelsTo(uint64_t node, Direction dir,
                                     const std::vector<std::string>& types,
                                     const std::vector<uint64_t>& others) {
    std::vector<RelRef> out;
    for (auto& rel : RelsWithoutProperties(node, dir, types)) {
      uint64_t other = dir == Direction::kIn    ? rel->src
                       : dir == Direction::kOut ? rel->dst
                                                : (rel->src == node ? rel->dst : rel->src);
      if (std::binary_search(others.begin(), others.end(), other)) out.push_back(std::move(rel));
    }
    return out;
  }
  // A hint that GetNode will soon be called for these ids: implementations may read them in one
  // batch. Changes no result.
  virtual void PrefetchNodes(const std::vector<uint64_t>& ids) { (void)ids; }
  // The nodes `ids` for a caller that reads only the properties named in `keys` of them (and
  // their ids): result[i] is ids[i]'s node, nullptr when absent. A graph may leave the labels
  // and the other properties out, skipping the decoding of the rest of each record; such partial
  // nodes must not reach anyone else (the executor uses them to evaluate `n.key` only).
  virtual std::vector<NodeRef> NodesForProperties(const std::vector<uint64_t>& ids,
                                                  const std::vector<std::string>& keys) {
    (void)keys;
    std::vector<NodeRef> out;
    out.reserve(ids.size());
    for (uint64_t id : ids) out.push_back(GetNode(id));
    return out;
  }
  // The properties `keys` of the nodes `ids` (ascending, no repeats) for a caller that reads
  // nothing else of them, not even a node value: fn(id, values) for each id that exists, in
  // ascending order, values[k] being its property keys[k] as `n.key` reads it (null when it has
  // none), valid during the call only. fn must not throw. A graph may read them without
  // building a node per id.
  virtual void ForEachNodeValues(const std::vector<uint64_t>& ids,
                                 const std::vector<std::string>& keys,
                                 const std::function<void(uint64_t, const Value*)>& fn) {
    std::vector<NodeRef> nodes = NodesForProperties(ids, keys);
    std::vector<Value> values(keys.size());
    for (size_t i = 0; i < ids.size() && i < nodes.size(); ++i) {
      const NodeRef& node = nodes[i];
      if (!node) continue;
      for (size_t k = 0; k < keys.size(); ++k) values[k] = NodeProperty(*node, keys[k]);
      fn(node->id, values.data());
    }
  }
  // Whole-graph relationship scan for aggregations such as
  // `MATCH (a)-[r]-() RETURN a, count(r), sum(size(evidence(r)))`: calls fn(node, evidence) once
  // per relationship whose type is in `types` (all when empty) and per end selected by `dir`
  // (kOut: the source, kIn: the target, kBoth: both, a self-loop once), with the number of
  // evidence records of that relationship. Returns false without calling fn when the graph
  // cannot do this cheaply (the executor then matches row by row).
  virtual bool ForEachRelEnd(Direction dir, const std::vector<std::string>& types,
                             const std::function<void(uint64_t node, int64_t evidence)>& fn) {
    (void)dir;
    (void)types;
    (void)fn;
    return false;
  }
  // What ForEachRelEnd adds up per node when no type is given, read from counters the graph
  // maintains instead of scanning the relationships: fn(node, relationships, evidence) once per
  // node that has at least one relationship in `dir` (kBoth: a self-loop counted once), in
  // ascending node id order, with the number of those relationships and their evidence records
  // summed. Returns false without calling fn when the graph keeps no such counters or they do
  // not cover everything a query sees (uncommitted CREATEs): callers then use ForEachRelEnd.
  virtual bool ForEachNodeRelTotals(
      Direction dir, const std::function<void(uint64_t node, int64_t rels, int64_t evidence)>& fn) {
    (void)dir;
    (void)fn;
    return false;
  }
  // Full-text-ish search over names and aliases (CALL search); nullopt when unsupported.
  virtual std::optional<std::vector<uint64_t>> Search(const std::string& text, size_t limit) {
    (void)text;
    (void)limit;
    return std::nullopt;
  }

  // Writes (CREATE). They are applied by Commit() after the query succeeded; until then reads
  // see them too (the executor needs to match what it just created in later clauses). After
  // DELETE/SET/REMOVE below, GetNode/GetRel show the change; other reads may still show the
  // state before it until Commit (docs/QUERY.md "Writes").
  virtual Result<NodeRef> CreateNode(const std::vector<std::string>& labels,
                                     const Properties& props) = 0;
  virtual Result<RelRef> CreateRel(uint64_t src, uint64_t dst, const std::string& type,
                                   const Properties& props) = 0;
  // Writes of DELETE, SET and REMOVE, applied with CREATE's by Commit(). Each replaces what it
  // names whole (the executor computes the new property map / label list). NotFound when the
  // node or relationship does not exist. DeleteNode without `detach` of a node that still has
  // relationships (after this query's own deletions) gives InvalidArgument, and deletes
  // nothing. A graph that cannot write returns an error (the default).
  virtual Status DeleteNode(uint64_t id, bool detach) {
    (void)id;
    (void)detach;
    return Status::InvalidArgument("this graph is read-only");
  }
  virtual Status DeleteRel(uint64_t id) {
    (void)id;
    return Status::InvalidArgument("this graph is read-only");
  }
  virtual Status SetNodeProperties(uint64_t id, const Properties& props) {
    (void)id;
    (void)props;
    return Status::InvalidArgument("this graph is read-only");
  }
  virtual Status SetNodeLabels(uint64_t id, const std::vector<std::string>& labels) {
    (void)id;
    (void)labels;
    return Status::InvalidArgument("this graph is read-only");
  }
  virtual Status SetRelProperties(uint64_t id, const Properties& props) {
    (void)id;
    (void)props;
    return Status::InvalidArgument("this graph is read-only");
  }
  virtual Status Commit() { return Status::Ok(); }
  // Forgets writes not yet committed (a query failed).
  virtual void Rollback() {}
};

}  // namespace kg::query
