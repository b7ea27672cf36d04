// Decided once per query from how later clauses use each variable: records the matcher
// may leave unread (relationship records of paths, nodes read for a few properties,
// relationship variables read only by id/type/evidence) and evidence UNWINDs that need a few
// map keys only.

#include "executor_internal.h"

namespace kg::query::exec {

// ---- Paths whose relationship records nobody reads
//
// A path variable used only as `nodes(p)` or `length(p)` never shows its relationships'
// properties, so FinishPart may keep the adjacency refs the matcher found instead of reading
// every relationship record (two point reads each). Decided per pattern part from every later
// mention of the variable's name in the same single query; any other mention (`p`, `RETURN *`,
// `relationships(p)`, a shadowing alias...) keeps the full records.
bool Executor::OnlyNodesOrLength(const Expr& e, const std::string& var) {
  if (e.kind == ExprKind::kVar) return e.name != var;
  if ((e.kind == ExprKind::kListComp || e.kind == ExprKind::kQuantifier) && e.name == var) {
    return false;
  }
  if (e.kind == ExprKind::kCall && e.args.size() == 1 && e.args[0] &&
      e.args[0]->kind == ExprKind::kVar && e.args[0]->name == var) {
    return e.function == FunctionKey("nodes") || e.function == FunctionKey("length");
  }
  for (const auto& a : e.args) {
    if (a && !OnlyNodesOrLength(*a, var)) return false;
  }
  return true;
}

// True when every expression of clause `c` passes `expr_ok` and nothing in it binds, rebinds
// or wholesale copies (`*`) the variable `var`.
template <typename ExprOk>
bool Executor::ClauseExprsOk(const Clause& c, const std::string& var, const ExprOk& expr_ok) {
  auto ok = [&](const ExprPtr& e) { return !e || expr_ok(*e); };
  for (const auto& part : c.patterns) {
    if (part.path_var == var) return false;
    for (const auto& n : part.nodes) {
      if (n.var == var || !ok(n.props)) return false;
    }
    for (const auto& r : part.rels) {
      if (r.var == var || !ok(r.props)) return false;
    }
  }
  if (!ok(c.where) || !ok(c.expr) || c.alias == var) return false;
  const Projection& p = c.projection;
  if (p.star || !ok(p.skip) || !ok(p.limit) || !ok(p.where)) return false;
  for (const auto& it : p.items) {
    if (!ok(it.expr)) return false;
  }
  for (const auto& it : p.order) {
    if (!ok(it.expr)) return false;
  }
  for (const auto& a : c.args) {
    if (!ok(a)) return false;
  }
  if (c.yield_star) return false;
  for (const auto& [field, alias] : c.yields) {
    if (alias == var) return false;
  }
  return true;
}

void Executor::FindPathsWithoutRelRecords(const std::vector<Clause>& clauses,
                                          QueryAnalysis& out) {
  for (size_t ci = 0; ci < clauses.size(); ++ci) {
    if (clauses[ci].kind != Clause::Kind::kMatch) continue;
    for (const auto& part : clauses[ci].patterns) {
      if (part.path_var.empty()) continue;
      bool lazy = true;
      for (size_t cj = ci; cj < clauses.size() && lazy; ++cj) {
        if (cj == ci) {
          // The MATCH itself: its WHERE and its other patterns' property maps.
          Clause const& m = clauses[ci];
          lazy = !m.where || OnlyNodesOrLength(*m.where, part.path_var);
          for (const auto& other : m.patterns) {
            if (&other != &part && other.path_var == part.path_var) lazy = false;
            for (const auto& n : other.nodes) {
              if (n.var == part.path_var) lazy = false;
              if (n.props && !OnlyNodesOrLength(*n.props, part.path_var)) lazy = false;
            }
            for (const auto& r : other.rels) {
              if (r.var == part.path_var) lazy = false;
              if (r.props && !OnlyNodesOrLength(*r.props, part.path_var)) lazy = false;
            }
          }
        } else {
          lazy = ClauseExprsOk(clauses[cj], part.path_var, [&](const Expr& e) {
            return OnlyNodesOrLength(e, part.path_var);
          });
        }
      }
      if (lazy) out.paths_without_rel_records.insert(&part);
    }
  }
}

// ---- UNWIND of evidence maps read only through a few properties
//
// `UNWIND evidence(r) AS ev` (or a CASE choosing between evidence(r) and other lists) followed
// by clauses that use `ev` only as `ev.key`, `count(ev)` or `ev IS [NOT] NULL` cannot observe
// the map keys it never names: the maps are built with the named keys only (the G-7 question
// reads two of ten). Any other use of the name keeps whole maps.
bool Executor::NoEvidenceCall(const Expr& e) {
  if (IsCall(e, FunctionKey("evidence"))) return false;
  for (const auto& a : e.args) {
    if (a && !NoEvidenceCall(*a)) return false;
  }
  return true;
}

// evidence() appears only where its list is the UNWIND's list (not inspected on the way).
bool Executor::EvidenceOnlyAsResult(const Expr& e) {
  if (IsCall(e, FunctionKey("evidence"))) {
    for (const auto& a : e.args) {
      if (a && !NoEvidenceCall(*a)) return false;
    }
    return true;
  }
  if (e.kind == ExprKind::kCase) {
    // args: [test|null, when, then, ..., else|null]
    if (e.args.empty() || (e.args[0] && !NoEvidenceCall(*e.args[0]))) return false;
    for (size_t i = 1; i + 1 < e.args.size(); i += 2) {
      if (!NoEvidenceCall(*e.args[i]) || !EvidenceOnlyAsResult(*e.args[i + 1])) return false;
    }
    if (e.args.size() % 2 == 0 && e.args.back() && !EvidenceOnlyAsResult(*e.args.back())) {
      return false;
    }
    return true;
  }
  return NoEvidenceCall(e);
}

bool Executor::OnlyPropertyUses(const Expr& e, const std::string& var,
                                std::set<std::string>& keys) {
  return OnlyKeyReads(e, var, keys, /*count_and_id=*/true);
}

// Node variables of a MATCH that every clause reads only as `n.key`, `id(n)`, `n IS NULL` or
// `count(n)` (never whole: returned, compared, in a path, passed on by WITH...), and whose
// patterns have no labels or property maps: an expansion reaching them reads only those keys
// of their records (GraphAccess::NodesForProperties).
void Executor::FindPropertyOnlyNodes(const std::vector<Clause>& clauses, QueryAnalysis& out) {
  for (size_t ci = 0; ci < clauses.size(); ++ci) {
    const Clause& m = clauses[ci];
    if (m.kind != Clause::Kind::kMatch) continue;
    for (const auto& part : m.patterns) {
      for (const auto& np : part.nodes) {
        if (np.var.empty()) continue;
        const std::string& var = np.var;
        std::set<std::string> keys;
        auto ok = [&](const ExprPtr& e) { return !e || OnlyPropertyUses(*e, var, keys); };
        // Variable-length expansions read their targets one by one (no batch to narrow).
        bool partial = ok(m.where) && std::none_of(part.rels.begin(), part.rels.end(),
                                                   [](const RelPattern& r) {
                                                     return r.var_length;
                                                   });
        for (const auto& other : m.patterns) {
          bool mentions = other.path_var == var;
          for (const auto& n : other.nodes) {
            if (n.var == var) {
              mentions = true;
              if (!n.labels.empty() || n.props) partial = false;
            } else if (!ok(n.props)) {
              partial = false;
            }
          }
          for (const auto& r : other.rels) {
            if (r.var == var || !ok(r.props)) partial = false;
          }
          if (mentions && !other.path_var.empty()) partial = false;
        }
        for (size_t cj = ci + 1; cj < clauses.size() && partial; ++cj) {
          partial = ClauseExprsOk(clauses[cj], var, [&](const Expr& e) {
            return OnlyPropertyUses(e, var, keys);
          });
        }
        if (partial) out.property_only_nodes[&np] = {keys.begin(), keys.end()};
      }
    }
  }
}

// ---- Relationship variables whose records nobody reads
//
// A relationship variable of a fixed-length pattern without a property map, outside a path,
// that every clause uses only as type(r), id(r), evidence(r), size(evidence(r)), count(r) or
// r IS [NOT] NULL never shows its properties: the matcher binds it to the adjacency's
// reference (id, ends, type) without reading the relationship record (the G-7 question's
// `s`). Any other use (returned, compared, `r.key`, passed on by WITH, a later pattern) keeps
// whole records.
bool Executor::RecordFreeUses(const Expr& e, const std::string& var) {
  auto is_var = [&](const ExprPtr& a) {
    return a && a->kind == ExprKind::kVar && a->name == var;
  };
  if (e.kind == ExprKind::kVar) return e.name != var;
  if ((e.kind == ExprKind::kListComp || e.kind == ExprKind::kQuantifier) && e.name == var) {
    return false;
  }
  if ((e.kind == ExprKind::kIsNull || e.kind == ExprKind::kIsNotNull) && e.args.size() == 1 &&
      is_var(e.args[0])) {
    return true;
  }
  if (e.kind == ExprKind::kCall && !e.distinct && e.args.size() == 1 && is_var(e.args[0])) {
    return e.function == FunctionKey("type") || e.function == FunctionKey("id") ||
           e.function == FunctionKey("evidence") || e.function == FunctionKey("count");
  }
  for (const auto& a : e.args) {
    if (a && !RecordFreeUses(*a, var)) return false;
  }
  return true;
}

void Executor::FindRecordFreeRels(const std::vector<Clause>& clauses, QueryAnalysis& out) {
  for (size_t ci = 0; ci < clauses.size(); ++ci) {
    const Clause& m = clauses[ci];
    if (m.kind != Clause::Kind::kMatch) continue;
    for (const auto& part : m.patterns) {
      if (!part.path_var.empty()) continue;
      for (const auto& rp : part.rels) {
        if (rp.var.empty() || rp.var_length || rp.props) continue;
        const std::string& var = rp.var;
        auto ok = [&](const ExprPtr& e) { return !e || RecordFreeUses(*e, var); };
        bool free = ok(m.where);
        for (const auto& other : m.patterns) {
          if (other.path_var == var) free = false;
          for (const auto& n : other.nodes) {
            if (n.var == var || !ok(n.props)) free = false;
          }
          for (const auto& r : other.rels) {
            if ((&r != &rp && r.var == var) || !ok(r.props)) free = false;
          }
        }
        for (size_t cj = ci + 1; cj < clauses.size() && free; ++cj) {
          free = ClauseExprsOk(clauses[cj], var,
                               [&](const Expr& e) { return RecordFreeUses(e, var); });
        }
        if (free) out.record_free_rels.insert(&rp);
      }
    }
  }
}

void Executor::FindEvidenceUnwinds(const std::vector<Clause>& clauses, QueryAnalysis& out) {
  for (size_t ci = 0; ci < clauses.size(); ++ci) {
    const Clause& u = clauses[ci];
    if (u.kind != Clause::Kind::kUnwind || !u.expr || NoEvidenceCall(*u.expr) ||
        !EvidenceOnlyAsResult(*u.expr)) {
      continue;
    }
    std::set<std::string> keys;
    bool ok = true;
    for (size_t cj = ci + 1; cj < clauses.size() && ok; ++cj) {
      ok = ClauseExprsOk(clauses[cj], u.alias, [&](const Expr& e) {
        return OnlyPropertyUses(e, u.alias, keys);
      });
    }
    if (ok) {
      out.evidence_keys[&u] = std::move(keys);
      // Followed by a WITH or RETURN that aggregates, or projects without DISTINCT: the
      // projection consumes the unwound rows as they are made instead of a table of them
      // (RunUnwind / RunProjection).
      if (ci + 1 < clauses.size() && (IsAggregatingProjection(clauses[ci + 1]) ||
                                      IsPlainProjection(clauses[ci + 1]))) {
        out.fused_unwinds.insert(&u);
      }
    }
  }
}

// True when `e` may differ between rows that differ only in `var`'s column: it names `var`
// anywhere (also as a comprehension's own variable: conservative) or calls rand().
bool Executor::VariesWith(const Expr& e, const std::string& var) {
  if (e.kind == ExprKind::kVar && e.name == var) return true;
  if ((e.kind == ExprKind::kListComp || e.kind == ExprKind::kQuantifier) && e.name == var) {
    return true;
  }
  if (IsCall(e, FunctionKey("rand"))) return true;
  for (const auto& a : e.args) {
    if (a && VariesWith(*a, var)) return true;
  }
  return false;
}

bool Executor::IsPlainProjection(const Clause& c) {
  if (c.kind != Clause::Kind::kWith && c.kind != Clause::Kind::kReturn) return false;
  return !c.projection.star && !c.projection.distinct;
}

bool Executor::IsAggregatingProjection(const Clause& c) {
  if (c.kind != Clause::Kind::kWith && c.kind != Clause::Kind::kReturn) return false;
  if (c.projection.star) return false;
  return std::any_of(c.projection.items.begin(), c.projection.items.end(),
                     [](const auto& it) { return ContainsAggregate(*it.expr); });
}

std::shared_ptr<const QueryAnalysis> Executor::Analyze(const Query& query) {
  auto analysis = std::make_shared<QueryAnalysis>();
  for (const auto& part : query.parts) {
    for (const auto& c : part.clauses) {
      if (c.kind == Clause::Kind::kDelete || c.kind == Clause::Kind::kSet ||
          c.kind == Clause::Kind::kRemove || c.kind == Clause::Kind::kMerge) {
        return analysis;
      }
    }
  }
  for (const auto& part : query.parts) {
    FindPathsWithoutRelRecords(part.clauses, *analysis);
    FindEvidenceUnwinds(part.clauses, *analysis);
    FindPropertyOnlyNodes(part.clauses, *analysis);
    FindRecordFreeRels(part.clauses, *analysis);
  }
  return analysis;
}

}  // namespace kg::query::exec

namespace kg::query {

std::shared_ptr<const QueryAnalysis> Analyze(const Query& query) {
  return exec::Executor::Analyze(query);
}

}  // namespace kg::query
