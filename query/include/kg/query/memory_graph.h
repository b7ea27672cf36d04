#pragma once
// MemoryGraph: a GraphAccess held in memory, for tests and the TCK runner. Writes are visible at
// once (a changed node or relationship is a new NodeData/RelData: refs already handed out keep
// the old values); Rollback restores the state of the last Commit. Not thread-safe.

#include <map>

#include "kg/query/graph.h"

namespace kg::query {

class MemoryGraph : public GraphAccess {
 public:
  std::vector<uint64_t> AllNodeIds() override;
  std::vector<uint64_t> NodeIdsByLabel(const std::string& label) override;
  NodeRef GetNode(uint64_t id) override;
  RelRef GetRel(uint64_t id) override;
  std::vector<RelRef> Rels(uint64_t node, Direction dir,
                           const std::vector<std::string>& types) override;
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

  size_t node_count() const { return state_.nodes.size(); }
  size_t rel_count() const { return state_.rels.size(); }

 private:
  struct State {
    std::map<uint64_t, NodeRef> nodes;
    std::map<uint64_t, RelRef> rels;
    std::map<uint64_t, std::vector<uint64_t>> out;  // node -> rel ids
    std::map<uint64_t, std::vector<uint64_t>> in;
    uint64_t next_node_id = 0;
    uint64_t next_rel_id = 0;
  };
  State state_;
  State committed_;
};

}  // namespace kg::query
