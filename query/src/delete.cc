// DELETE and DETACH DELETE.
//
// One clause deletes what all of its rows name at once, relationships first, so
// `MATCH (a)-[r]->(b) DELETE a, r, b` works whatever the order of its expressions; a node that
// still has relationships after that, without DETACH, fails the query (openCypher checks at
// the end of the query: kg checks at the end of the clause). Deleting an entity twice, in one
// clause or in several, deletes it once and counts it once.

#include "executor_internal.h"

namespace kg::query::exec {
namespace {

// Adds the ids of the nodes and relationships `v` names (paths and lists included) to
// `nodes`/`rels`; null names nothing.
void CollectDeleted(const Value& v, const Expr& e, std::vector<uint64_t>& nodes,
                    std::vector<uint64_t>& rels) {
  switch (v.type()) {
    case Value::Type::kNull: return;
    case Value::Type::kNode: nodes.push_back(v.as_node()->id); return;
    case Value::Type::kRel: rels.push_back(v.as_rel()->id); return;
    case Value::Type::kPath:
      for (const auto& n : v.as_path()->nodes) nodes.push_back(n->id);
      for (const auto& r : v.as_path()->rels) rels.push_back(r->id);
      return;
    case Value::Type::kList:
      for (const auto& item : v.as_list()) CollectDeleted(item, e, nodes, rels);
      return;
    default:
      throw QueryError("TypeError", "InvalidArgumentType",
                       std::string("DELETE needs a node, relationship or path but got ") +
                           TypeName(v.type()),
                       e.begin);
  }
}

}  // namespace

void Executor::DeleteRelOnce(uint64_t id) {
  if (!deleted_rels_.insert(id).second) return;
  Status s = graph_.DeleteRel(id);
  if (s.code() == Status::Code::kNotFound) return;  // gone with a node DETACH DELETE removed
  if (!s.ok()) throw QueryError("InternalError", "", s.message());
  ++rels_deleted_;
}

void Executor::RunDelete(const Clause& c, Table& t) {
  if (explain_only_) return;
  std::vector<uint64_t> nodes, rels;
  for (auto& row : t.rows) {
    for (const auto& arg : c.args) CollectDeleted(EvalIn(*arg, row, t.scope), *arg, nodes, rels);
    Tick();
  }
  for (uint64_t id : rels) DeleteRelOnce(id);
  for (uint64_t id : nodes) {
    if (deleted_nodes_.count(id)) continue;
    if (c.detach) {
      for (const auto& rel : graph_.Rels(id, Direction::kBoth, {})) DeleteRelOnce(rel->id);
    }
    Status s = graph_.DeleteNode(id, c.detach);
    if (s.code() == Status::Code::kInvalidArgument) {
      throw QueryError("ConstraintVerificationFailed", "DeleteConnectedNode",
                       "cannot delete node " + std::to_string(id) +
                           " because it still has relationships (DETACH DELETE deletes them too)",
                       c.offset);
    }
    deleted_nodes_.insert(id);
    if (s.code() == Status::Code::kNotFound) continue;
    if (!s.ok()) throw QueryError("InternalError", "", s.message());
    ++nodes_deleted_;
  }
  MarkDeleted(t);
}

// Replaces the row values that name deleted entities (top level, paths, lists are left as they
// are) by marked copies: id(), type() and passing them on still work, their labels and
// properties raise EntityNotFound (DeletedEntityAccess), as in openCypher.
void Executor::MarkDeleted(Table& t) {
  if (deleted_nodes_.empty() && deleted_rels_.empty()) return;
  std::unordered_map<uint64_t, NodeRef> nodes;
  std::unordered_map<uint64_t, RelRef> rels;
  for (auto& row : t.rows) {
    for (auto& v : row) {
      if (v.type() == Value::Type::kNode && !v.as_node()->deleted &&
          deleted_nodes_.count(v.as_node()->id)) {
        NodeRef& marked = nodes[v.as_node()->id];
        if (!marked) {
          auto copy = std::make_shared<NodeData>(*v.as_node());
          copy->deleted = true;
          marked = std::move(copy);
        }
        v = Value(marked);
      } else if (v.type() == Value::Type::kRel && !v.as_rel()->deleted &&
                 deleted_rels_.count(v.as_rel()->id)) {
        RelRef& marked = rels[v.as_rel()->id];
        if (!marked) {
          auto copy = std::make_shared<RelData>(*v.as_rel());
          copy->deleted = true;
          marked = std::move(copy);
        }
        v = Value(marked);
      }
    }
  }
}

}  // namespace kg::query::exec
