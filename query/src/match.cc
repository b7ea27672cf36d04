// MATCH: the start node of each pattern part (id, name, label index or scan) and the
// clause's row loop.

#include "executor_internal.h"

namespace kg::query::exec {

// Finds `WHERE v.name = <const>` and `WHERE id(v) = <const>` among the top-level conjuncts.
void Executor::CollectHints(const Expr* where, std::map<std::string, const Expr*>& names,
                            std::map<std::string, const Expr*>& ids) {
  if (!where) return;
  if (where->kind == ExprKind::kBinary && where->op == BinOp::kAnd) {
    CollectHints(where->args[0].get(), names, ids);
    CollectHints(where->args[1].get(), names, ids);
    return;
  }
  if (where->kind != ExprKind::kBinary || where->op != BinOp::kEq) return;
  for (int side = 0; side < 2; ++side) {
    const Expr* a = where->args[side].get();
    const Expr* b = where->args[1 - side].get();
    if (b->kind != ExprKind::kLiteral && b->kind != ExprKind::kParam) continue;
    if (a->kind == ExprKind::kProperty && a->name == "name" &&
        a->args[0]->kind == ExprKind::kVar) {
      names[a->args[0]->name] = b;
    }
    if (IsCall(*a, FunctionKey("id")) && a->args.size() == 1 &&
        a->args[0]->kind == ExprKind::kVar) {
      ids[a->args[0]->name] = b;
    }
  }
}

const Expr* Executor::NameInProps(const NodePattern& n) {
  if (!n.props || n.props->kind != ExprKind::kMap) return nullptr;
  for (size_t i = 0; i < n.props->keys.size(); ++i) {
    const Expr* v = n.props->args[i].get();
    if (n.props->keys[i] == "name" &&
        (v->kind == ExprKind::kLiteral || v->kind == ExprKind::kParam)) {
      return v;
    }
  }
  return nullptr;
}

// The plan's account of how pattern part `part` starts and expands (EXPLAIN, PROFILE).
void Executor::AddStartDetail(const PatternPart& part, const PartState& ps,
                              const std::set<std::string>& seen_vars, std::string& detail) const {
  const char* kinds[] = {"bound variable", "id lookup", "name/alias index", "label index",
                         "all-nodes scan"};
  std::string start_var = part.nodes[ps.start].var.empty() ? "anonymous node"
                                                           : part.nodes[ps.start].var;
  if (!detail.empty()) detail += "; ";
  detail += "start " + start_var + " by " + kinds[static_cast<int>(ps.hint.kind)];
  if (ps.hint.kind == StartHint::Kind::kLabel) detail += " :" + ps.hint.label;
  if (!part.rels.empty()) detail += ", expand by adjacency prefix seek";
  for (size_t i = 0; i < part.nodes.size(); ++i) {
    auto it = analysis_->property_only_nodes.find(&part.nodes[i]);
    if (it == analysis_->property_only_nodes.end() || static_cast<int>(i) == ps.start ||
        seen_vars.count(part.nodes[i].var)) {
      continue;
    }
    detail += ", reading only properties {";
    for (size_t k = 0; k < it->second.size(); ++k) detail += (k ? ", " : "") + it->second[k];
    detail += "} of " + part.nodes[i].var;
  }
}

void Executor::RunMatch(const Clause& c, Table& t) {
  MatchState ms;
  ms.bound_before = t.scope.size();
  std::vector<std::string> scope = t.scope;
  std::map<std::string, const Expr*> name_hints, id_hints;
  CollectHints(c.where.get(), name_hints, id_hints);
  std::set<std::string> seen_vars(t.scope.begin(), t.scope.end());
  std::string detail;
  for (const auto& part : c.patterns) {
    PartState ps;
    ps.part = &part;
    for (const auto& n : part.nodes) ps.node_slots.push_back(SlotFor(n.var, scope));
    for (const auto& r : part.rels) ps.rel_slots.push_back(SlotFor(r.var, scope));
    ps.path_slot = SlotFor(part.path_var, scope);
    // Pick the cheapest start node.
    int best_score = 99;
    for (size_t i = 0; i < part.nodes.size(); ++i) {
      const auto& n = part.nodes[i];
      StartHint h;
      int score = 4;
      if (!n.var.empty() && seen_vars.count(n.var)) {
        h.kind = StartHint::Kind::kBound;
        score = 0;
      } else if (!n.var.empty() && id_hints.count(n.var)) {
        h.kind = StartHint::Kind::kId;
        h.value = id_hints[n.var];
        score = 1;
      } else if (const Expr* nm = NameInProps(n)) {
        h.kind = StartHint::Kind::kName;
        h.value = nm;
        score = 2;
      } else if (!n.var.empty() && name_hints.count(n.var)) {
        h.kind = StartHint::Kind::kName;
        h.value = name_hints[n.var];
        score = 2;
      } else if (!n.labels.empty()) {
        h.kind = StartHint::Kind::kLabel;
        h.label = n.labels[0];
        score = 3;
      }
      if (score < best_score) {
        best_score = score;
        ps.start = static_cast<int>(i);
        ps.hint = h;
      }
    }
    if (profile_) AddStartDetail(part, ps, seen_vars, detail);
    for (const auto& n : part.nodes) {
      if (!n.var.empty()) seen_vars.insert(n.var);
    }
    for (const auto& r : part.rels) {
      if (!r.var.empty()) seen_vars.insert(r.var);
    }
    ps.nodes.resize(part.nodes.size());
    ps.rels.resize(part.rels.size());
    ms.parts.push_back(std::move(ps));
  }
  plan_.back().detail = std::move(detail);
  if (explain_only_) {
    t.scope = scope;
    return;
  }
  ms.where = c.where.get();
  ms.scope = &scope;
  std::vector<Row> out;
  ms.out = &out;
  size_t new_slots = scope.size() - t.scope.size();
  for (auto& row : t.rows) {
    Row r = row;
    r.resize(scope.size());
    ms.assigned.assign(new_slots, false);
    ms.used_rels.clear();
    size_t before = out.size();
    MatchPart(ms, 0, r);
    if (c.optional && out.size() == before) {
      Row nulls = row;
      nulls.resize(scope.size());
      out.push_back(std::move(nulls));
    }
  }
  t.scope = std::move(scope);
  t.rows = std::move(out);
}

void Executor::MatchPart(MatchState& ms, size_t part_idx, Row& row) {
  if (part_idx == ms.parts.size()) {
    if (ms.where && !IsTrue(EvalIn(*ms.where, row, *ms.scope))) return;
    ms.out->push_back(row);
    CheckRows(ms.out->size());
    return;
  }
  PartState& ps = ms.parts[part_idx];
  const NodePattern& np = ps.part->nodes[ps.start];
  int slot = ps.node_slots[ps.start];
  std::vector<NodeRef> candidates;
  if (IsBound(ms, slot)) {
    const Value& v = row[slot];
    if (v.type() == Value::Type::kNode) candidates.push_back(v.as_node());
    else if (!v.is_null()) {
      throw QueryError("SyntaxError", "VariableTypeConflict",
                       "variable `" + np.var + "` is not a node", np.offset);
    }
  } else {
    std::vector<uint64_t> ids;
    bool have_ids = false;
    if (ps.hint.kind == StartHint::Kind::kId) {
      Value id = EvalIn(*ps.hint.value, row, *ms.scope);
      have_ids = true;
      if (id.type() == Value::Type::kInt && id.as_int() >= 0) ids.push_back(id.as_int());
    } else if (ps.hint.kind == StartHint::Kind::kName) {
      Value name = EvalIn(*ps.hint.value, row, *ms.scope);
      if (name.type() == Value::Type::kString) {
        if (auto found = graph_.NodeIdsByName(name.as_string())) {
          ids = std::move(*found);
          have_ids = true;
        }
      } else {
        have_ids = true;  // null or non-string name: nothing can be equal
      }
    }
    if (!have_ids) {
      if (!np.labels.empty()) ids = graph_.NodeIdsByLabel(np.labels[0]);
      else ids = graph_.AllNodeIds();
    }
    for (uint64_t id : ids) {
      Tick();
      NodeRef n = graph_.GetNode(id);
      if (n) candidates.push_back(std::move(n));
    }
  }
  for (const auto& node : candidates) {
    Tick();
    if (!NodeMatches(np, node, row, *ms.scope)) continue;
    bool newly = BindNode(ms, slot, node, row);
    if (!newly && slot >= 0 && !SameNode(row[slot], node)) continue;
    ps.nodes[ps.start] = node;
    ExpandRight(ms, part_idx, ps.start, row);
    if (newly) Unassign(ms, slot, row);
  }
}

// Ids a node pattern's constant `name` allows (sorted; through the name index), or nullptr
// when the pattern has no such constraint or the node is bound. Computed once per query.
const std::vector<uint64_t>* Executor::AllowedIds(const NodePattern& np, int slot,
                                                  const MatchState& ms) {
  if (IsBound(ms, slot)) return nullptr;
  auto cached = allowed_ids_.find(&np);
  if (cached != allowed_ids_.end()) return cached->second ? &*cached->second : nullptr;
  std::optional<std::vector<uint64_t>> ids;
  if (const Expr* name = NameInProps(np)) {
    Row empty;
    std::vector<std::string> no_scope;
    Value v = EvalIn(*name, empty, no_scope);
    if (v.type() == Value::Type::kString) ids = graph_.NodeIdsByName(v.as_string());
    else ids.emplace();  // null or not a string: no node has that name
    if (ids) std::sort(ids->begin(), ids->end());
  }
  auto& slot_ids = allowed_ids_[&np];
  slot_ids = std::move(ids);
  return slot_ids ? &*slot_ids : nullptr;
}

}  // namespace kg::query::exec
