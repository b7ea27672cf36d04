#include "kg/query/memory_graph.h"

#include <algorithm>

namespace kg::query {

std::vector<uint64_t> MemoryGraph::AllNodeIds() {
  std::vector<uint64_t> ids;
  ids.reserve(state_.nodes.size());
  for (const auto& [id, node] : state_.nodes) ids.push_back(id);
  return ids;
}

std::vector<uint64_t> MemoryGraph::NodeIdsByLabel(const std::string& label) {
  std::vector<uint64_t> ids;
  for (const auto& [id, node] : state_.nodes) {
    if (std::find(node->labels.begin(), node->labels.end(), label) != node->labels.end()) {
      ids.push_back(id);
    }
  }
  return ids;
}

NodeRef MemoryGraph::GetNode(uint64_t id) {
  auto it = state_.nodes.find(id);
  return it == state_.nodes.end() ? nullptr : it->second;
}

RelRef MemoryGraph::GetRel(uint64_t id) {
  auto it = state_.rels.find(id);
  return it == state_.rels.end() ? nullptr : it->second;
}

std::vector<RelRef> MemoryGraph::Rels(uint64_t node, Direction dir,
                                      const std::vector<std::string>& types) {
  std::vector<RelRef> out;
  auto add = [&](const std::map<uint64_t, std::vector<uint64_t>>& index, bool skip_loops) {
    auto it = index.find(node);
    if (it == index.end()) return;
    for (uint64_t rel_id : it->second) {
      const RelRef& rel = state_.rels.at(rel_id);
      if (skip_loops && rel->src == rel->dst) continue;
      if (!types.empty() && std::find(types.begin(), types.end(), rel->type) == types.end()) {
        continue;
      }
      out.push_back(rel);
    }
  };
  if (dir != Direction::kIn) add(state_.out, false);
  if (dir != Direction::kOut) add(state_.in, dir == Direction::kBoth);
  return out;
}

Result<NodeRef> MemoryGraph::CreateNode(const std::vector<std::string>& labels,
                                        const Properties& props) {
  auto node = std::make_shared<NodeData>();
  node->id = state_.next_node_id++;
  node->labels = labels;
  node->props = props;
  state_.nodes[node->id] = node;
  return NodeRef(node);
}

Result<RelRef> MemoryGraph::CreateRel(uint64_t src, uint64_t dst, const std::string& type,
                                      const Properties& props) {
  if (!state_.nodes.count(src) || !state_.nodes.count(dst)) {
    return Status::InvalidArgument("relationship end node does not exist");
  }
  auto rel = std::make_shared<RelData>();
  rel->id = state_.next_rel_id++;
  rel->src = src;
  rel->dst = dst;
  rel->type = type;
  rel->props = props;
  state_.rels[rel->id] = rel;
  state_.out[src].push_back(rel->id);
  state_.in[dst].push_back(rel->id);
  return RelRef(rel);
}

Status MemoryGraph::DeleteRel(uint64_t id) {
  auto it = state_.rels.find(id);
  if (it == state_.rels.end()) return Status::NotFound("relationship does not exist");
  auto unlink = [id](std::vector<uint64_t>& ids) {
    ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
  };
  unlink(state_.out[it->second->src]);
  unlink(state_.in[it->second->dst]);
  state_.rels.erase(it);
  return Status::Ok();
}

Status MemoryGraph::DeleteNode(uint64_t id, bool detach) {
  if (!state_.nodes.count(id)) return Status::NotFound("node does not exist");
  std::vector<uint64_t> rels = state_.out[id];
  rels.insert(rels.end(), state_.in[id].begin(), state_.in[id].end());
  if (!rels.empty() && !detach) {
    return Status::InvalidArgument("node " + std::to_string(id) + " still has relationships");
  }
  std::sort(rels.begin(), rels.end());
  rels.erase(std::unique(rels.begin(), rels.end()), rels.end());  // self-loops
  for (uint64_t rel : rels) KG_RETURN_IF_ERROR(DeleteRel(rel));
  state_.out.erase(id);
  state_.in.erase(id);
  state_.nodes.erase(id);
  return Status::Ok();
}

Status MemoryGraph::SetNodeProperties(uint64_t id, const Properties& props) {
  auto it = state_.nodes.find(id);
  if (it == state_.nodes.end()) return Status::NotFound("node does not exist");
  auto node = std::make_shared<NodeData>(*it->second);
  node->props = props;
  it->second = std::move(node);
  return Status::Ok();
}

Status MemoryGraph::SetNodeLabels(uint64_t id, const std::vector<std::string>& labels) {
  auto it = state_.nodes.find(id);
  if (it == state_.nodes.end()) return Status::NotFound("node does not exist");
  auto node = std::make_shared<NodeData>(*it->second);
  node->labels = labels;
  it->second = std::move(node);
  return Status::Ok();
}

Status MemoryGraph::SetRelProperties(uint64_t id, const Properties& props) {
  auto it = state_.rels.find(id);
  if (it == state_.rels.end()) return Status::NotFound("relationship does not exist");
  auto rel = std::make_shared<RelData>(*it->second);
  rel->props = props;
  it->second = std::move(rel);
  return Status::Ok();
}

Status MemoryGraph::Commit() {
  committed_ = state_;
  return Status::Ok();
}

void MemoryGraph::Rollback() { state_ = committed_; }

}  // namespace kg::query
