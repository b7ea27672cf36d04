// CREATE.

#include "executor_internal.h"

namespace kg::query::exec {

void Executor::RunCreate(const Clause& c, Table& t) {
  std::vector<std::string> scope = t.scope;
  size_t bound_before = scope.size();
  struct PartSlots {
    std::vector<int> nodes, rels;
    int path = -1;
  };
  std::vector<PartSlots> slots;
  for (const auto& part : c.patterns) {
    PartSlots ps;
    for (const auto& n : part.nodes) ps.nodes.push_back(SlotFor(n.var, scope));
    for (const auto& r : part.rels) ps.rels.push_back(SlotFor(r.var, scope));
    ps.path = SlotFor(part.path_var, scope);
    slots.push_back(ps);
  }
  if (explain_only_) {
    t.scope = scope;
    return;
  }
  for (auto& row : t.rows) {
    row.resize(scope.size());
    std::vector<bool> assigned(scope.size() - bound_before, false);
    auto bound = [&](int slot) {
      return slot >= 0 && (static_cast<size_t>(slot) < bound_before ||
                            assigned[slot - bound_before]);
    };
    for (size_t p = 0; p < c.patterns.size(); ++p) {
      const auto& part = c.patterns[p];
      std::vector<NodeRef> nodes;
      for (size_t i = 0; i < part.nodes.size(); ++i) {
        const auto& np = part.nodes[i];
        int slot = slots[p].nodes[i];
        if (bound(slot)) {
          const Value& v = row[slot];
          if (v.type() != Value::Type::kNode) {
            throw QueryError(v.is_null() ? "SemanticError" : "SyntaxError",
                             v.is_null() ? "CreateOnNull" : "VariableTypeConflict",
                             "cannot create a relationship on `" + np.var + "`", np.offset);
          }
          nodes.push_back(v.as_node());
          continue;
        }
        Properties props = PropsFromExpr(np.props.get(), row, scope);
        auto created = graph_.CreateNode(np.labels, props);
        if (!created) throw QueryError("InternalError", "", created.error().message());
        ++nodes_created_;
        nodes.push_back(*created);
        if (slot >= 0) {
          row[slot] = Value(*created);
          assigned[slot - bound_before] = true;
        }
      }
      auto path = std::make_shared<PathData>();
      path->nodes.push_back(nodes[0]);
      for (size_t i = 0; i < part.rels.size(); ++i) {
        const auto& rp = part.rels[i];
        Properties props = PropsFromExpr(rp.props.get(), row, scope);
        uint64_t src = nodes[i]->id, dst = nodes[i + 1]->id;
        if (rp.dir == Direction::kIn) std::swap(src, dst);
        auto created = graph_.CreateRel(src, dst, rp.types[0], props);
        if (!created) throw QueryError("InternalError", "", created.error().message());
        ++rels_created_;
        int slot = slots[p].rels[i];
        if (slot >= 0) {
          row[slot] = Value(*created);
          assigned[slot - bound_before] = true;
        }
        path->rels.push_back(*created);
        path->nodes.push_back(nodes[i + 1]);
      }
      if (slots[p].path >= 0) {
        row[slots[p].path] = Value(PathRef(path));
        assigned[slots[p].path - bound_before] = true;
      }
    }
    Tick();
  }
  t.scope = std::move(scope);
}

Properties Executor::PropsFromExpr(const Expr* e, Row& row, std::vector<std::string>& scope) {
  Properties props = EmptyProperties();
  if (!e) return props;
  Value v = EvalIn(*e, row, scope);
  if (v.is_null()) return props;
  if (v.type() != Value::Type::kMap) {
    throw QueryError("TypeError", "InvalidArgumentType", "property map expected", e->begin);
  }
  for (const auto& [k, val] : v.as_map()) {
    if (val.is_null()) continue;
    auto json = ToPropertyJson(val);
    if (!json) {
      throw QueryError("TypeError", "InvalidPropertyType",
                       std::string("cannot store a ") + TypeName(val.type()) +
                           " as property '" + k + "'",
                       e->begin);
    }
    props[k] = std::move(*json);
  }
  return props;
}

}  // namespace kg::query::exec
