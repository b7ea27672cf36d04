#pragma once
// ForwardingGraph: a GraphAccess that passes every call to another one. Decorators (the HTTP
// server's write guard, for one) derive from it and override only what they change, so each
// fast path of the inner graph (RelsTo, ForEachRelEnd, PrefetchNodes...) stays in use: a
// decorator that forgot one would silently fall back to GraphAccess's slow default.
// tests/query/forwarding_graph_test.cc checks that every virtual reaches the inner graph; a
// virtual added to GraphAccess belongs here and in that test too.

#include "kg/query/graph.h"

namespace kg::query {

class ForwardingGraph : public GraphAccess {
 public:
  explicit ForwardingGraph(GraphAccess& inner) : inner_(inner) {}

  std::vector<uint64_t> AllNodeIds() override { return inner_.AllNodeIds(); }
  std::vector<uint64_t> NodeIdsByLabel(const std::string& label) override {
    return inner_.NodeIdsByLabel(label);
  }
  std::optional<std::vector<uint64_t>> NodeIdsByName(const std::string& name) override {
    return inner_.NodeIdsByName(name);
  }
  NodeRef GetNode(uint64_t id) override { return inner_.GetNode(id); }
  RelRef GetRel(uint64_t id) override { return inner_.GetRel(id); }
  std::vector<RelRef> Rels(uint64_t node, Direction dir,
                           const std::vector<std::string>& types) override {
    return inner_.Rels(node, dir, types);
  }
  int64_t Degree(uint64_t node, Direction dir) override { return inner_.Degree(node, dir); }
  std::vector<EvidenceRow> Evidence(bool is_rel, uint64_t id) override {
    return inner_.Evidence(is_rel, id);
  }
  std::vector<Properties> EvidenceProperties(bool is_rel, uint64_t id,
                                             const std::vector<std::string>& keys) override {
    return inner_.EvidenceProperties(is_rel, id, keys);
  }
  void ForEachEvidenceValues(bool is_rel, uint64_t id, const std::vector<std::string>& keys,
                             const std::function<void(const Value* values)>& fn) override {
    inner_.ForEachEvidenceValues(is_rel, id, keys, fn);
  }
  int64_t EvidenceCount(bool is_rel, uint64_t id) override {
    return inner_.EvidenceCount(is_rel, id);
  }
  std::vector<RelRef> RelsWithoutProperties(uint64_t node, Direction dir,
                                            const std::vector<std::string>& types) override {
    return inner_.RelsWithoutProperties(node, dir, types);
  }
  std::vector<Hop> Hops(uint64_t node, Direction dir,
                        const std::vector<std::string>& types) override {
    return inner_.Hops(node, dir, types);
  }
  std::vector<RelRef> RelsTo(uint64_t node, Direction dir, const std::vector<std::string>& types,
                             const std::vector<uint64_t>& others) override {
    return inner_.RelsTo(node, dir, types, others);
  }
  void PrefetchNodes(const std::vector<uint64_t>& ids) override { inner_.PrefetchNodes(ids); }
  std::vector<NodeRef> NodesForProperties(const std::vector<uint64_t>& ids,
                                          const std::vector<std::string>& keys) override {
    return inner_.NodesForProperties(ids, keys);
  }
  void ForEachNodeValues(const std::vector<uint64_t>& ids, const std::vector<std::string>& keys,
                         const std::function<void(uint64_t, const Value*)>& fn) override {
    inner_.ForEachNodeValues(ids, keys, fn);
  }
  bool ForEachRelEnd(Direction dir, const std::vector<std::string>& types,
                     const std::function<void(uint64_t node, int64_t evidence)>& fn) override {
    return inner_.ForEachRelEnd(dir, types, fn);
  }
  bool ForEachNodeRelTotals(
      Direction dir,
      const std::function<void(uint64_t node, int64_t rels, int64_t evidence)>& fn) override {
    return inner_.ForEachNodeRelTotals(dir, fn);
  }
  std::optional<std::vector<uint64_t>> Search(const std::string& text, size_t limit) override {
    return inner_.Search(text, limit);
  }
  Result<NodeRef> CreateNode(const std::vector<std::string>& labels,
                             const Properties& props) override {
    return inner_.CreateNode(labels, props);
  }
  Result<RelRef> CreateRel(uint64_t src, uint64_t dst, const std::string& type,
                           const Properties& props) override {
    return inner_.CreateRel(src, dst, type, props);
  }
  Status DeleteNode(uint64_t id, bool detach) override { return inner_.DeleteNode(id, detach); }
  Status DeleteRel(uint64_t id) override { return inner_.DeleteRel(id); }
  Status SetNodeProperties(uint64_t id, const Properties& props) override {
    return inner_.SetNodeProperties(id, props);
  }
  Status SetNodeLabels(uint64_t id, const std::vector<std::string>& labels) override {
    return inner_.SetNodeLabels(id, labels);
  }
  Status SetRelProperties(uint64_t id, const Properties& props) override {
    return inner_.SetRelProperties(id, props);
  }
  Status Commit() override { return inner_.Commit(); }
  void Rollback() override { inner_.Rollback(); }

 protected:
  GraphAccess& inner() { return inner_; }

 private:
  GraphAccess& inner_;
};

}  // namespace kg::query
