// MATCH: expansion along a pattern part's relationships, fixed and variable length, and the
// node and relationship checks on the way.

#include "executor_internal.h"

namespace kg::query::exec {

bool Executor::NodeMatches(const NodePattern& np, const NodeRef& node, Row& row,
                           std::vector<std::string>& scope) {
  for (const auto& l : np.labels) {
    if (std::find(node->labels.begin(), node->labels.end(), l) == node->labels.end()) {
      return false;
    }
  }
  return PropsMatch(np.props.get(), node->props, row, scope);
}

namespace {

// Literals and parameters only: the same value for every row of a run.
bool RowIndependent(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kLiteral:
    case ExprKind::kParam: return true;
    case ExprKind::kMap:
    case ExprKind::kList:
      return std::all_of(e.args.begin(), e.args.end(),
                         [](const ExprPtr& a) { return a && RowIndependent(*a); });
    default: return false;
  }
}

}  // namespace

bool Executor::PropsMatch(const Expr* props, const Properties& actual, Row& row,
                          std::vector<std::string>& scope) {
  if (!props) return true;
  // `{name: 'Russia'}` is checked at every arrival of a walk (14k in the three-hop benchmark):
  // a constant map is built once per run, not once per check.
  auto cached = constant_props_.find(props);
  if (cached == constant_props_.end()) {
    std::optional<Value> constant;
    if (RowIndependent(*props)) constant = EvalIn(*props, row, scope);
    cached = constant_props_.emplace(props, std::move(constant)).first;
  }
  Value computed;
  if (!cached->second) computed = EvalIn(*props, row, scope);
  const Value& want = cached->second ? *cached->second : computed;
  if (want.is_null()) return true;
  if (want.type() != Value::Type::kMap) {
    throw QueryError("TypeError", "InvalidArgumentType", "property map expected",
                     props->begin);
  }
  for (const auto& [k, v] : want.as_map()) {
    auto it = actual.find(k);
    if (it == actual.end()) return false;
    if (it->is_string() && v.type() == Value::Type::kString) {  // no copy of the stored text
      if (it->get_ref<const std::string&>() != v.as_string()) return false;
      continue;
    }
    auto eq = Equals(FromJson(*it), v);
    if (!eq || !*eq) return false;
  }
  return true;
}

// Expands rels start..end to the right of node `i`, then to the left of the start node.
void Executor::ExpandRight(MatchState& ms, size_t part_idx, int i, Row& row) {
  PartState& ps = ms.parts[part_idx];
  if (i == static_cast<int>(ps.part->rels.size())) {
    ExpandLeft(ms, part_idx, ps.start, row);
    return;
  }
  ExpandRel(ms, part_idx, i, /*forward=*/true, row,
            [&](Row& r) { ExpandRight(ms, part_idx, i + 1, r); });
}

void Executor::ExpandLeft(MatchState& ms, size_t part_idx, int i, Row& row) {
  if (i == 0) {
    FinishPart(ms, part_idx, row);
    return;
  }
  ExpandRel(ms, part_idx, i - 1, /*forward=*/false, row,
            [&](Row& r) { ExpandLeft(ms, part_idx, i - 1, r); });
}

void Executor::FinishPart(MatchState& ms, size_t part_idx, Row& row) {
  PartState& ps = ms.parts[part_idx];
  if (ps.path_slot >= 0) {
    // Full records: matching may have skipped reading properties nobody else looks at.
    bool rel_records = !analysis_->paths_without_rel_records.count(ps.part);
    auto path = std::make_shared<PathData>();
    size_t hops = 0;
    for (const auto& rels : ps.rels) hops += rels.size();
    path->nodes.reserve(hops + 1);  // one allocation each, not one per doubling
    path->rels.reserve(hops);
    path->nodes.push_back(graph_.GetNode(ps.nodes[0]->id));
    for (size_t r = 0; r < ps.rels.size(); ++r) {
      uint64_t cur = path->nodes.back()->id;
      for (const auto& rel : ps.rels[r]) {
        RelRef full = rel_records ? graph_.GetRel(rel->id) : nullptr;
        path->rels.push_back(full ? full : rel);
        uint64_t next = rel->src == cur ? rel->dst : rel->src;
        path->nodes.push_back(graph_.GetNode(next));
        cur = next;
      }
    }
    row[ps.path_slot] = Value(PathRef(path));
  }
  MatchPart(ms, part_idx + 1, row);
}

bool Executor::RelMatches(const RelPattern& rp, const RelRef& rel, Row& row,
                          std::vector<std::string>& scope) {
  return PropsMatch(rp.props.get(), rel->props, row, scope);
}

template <typename Next>
void Executor::ExpandRel(MatchState& ms, size_t part_idx, int rel_idx, bool forward, Row& row,
                         const Next& next) {
  PartState& ps = ms.parts[part_idx];
  const RelPattern& rp = ps.part->rels[rel_idx];
  int from_idx = forward ? rel_idx : rel_idx + 1;
  int to_idx = forward ? rel_idx + 1 : rel_idx;
  const NodeRef& from = ps.nodes[from_idx];
  Direction dir = rp.dir;
  if (!forward && dir != Direction::kBoth) {
    dir = dir == Direction::kOut ? Direction::kIn : Direction::kOut;
  }
  const NodePattern& to_np = ps.part->nodes[to_idx];
  int to_slot = ps.node_slots[to_idx];
  int rel_slot = ps.rel_slots[rel_idx];
  // Nothing observes these relationships' properties / this node's record: skip reading them.
  // (A path variable gets full records when the path is built, in FinishPart.)
  bool rel_opaque = !rp.props && (rel_slot < 0 || (analysis_->record_free_rels.count(&rp) &&
                                                   !IsBound(ms, rel_slot)));
  bool node_opaque = to_slot < 0 && to_np.labels.empty() && !to_np.props;
  const std::vector<uint64_t>* allowed = AllowedIds(to_np, to_slot, ms);
  auto rels_of = [&](uint64_t node) {
    return rel_opaque ? graph_.RelsWithoutProperties(node, dir, rp.types)
                      : graph_.Rels(node, dir, rp.types);
  };

  // Target nodes read for their properties only (FindPropertyOnlyNodes).
  const std::vector<std::string>* partial_keys = nullptr;
  if (!rp.var_length && !node_opaque && !IsBound(ms, to_slot)) {
    auto it = analysis_->property_only_nodes.find(&to_np);
    if (it != analysis_->property_only_nodes.end()) partial_keys = &it->second;
  }

  // Arrives at `other_id` over the relationships walk[0..n) (n == 0: nobody reads them, see
  // `hops_only`); `known` is the target's node when the caller already has it. `walk` is
  // copied only once the end node is known to be allowed (the variable-length search
  // arrives at many nodes that are not).
  auto arrive = [&](uint64_t other_id, const RelRef* walk, size_t n, const NodeRef* known) {
    if (allowed && !std::binary_search(allowed->begin(), allowed->end(), other_id)) return;
    NodeRef other;
    if (IsBound(ms, to_slot)) {
      const Value& v = row[to_slot];
      if (v.type() != Value::Type::kNode || v.as_node()->id != other_id) return;
      other = v.as_node();
    } else if (node_opaque) {
      auto stub = std::make_shared<NodeData>();
      stub->id = other_id;
      other = std::move(stub);
    } else if (known) {
      if (!*known) return;
      other = *known;
    } else {
      other = graph_.GetNode(other_id);
      if (!other) return;
    }
    if (!NodeMatches(to_np, other, row, *ms.scope)) return;
    std::vector<RelRef>& rels = ps.rels[rel_idx];
    rels.assign(walk, walk + n);
    if (!forward) std::reverse(rels.begin(), rels.end());
    // Bind relationship variable.
    bool rel_new = false;
    if (rel_slot >= 0) {
      Value rv = rp.var_length ? Value(ToList(rels)) : Value(rels[0]);
      if (IsBound(ms, rel_slot)) {
        auto eq = Equals(row[rel_slot], rv);
        if (!eq || !*eq) return;
      } else {
        row[rel_slot] = std::move(rv);
        ms.assigned[rel_slot - ms.bound_before] = true;
        rel_new = true;
      }
    }
    bool node_new = BindNode(ms, to_slot, other, row);
    ps.nodes[to_idx] = std::move(other);
    next(row);
    if (node_new) Unassign(ms, to_slot, row);
    if (rel_new) Unassign(ms, rel_slot, row);
  };

  if (!rp.var_length) {
    // Nothing reads these relationships (no variable, no property map, no path): the
    // adjacency's (id, other end) pairs are enough, and no RelData is built.
    bool hops_only = rel_opaque && rel_slot < 0 && ps.path_slot < 0 && !allowed;
    std::vector<GraphAccess::Hop> hops;
    std::vector<RelRef> rels;
    if (hops_only) {
      hops = graph_.Hops(from->id, dir, rp.types);
    } else if (allowed) {
      // A known target: seek or filter adjacency keys, read only the surviving records.
      for (auto& ref : graph_.RelsTo(from->id, dir, rp.types, *allowed)) {
        if (rel_opaque) {
          rels.push_back(std::move(ref));
        } else if (RelRef full = graph_.GetRel(ref->id)) {
          rels.push_back(std::move(full));
        }
      }
    } else {
      rels = rels_of(from->id);
    }
    auto other_end = [&](const RelRef& rel) {
      if (dir == Direction::kIn) return rel->src;
      if (dir == Direction::kOut) return rel->dst;
      return rel->src == from->id ? rel->dst : rel->src;
    };
    size_t count = hops_only ? hops.size() : rels.size();
    // partial[i]: the target of the i-th relationship, read for `partial_keys` only.
    std::vector<NodeRef> partial;
    if (!node_opaque && !IsBound(ms, to_slot) && (count > 1 || partial_keys)) {
      std::vector<uint64_t> ids;
      ids.reserve(count);
      for (size_t i = 0; i < count; ++i) {
        ids.push_back(hops_only ? hops[i].other : other_end(rels[i]));
      }
      if (partial_keys) {
        partial = graph_.NodesForProperties(ids, *partial_keys);
      } else {
        graph_.PrefetchNodes(ids);
      }
    }
    for (size_t i = 0; i < count; ++i) {
      Tick();
      // (A graph breaking NodesForProperties' one-per-id contract gets whole reads.)
      const NodeRef* known = partial_keys && i < partial.size() ? &partial[i] : nullptr;
      if (hops_only) {
        if (RelUsed(ms, hops[i].rel)) continue;
        ms.used_rels.push_back(hops[i].rel);
        arrive(hops[i].other, nullptr, 0, known);
        ms.used_rels.pop_back();
        continue;
      }
      const RelRef& rel = rels[i];
      if (RelUsed(ms, rel->id)) continue;
      if (!RelMatches(rp, rel, row, *ms.scope)) continue;
      ms.used_rels.push_back(rel->id);
      arrive(other_end(rel), &rel, 1, known);
      ms.used_rels.pop_back();
    }
    return;
  }
  int64_t max_hops = rp.max_hops ? *rp.max_hops : options_.default_max_hops;
  // Both ends known (a bound node or a few nodes by name): the last hop can only be one of
  // the targets' own relationships, found once from the target side (meet in the middle).
  std::unordered_map<uint64_t, std::vector<RelRef>> last_hop;
  bool use_last_hop = false;
  std::vector<uint64_t> targets;
  if (IsBound(ms, to_slot) && row[to_slot].type() == Value::Type::kNode) {
    targets.push_back(row[to_slot].as_node()->id);
  } else if (allowed) {
    targets = *allowed;
  }
  if (max_hops >= 2 && (!targets.empty() || allowed) && targets.size() <= 16) {
    use_last_hop = true;
    Direction back = dir == Direction::kOut ? Direction::kIn
                     : dir == Direction::kIn ? Direction::kOut
                                             : Direction::kBoth;
    for (uint64_t t : targets) {
      auto rels = rel_opaque ? graph_.RelsWithoutProperties(t, back, rp.types)
                             : graph_.Rels(t, back, rp.types);
      for (auto& rel : rels) {
        uint64_t other = rel->src == t ? rel->dst : rel->src;
        if (back == Direction::kIn) other = rel->src;
        else if (back == Direction::kOut) other = rel->dst;
        last_hop[other].push_back(std::move(rel));
      }
    }
  }
  // A path variable with a known end: the walks that reach it are collected first, so the
  // nodes FinishPart reads for the paths come in one batched read; then they are replayed in
  // the order found, each with its relationships marked used as during the search.
  struct Walk {
    uint64_t end;
    std::vector<RelRef> rels;
  };
  std::vector<Walk> walks;
  bool collect = ps.path_slot >= 0 && !targets.empty();
  std::vector<RelRef> trail;
  static const std::vector<RelRef> kNone;
  std::function<void(uint64_t)> dfs = [&](uint64_t cur) {
    Tick();
    int64_t depth = static_cast<int64_t>(trail.size());
    if (depth >= rp.min_hops) {
      if (!collect) {
        arrive(cur, trail.data(), trail.size(), nullptr);
      } else if (std::find(targets.begin(), targets.end(), cur) != targets.end()) {
        walks.push_back({cur, trail});
        CheckRows(walks.size());
      }
    }
    if (depth >= max_hops) return;
    std::vector<RelRef> expanded;
    const std::vector<RelRef>* next_rels;
    if (use_last_hop && depth + 1 == max_hops) {
      auto it = last_hop.find(cur);
      next_rels = it == last_hop.end() ? &kNone : &it->second;
    } else {
      expanded = rels_of(cur);
      next_rels = &expanded;
    }
    for (const auto& rel : *next_rels) {
      if (RelUsed(ms, rel->id)) continue;
      if (!RelMatches(rp, rel, row, *ms.scope)) continue;
      uint64_t other = dir == Direction::kIn    ? rel->src
                       : dir == Direction::kOut ? rel->dst
                                                : (rel->src == cur ? rel->dst : rel->src);
      ms.used_rels.push_back(rel->id);
      trail.push_back(rel);
      dfs(other);
      trail.pop_back();
      ms.used_rels.pop_back();
    }
  };
  dfs(from->id);
  if (!collect) return;
  std::vector<uint64_t> path_nodes;
  for (const auto& w : walks) {
    uint64_t cur = from->id;
    for (const auto& rel : w.rels) {
      cur = rel->src == cur ? rel->dst : rel->src;
      path_nodes.push_back(cur);
    }
  }
  graph_.PrefetchNodes(path_nodes);
  for (const auto& w : walks) {
    for (const auto& rel : w.rels) ms.used_rels.push_back(rel->id);
    arrive(w.end, w.rels.data(), w.rels.size(), nullptr);
    ms.used_rels.resize(ms.used_rels.size() - w.rels.size());
  }
}

List Executor::ToList(const std::vector<RelRef>& rels) {
  List l;
  for (const auto& r : rels) l.push_back(Value(r));
  return l;
}

}  // namespace kg::query::exec
