// The ExpandProject fast path: a one-hop MATCH from named start nodes followed by a projection
// that reads only the far end, as in the peers' "hub out-neighbours" question.

#include "executor_internal.h"

namespace kg::query::exec {
namespace {

// An item of the projection evaluated straight from the end node, for the shapes the peers'
// questions use: `id(v)`, `id(v) + k`, `id(v) - k`, `k + id(v)` (k an integer literal) and
// `v.key`; anything else (and an overflowing sum, for Eval's error) goes through Eval.
struct EndItem {
  enum class Kind { kEval, kId, kIdPlus, kIdMinus, kProperty } kind = Kind::kEval;
  int64_t k = 0;
  size_t key = 0;  // kProperty read by values: the key's position in the keys read
  const Expr* expr = nullptr;
};

EndItem EndItemOf(const Expr& e, const std::string& var) {
  auto is_var = [&](const Expr& x) { return x.kind == ExprKind::kVar && x.name == var; };
  auto is_id = [&](const Expr& x) {
    return IsCall(x, FunctionKey("id")) && !x.distinct && x.args.size() == 1 && x.args[0] &&
           is_var(*x.args[0]);
  };
  auto is_int = [](const Expr& x) {
    return x.kind == ExprKind::kLiteral && x.literal.type() == Value::Type::kInt;
  };
  EndItem item;
  item.expr = &e;
  if (is_id(e)) {
    item.kind = EndItem::Kind::kId;
  } else if (e.kind == ExprKind::kBinary && e.args.size() == 2 && e.args[0] && e.args[1] &&
             (e.op == BinOp::kAdd || e.op == BinOp::kSub)) {
    const Expr& x = *e.args[0];
    const Expr& y = *e.args[1];
    if (is_id(x) && is_int(y)) {
      item.kind = e.op == BinOp::kAdd ? EndItem::Kind::kIdPlus : EndItem::Kind::kIdMinus;
      item.k = y.literal.as_int();
    } else if (e.op == BinOp::kAdd && is_int(x) && is_id(y)) {
      item.kind = EndItem::Kind::kIdPlus;
      item.k = x.literal.as_int();
    }
  } else if (e.kind == ExprKind::kProperty && e.args.size() == 1 && e.args[0] &&
             is_var(*e.args[0])) {
    item.kind = EndItem::Kind::kProperty;
  }
  return item;
}

}  // namespace

// `MATCH (a {name: ...})-[:T]->(b) WITH/RETURN [DISTINCT] <items reading only b>` would make
// one row [a, b] per relationship, then project each (after DistinctByElement kept the first
// row of each b). Nothing but the projection reads those rows and it reads only b, so instead:
// the relationships' far ends are listed (Hops), each distinct end read once (for the keys
// FindPropertyOnlyNodes found, else whole) and projected once; a row per relationship (or, with
// DISTINCT, per first occurrence of an end) is then a copy of its end's projected row. Same
// rows in the same order as the row-by-row path, the same checks (Tick, the row cap on the
// rows MATCH would have made) and the same errors (an item's error surfaces at the first row
// of the first end it fails for, which the row-by-row path also evaluates first). Returns false
// (nothing done) for any other shape; the clauses then run the ordinary way.
bool Executor::TryExpandProject(const Clause& m, const Clause& c, Table& t) {
  const PatternPart* single_hop = SingleHopMatchThenProjection(m, c, t);
  if (!single_hop) return false;
  const PatternPart& part = *single_hop;
  const NodePattern& a = part.nodes[0];
  const NodePattern& b = part.nodes[1];
  const RelPattern& r = part.rels[0];
  // b without labels or properties and no WHERE: the planner starts at a (found by name).
  const Expr* name = NameInProps(a);
  if (!name || b.var.empty() || b.var == a.var || !b.labels.empty() || b.props) return false;
  if (r.var_length || !r.var.empty() || r.props) return false;
  const Projection& p = c.projection;
  if (p.star || p.items.empty() || p.where) return false;
  // ORDER BY without DISTINCT may read the variables before the projection (a's too).
  if (!p.order.empty() && !p.distinct) return false;
  std::string var = b.var;
  for (const auto& it : p.items) {
    if (ContainsAggregate(*it.expr) || !ReadsOnlyElement(*it.expr, &var) || var != b.var) {
      return false;
    }
  }
  // The checks RunProjection makes before projecting, in its order: its errors win.
  std::vector<std::string> aliases;
  for (const auto& it : p.items) {
    if (std::find(aliases.begin(), aliases.end(), it.alias) != aliases.end()) return false;
    aliases.push_back(it.alias);
  }
  if (c.kind == Clause::Kind::kWith) {
    for (const auto& it : p.items) {
      if (!it.has_alias && it.expr->kind != ExprKind::kVar) return false;
    }
  }

  // The plan line: RunMatch's wording for the start and the keys read, then what this path
  // does instead of rows (`made`: how many relationships, known once run).
  auto keys = analysis_->property_only_nodes.find(&b);
  auto describe = [&](const std::string& ends_read, const std::string& made) {
    if (!profile_) return;  // plan lines are for EXPLAIN and PROFILE only
    auto& op = plan_.back();
    op.name = "ExpandProject " + Describe(part) + " -> " +
              (c.kind == Clause::Kind::kWith ? "With" : "Return") +
              (p.distinct ? " DISTINCT" : "");
    for (size_t i = 0; i < aliases.size(); ++i) op.name += (i ? ", " : " ") + aliases[i];
    op.detail = "start " + (a.var.empty() ? std::string("anonymous node") : a.var) +
                " by name/alias index, expand by adjacency prefix seek";
    if (keys != analysis_->property_only_nodes.end()) {
      op.detail += ", reading only properties {";
      for (size_t k = 0; k < keys->second.size(); ++k) {
        op.detail += (k ? ", " : "") + keys->second[k];
      }
      op.detail += "} of " + b.var;
    }
    op.detail += "; each distinct " + b.var + " read once" + ends_read +
                 " and projected once, no row per relationship" + made;
  };
  if (explain_only_) {  // as the projection's EXPLAIN does
    describe("", "");
    t.scope = aliases;
    if (c.kind == Clause::Kind::kReturn) columns_ = aliases;
    return true;
  }

  // The start nodes, as MatchPart finds them for a name hint.
  std::vector<std::string> scope;
  SlotFor(a.var, scope);
  SlotFor(b.var, scope);  // as in RunMatch: a's property map sees the same scope
  Row row(scope.size());
  std::vector<uint64_t> start_ids;
  Value name_value = EvalIn(*name, row, scope);
  if (name_value.type() == Value::Type::kString) {
    if (auto found = graph_.NodeIdsByName(name_value.as_string())) {
      start_ids = std::move(*found);
    } else if (!a.labels.empty()) {
      start_ids = graph_.NodeIdsByLabel(a.labels[0]);
    } else {
      start_ids = graph_.AllNodeIds();
    }
  }
  std::vector<NodeRef> starts;
  for (uint64_t id : start_ids) {
    Tick();
    NodeRef n = graph_.GetNode(id);
    if (n) starts.push_back(std::move(n));
  }

  // The far end of every relationship, in the order the matcher would make rows, and each
  // distinct end's first position.
  std::vector<uint64_t> ends;
  for (const auto& start : starts) {
    Tick();
    if (!NodeMatches(a, start, row, scope)) continue;
    for (const auto& hop : graph_.Hops(start->id, r.dir, r.types)) ends.push_back(hop.other);
  }
  std::vector<uint64_t> distinct_ends;  // first-occurrence order
  std::vector<uint32_t> end_index;      // per relationship: its end in distinct_ends
  {
    // Open addressing, linear probing, at most half full (as DistinctByElement's table: an
    // unordered_map costs an allocation per distinct end).
    size_t capacity = 16;
    while (capacity < 2 * ends.size()) capacity *= 2;
    constexpr uint64_t kEmpty = std::numeric_limits<uint64_t>::max();
    std::vector<std::pair<uint64_t, uint32_t>> seen(capacity, {kEmpty, 0});
    uint32_t empty_key_index = std::numeric_limits<uint32_t>::max();  // an end whose id is kEmpty
    auto index_of = [&](uint64_t id) {
      auto next = static_cast<uint32_t>(distinct_ends.size());
      if (id == kEmpty) {
        if (empty_key_index == std::numeric_limits<uint32_t>::max()) {
          empty_key_index = next;
          distinct_ends.push_back(id);
        }
        return empty_key_index;
      }
      size_t at = static_cast<size_t>((id * 0x9E3779B97F4A7C15ull) >> 20) & (capacity - 1);
      for (;; at = (at + 1) & (capacity - 1)) {
        if (seen[at].first == kEmpty) {
          seen[at] = {id, next};
          distinct_ends.push_back(id);
          return next;
        }
        if (seen[at].first == id) return seen[at].second;
      }
    };
    if (ends.size() >= std::numeric_limits<uint32_t>::max()) return false;
    end_index.reserve(ends.size());
    for (uint64_t id : ends) end_index.push_back(index_of(id));
  }
  std::vector<const Expr*> exprs;
  std::vector<EndItem> items;
  for (const auto& it : p.items) {
    exprs.push_back(it.expr.get());
    items.push_back(EndItemOf(*it.expr, b.var));
  }
  // Every item an id or one of the keys read: the ends' property values are read without a
  // node per end (GraphAccess::ForEachNodeValues), else the ends are read as nodes.
  bool by_values = keys != analysis_->property_only_nodes.end();
  for (auto& item : items) {
    if (!by_values) break;
    if (item.kind == EndItem::Kind::kEval) by_values = false;
    if (item.kind != EndItem::Kind::kProperty) continue;
    auto at = std::find(keys->second.begin(), keys->second.end(), item.expr->name);
    if (at == keys->second.end()) by_values = false;
    else item.key = static_cast<size_t>(at - keys->second.begin());
  }
  std::vector<bool> exists(distinct_ends.size());
  std::vector<NodeRef> end_nodes;  // when !by_values
  std::vector<Value> end_values;   // when by_values: end e's key k at e * key_count + k
  size_t key_count = by_values ? keys->second.size() : 0;
  if (by_values) {
    std::vector<std::pair<uint64_t, uint32_t>> sorted;  // (id, its index in distinct_ends)
    sorted.reserve(distinct_ends.size());
    for (size_t e = 0; e < distinct_ends.size(); ++e) {
      sorted.emplace_back(distinct_ends[e], static_cast<uint32_t>(e));
    }
    std::sort(sorted.begin(), sorted.end());
    std::vector<uint64_t> sorted_ids;
    sorted_ids.reserve(sorted.size());
    for (const auto& [id, e] : sorted) sorted_ids.push_back(id);
    end_values.resize(distinct_ends.size() * key_count);
    size_t next = 0;
    graph_.ForEachNodeValues(sorted_ids, keys->second, [&](uint64_t id, const Value* values) {
      while (next < sorted.size() && sorted[next].first < id) ++next;
      if (next == sorted.size() || sorted[next].first != id) return;
      uint32_t e = sorted[next].second;
      exists[e] = true;
      for (size_t k = 0; k < key_count; ++k) end_values[e * key_count + k] = values[k];
    });
  } else {
    if (keys != analysis_->property_only_nodes.end()) {
      end_nodes = graph_.NodesForProperties(distinct_ends, keys->second);
    }
    if (end_nodes.size() != distinct_ends.size()) {  // whole nodes (or a graph breaking the
      end_nodes.clear();                              // one-per-id contract)
      if (distinct_ends.size() > 1) graph_.PrefetchNodes(distinct_ends);
      end_nodes.reserve(distinct_ends.size());
      for (uint64_t id : distinct_ends) end_nodes.push_back(graph_.GetNode(id));
    }
    for (size_t e = 0; e < distinct_ends.size(); ++e) exists[e] = end_nodes[e] != nullptr;
  }

  // The row cap applies to the rows MATCH would have made, before any item is evaluated.
  size_t made = 0;
  for (uint32_t e : end_index) {
    if (exists[e]) ++made;
  }
  CheckRows(made);

  // Rows: one per relationship whose end exists, or with DISTINCT one per end; each end is
  // projected when its first row comes.
  std::vector<std::string> b_scope = {b.var};
  Row b_row(1);
  auto project = [&](uint32_t e, const EndItem& item) {
    // Node ids fit int64 (id() makes them so); the sums are checked as Eval checks them.
    auto as_int = static_cast<int64_t>(distinct_ends[e]);
    int64_t sum = 0;
    switch (item.kind) {
      case EndItem::Kind::kId: return Value(as_int);
      case EndItem::Kind::kIdPlus:
        if (!__builtin_add_overflow(as_int, item.k, &sum)) return Value(sum);
        break;
      case EndItem::Kind::kIdMinus:
        if (!__builtin_sub_overflow(as_int, item.k, &sum)) return Value(sum);
        break;
      case EndItem::Kind::kProperty:
        if (by_values) return end_values[e * key_count + item.key];
        return PropertyOf(b_row[0], item.expr->name, *item.expr);
      case EndItem::Kind::kEval: break;
    }
    if (by_values) {  // an overflowing sum: Eval raises its error from the id alone
      auto stub = std::make_shared<NodeData>();
      stub->id = distinct_ends[e];
      b_row[0] = Value(NodeRef(std::move(stub)));
    }
    return EvalIn(*item.expr, b_row, b_scope);
  };
  constexpr size_t kNotYet = std::numeric_limits<size_t>::max();
  std::vector<size_t> projected_at(distinct_ends.size(), kNotYet);  // end -> its projected row
  std::vector<Row> projected;
  projected.reserve(p.distinct ? distinct_ends.size() : made);
  for (uint32_t e : end_index) {
    Tick();
    if (!exists[e]) continue;
    if (projected_at[e] != kNotYet) {
      if (!p.distinct) projected.push_back(projected[projected_at[e]]);
      continue;
    }
    if (!by_values) b_row[0] = Value(end_nodes[e]);
    Row out;
    out.reserve(items.size());
    for (const EndItem& item : items) out.push_back(project(e, item));
    projected_at[e] = projected.size();
    projected.push_back(std::move(out));
  }
  bool rows_distinct =
      p.distinct && made > 1 && std::any_of(exprs.begin(), exprs.end(), [&](const Expr* x) {
        return TellsElementsApart(*x, b.var);
      });

  describe(by_values ? " as property values (no node built)" : "",
           " (" + std::to_string(made) + " relationships)");
  FinishProjection(p, exprs, aliases, std::move(projected), {}, false, t,
                   c.kind == Clause::Kind::kReturn, rows_distinct);
  return true;
}

}  // namespace kg::query::exec
