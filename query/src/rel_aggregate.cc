// The RelAggregate fast path: MATCH (a)-[r]-() followed by an aggregating projection.

#include "executor_internal.h"

namespace kg::query::exec {

// ---- MATCH (a)-[r]-() + aggregation, from per-node counters or one pass over the relationships
//
// `MATCH (a)-[r]-() WITH/RETURN <expressions of a>, count(*) | count(r) |
// sum(size(evidence(r)))` (the "top entities by degree" question) would make one row per
// relationship end; instead the per-node counts come from the graph's maintained counters
// (GraphAccess::ForEachNodeRelTotals: no type given, nothing created by this query) or else
// GraphAccess::ForEachRelEnd. When the projection groups by `a` itself and orders by one of
// those counts with a LIMIT, only the nodes that can reach the top are read. Returns false
// (nothing done) for any other shape or when the graph can do neither; the clauses then run
// the ordinary way, with the same result.

bool Executor::OnlyUses(const Expr& e, const std::string& var) {
  if (e.kind == ExprKind::kVar) return e.name == var;
  if (e.kind == ExprKind::kListComp || e.kind == ExprKind::kQuantifier ||
      e.kind == ExprKind::kParam || ContainsAggregate(e)) {
    return false;
  }
  for (const auto& a : e.args) {
    if (a && !OnlyUses(*a, var)) return false;
  }
  return true;
}

std::optional<Executor::RelAgg> Executor::RelAggregateOf(const Expr& e,
                                                        const std::string& rel_var) {
  if (e.kind == ExprKind::kCountStar) return RelAgg::kCount;
  if (e.kind != ExprKind::kCall || e.distinct || e.args.size() != 1) return std::nullopt;
  const Expr& arg = *e.args[0];
  auto is_rel = [&](const Expr& x) {
    return !rel_var.empty() && x.kind == ExprKind::kVar && x.name == rel_var;
  };
  if (e.function == FunctionKey("count") && is_rel(arg)) return RelAgg::kCount;
  if (e.function == FunctionKey("sum") && IsCall(arg, FunctionKey("size")) &&
      arg.args.size() == 1 && IsCall(*arg.args[0], FunctionKey("evidence")) &&
      arg.args[0]->args.size() == 1 &&
      is_rel(*arg.args[0]->args[0])) {
    return RelAgg::kEvidence;
  }
  return std::nullopt;
}

bool Executor::TryRelAggregate(const Clause& m, const Clause& c, Table& t) {
  const PatternPart* single_hop = SingleHopMatchThenProjection(m, c, t);
  if (!single_hop) return false;
  const PatternPart& part = *single_hop;
  const NodePattern& a = part.nodes[0];
  const NodePattern& b = part.nodes[1];
  const RelPattern& r = part.rels[0];
  if (a.var.empty() || a.props || !b.var.empty() || !b.labels.empty() || b.props) return false;
  if (r.var_length || r.props || r.var == a.var) return false;
  const Projection& p = c.projection;
  if (p.star || p.items.empty()) return false;
  std::vector<std::optional<RelAgg>> kinds;
  bool any_agg = false, by_node = false;
  for (const auto& it : p.items) {
    if (ContainsAggregate(*it.expr)) {
      auto kind = RelAggregateOf(*it.expr, r.var);
      if (!kind) return false;
      kinds.push_back(kind);
      any_agg = true;
    } else {
      if (!OnlyUses(*it.expr, a.var)) return false;
      if (it.expr->kind == ExprKind::kVar) by_node = true;
      kinds.push_back(std::nullopt);
    }
  }
  if (!any_agg) return false;
  if (c.kind == Clause::Kind::kWith) {
    for (const auto& it : p.items) {
      if (!it.has_alias && it.expr->kind != ExprKind::kVar) return false;  // error path
    }
  }
  std::vector<std::string> aliases;
  for (const auto& it : p.items) {
    if (std::find(aliases.begin(), aliases.end(), it.alias) != aliases.end()) return false;
    aliases.push_back(it.alias);
  }
  std::vector<const Expr*> exprs;
  for (const auto& it : p.items) exprs.push_back(it.expr.get());
  std::string op_name = "RelAggregate " + Describe(part) + " -> " +
                        (c.kind == Clause::Kind::kWith ? "With" : "Return");
  for (size_t i = 0; i < aliases.size(); ++i) op_name += (i ? ", " : " ") + aliases[i];
  if (explain_only_) {  // what the run decides from the store, said as the rule it follows
    auto& op = plan_.back();
    op.name = std::move(op_name);
    op.detail = r.types.empty()
                    ? "per-node counts read from the mention counters (one key per node, no "
                      "relationship scan; a store without them: one scan of the relationships)"
                    : "per-node counts from one scan of the relationships";
    op.detail += "; row by row instead when this query created nodes or relationships before";
    t.scope = aliases;  // as the projection's EXPLAIN does
    if (c.kind == Clause::Kind::kReturn) columns_ = aliases;
    return true;
  }

  // Per node: relationship count and evidence sum, from the graph's counters when it keeps
  // them (no type filter), else from one pass over the relationships.
  struct NodeAgg {
    uint64_t node;
    int64_t count, evidence;
  };
  std::vector<NodeAgg> per_node;
  bool from_counters =
      r.types.empty() &&
      graph_.ForEachNodeRelTotals(r.dir, [&](uint64_t node, int64_t rels, int64_t evidence) {
        per_node.push_back({node, rels, evidence});
      });
  if (!from_counters) {
    per_node.clear();
    std::vector<std::pair<int64_t, int64_t>> dense;
    std::unordered_map<uint64_t, std::pair<int64_t, int64_t>> sparse;
    constexpr uint64_t kDenseLimit = uint64_t{1} << 26;
    bool scanned = graph_.ForEachRelEnd(r.dir, r.types, [&](uint64_t node, int64_t evidence) {
      std::pair<int64_t, int64_t>* slot;
      if (node < kDenseLimit) {
        if (node >= dense.size()) dense.resize(std::max<size_t>(node + 1, dense.size() * 2));
        slot = &dense[node];
      } else {
        slot = &sparse[node];
      }
      ++slot->first;
      slot->second += evidence;
    });
    if (!scanned) return false;
    for (uint64_t id = 0; id < dense.size(); ++id) {
      if (dense[id].first > 0) per_node.push_back({id, dense[id].first, dense[id].second});
    }
    for (const auto& [id, v] : sparse) per_node.push_back({id, v.first, v.second});
  }
  if (!std::is_sorted(per_node.begin(), per_node.end(),
                      [](const NodeAgg& x, const NodeAgg& y) { return x.node < y.node; })) {
    std::sort(per_node.begin(), per_node.end(),
              [](const NodeAgg& x, const NodeAgg& y) { return x.node < y.node; });
  }
  for (const auto& label : a.labels) {
    auto with_label = graph_.NodeIdsByLabel(label);
    std::sort(with_label.begin(), with_label.end());
    std::erase_if(per_node, [&](const NodeAgg& n) {
      return !std::binary_search(with_label.begin(), with_label.end(), n.node);
    });
  }
  auto value_of = [](const NodeAgg& n, RelAgg kind) {
    return kind == RelAgg::kCount ? n.count : n.evidence;
  };

  // Grouped by the node itself and ordered by a count with a LIMIT: only nodes whose count
  // reaches the k-th best can be in the result (ties kept, later sort keys decide).
  if (by_node && !p.distinct && !p.where && !p.order.empty() && p.limit) {
    const auto& first = p.order[0];
    std::optional<RelAgg> order_kind;
    for (size_t i = 0; i < p.items.size(); ++i) {
      if (!kinds[i]) continue;
      bool alias_ref = first.expr->kind == ExprKind::kVar && first.expr->name == aliases[i];
      if (alias_ref || Text(*first.expr) == Text(*p.items[i].expr)) order_kind = kinds[i];
    }
    if (order_kind) {
      // Saturating: LIMIT and SKIP may each be up to INT64_MAX, their sum must not wrap.
      int64_t limit = ConstCount(*p.limit, "LIMIT");
      int64_t skip = p.skip ? ConstCount(*p.skip, "SKIP") : 0;
      int64_t keep = skip > std::numeric_limits<int64_t>::max() - limit
                         ? std::numeric_limits<int64_t>::max()
                         : limit + skip;
      if (keep < static_cast<int64_t>(per_node.size())) {
        std::vector<int64_t> values;
        values.reserve(per_node.size());
        for (const auto& n : per_node) values.push_back(value_of(n, *order_kind));
        int64_t threshold = 0;
        if (keep > 0) {
          auto nth = values.begin() + (keep - 1);
          if (first.descending) {
            std::nth_element(values.begin(), nth, values.end(), std::greater<int64_t>());
          } else {
            std::nth_element(values.begin(), nth, values.end());
          }
          threshold = *nth;
        }
        std::erase_if(per_node, [&](const NodeAgg& n) {
          if (keep == 0) return true;
          int64_t v = value_of(n, *order_kind);
          return first.descending ? v < threshold : v > threshold;
        });
      }
    }
  }

  std::vector<uint64_t> ids;
  ids.reserve(per_node.size());
  for (const auto& n : per_node) ids.push_back(n.node);
  // Keys that read only properties of `a` (`a.name`, the peers' grouping) need only those
  // properties of each node: every node of the graph may be read here.
  std::set<std::string> key_props;
  bool partial = !by_node;
  for (size_t i = 0; i < p.items.size() && partial; ++i) {
    if (!kinds[i]) partial = OnlyPropertyUses(*p.items[i].expr, a.var, key_props);
  }
  std::vector<NodeRef> partial_nodes;
  if (partial) {
    partial_nodes = graph_.NodesForProperties(
        ids, std::vector<std::string>(key_props.begin(), key_props.end()));
  } else {
    graph_.PrefetchNodes(ids);
  }
  std::vector<std::string> scope = {a.var};
  if (!r.var.empty()) scope.push_back(r.var);
  std::vector<Row> projected;
  // key columns -> row in `projected` (not by node)
  std::unordered_map<Row, size_t, RowHash, RowEq> groups;
  if (!by_node) groups.reserve(per_node.size());
  projected.reserve(per_node.size());
  Row row(scope.size());  // reused: the node in slot 0, the relationship slot unset
  Row key;                // reused: most nodes of a large graph start a group of their own
  for (size_t ni = 0; ni < per_node.size(); ++ni) {
    const NodeAgg& n = per_node[ni];
    Tick();
    NodeRef node = partial ? partial_nodes[ni] : graph_.GetNode(n.node);
    if (!node) continue;
    row[0] = Value(std::move(node));
    Row out;
    out.reserve(p.items.size());
    key.clear();
    for (size_t i = 0; i < p.items.size(); ++i) {
      if (kinds[i]) {
        out.push_back(Value(value_of(n, *kinds[i])));
      } else {
        out.push_back(EvalIn(*p.items[i].expr, row, scope));
        if (!by_node) key.push_back(out.back());
      }
    }
    if (!by_node) {
      auto it = groups.find(key);
      if (it != groups.end()) {
        Row& g = projected[it->second];
        for (size_t i = 0; i < p.items.size(); ++i) {
          if (kinds[i]) g[i] = Value(g[i].as_int() + out[i].as_int());
        }
        continue;
      }
      groups.emplace(key, projected.size());
    }
    projected.push_back(std::move(out));
  }
  if (profile_) {  // plan lines are for EXPLAIN and PROFILE only
    auto& op = plan_.back();
    op.name = std::move(op_name);
    op.detail = from_counters ? "per-node counts read from the mention counters (one key per "
                                "node, no relationship scan)"
                              : "per-node counts from one scan of the relationships";
    if (by_node) op.detail += ", grouped by node";
    if (partial) {
      op.detail += ", reading properties of " + a.var + " only (";
      for (auto it = key_props.begin(); it != key_props.end(); ++it) {
        op.detail += (it == key_props.begin() ? "" : ", ") + *it;
      }
      op.detail += ")";
    }
  }
  FinishProjection(p, exprs, aliases, std::move(projected), {}, false, t,
                   c.kind == Clause::Kind::kReturn);
  return true;
}

}  // namespace kg::query::exec
