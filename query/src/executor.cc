#include "executor.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "eval.h"
#include "procedures.h"
#include "query_error.h"

namespace kg::query {
namespace {

using Clock = std::chrono::steady_clock;
using Row = std::vector<Value>;

struct Table {
  std::vector<std::string> scope;
  std::vector<Row> rows;
};

// Hashing consistent with OrderCompare's equivalence (the equivalence of DISTINCT and grouping
// keys): values that compare equal hash equal. Numbers hash by their double value (equal numbers,
// integer or float, have equal doubles), every NaN alike; maps by keys and values; graph
// elements by id.
size_t Mix(size_t h, size_t v) { return h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)); }

size_t HashValue(const Value& v) {
  switch (v.type()) {
    case Value::Type::kNull: return 0x51;
    case Value::Type::kBool: return v.as_bool() ? 0x61 : 0x62;
    case Value::Type::kInt:
    case Value::Type::kFloat: {
      double d = v.as_number();
      if (std::isnan(d)) return 0x71;
      return std::hash<double>()(d + 0.0);  // -0.0 and 0.0 alike
    }
    case Value::Type::kString: return std::hash<std::string>()(v.as_string());
    case Value::Type::kList: {
      size_t h = 0x81;
      for (const auto& x : v.as_list()) h = Mix(h, HashValue(x));
      return h;
    }
    case Value::Type::kMap: {
      size_t h = 0x91;
      for (const auto& [k, x] : v.as_map()) {
        h = Mix(Mix(h, std::hash<std::string>()(k)), HashValue(x));
      }
      return h;
    }
    case Value::Type::kNode: return Mix(0xa1, v.as_node()->id);
    case Value::Type::kRel: return Mix(0xb1, v.as_rel()->id);
    case Value::Type::kPath: {
      size_t h = 0xc1;
      for (const auto& n : v.as_path()->nodes) h = Mix(h, n->id);
      for (const auto& r : v.as_path()->rels) h = Mix(h, r->id);
      return h;
    }
  }
  return 0;
}

struct RowHash {
  size_t operator()(const std::vector<Value>& row) const {
    size_t h = row.size();
    for (const auto& v : row) h = Mix(h, HashValue(v));
    return h;
  }
};
struct RowEq {
  bool operator()(const std::vector<Value>& a, const std::vector<Value>& b) const {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (OrderCompare(a[i], b[i]) != 0) return false;
    }
    return true;
  }
};

bool IsHidden(const std::string& name) { return !name.empty() && name[0] == ' '; }

std::string Describe(const PatternPart& part) {
  std::string out;
  if (!part.path_var.empty()) out += part.path_var + " = ";
  auto node = [](const NodePattern& n) {
    std::string s = "(" + n.var;
    for (const auto& l : n.labels) s += ":" + l;
    if (n.props) s += " {..}";
    return s + ")";
  };
  out += node(part.nodes[0]);
  for (size_t i = 0; i < part.rels.size(); ++i) {
    const auto& r = part.rels[i];
    out += r.dir == Direction::kIn ? "<-[" : "-[";
    out += r.var;
    for (size_t t = 0; t < r.types.size(); ++t) out += (t ? "|" : ":") + r.types[t];
    if (r.var_length) {
      out += "*" + std::to_string(r.min_hops) + "..";
      if (r.max_hops) out += std::to_string(*r.max_hops);
    }
    out += r.dir == Direction::kOut ? "]->" : "]-";
    out += node(part.nodes[i + 1]);
  }
  return out;
}

// How the matcher finds the first node of a pattern part.
struct StartHint {
  enum class Kind { kBound, kId, kName, kLabel, kScan } kind = Kind::kScan;
  const Expr* value = nullptr;  // id or name expression (constant or parameter)
  std::string label;
};

class Executor {
 public:
  Executor(GraphAccess& graph, const Map& params, const QueryOptions& options,
           std::string_view text)
      : graph_(graph), options_(options), text_(text) {
    ctx_.graph = &graph;
    ctx_.params = &params;
    if (options.timeout_ms > 0) {
      deadline_ = Clock::now() + std::chrono::milliseconds(options.timeout_ms);
    }
  }

  QueryResult Run(const Query& query) {
    QueryResult result;
    result.explain = query.explain;
    result.profile = query.profile;
    profile_ = query.profile || query.explain;
    explain_only_ = query.explain;
    std::set<Row, RowLess> seen;
    for (const auto& part : query.parts) {
      FindPathsWithoutRelRecords(part.clauses);
      FindEvidenceUnwinds(part.clauses);
      FindPropertyOnlyNodes(part.clauses);
      FindRecordFreeRels(part.clauses);
    }
    for (size_t part_idx = 0; part_idx < query.parts.size(); ++part_idx) {
      Table table;
      table.rows.emplace_back();
      columns_.clear();
      ordered_ = false;
      const auto& clauses = query.parts[part_idx].clauses;
      for (size_t ci = 0; ci < clauses.size(); ++ci) {
        auto start = Clock::now();
        size_t plan_idx = plan_.size();
        plan_.push_back({});
        if (ci + 1 < clauses.size() && TryRelAggregate(clauses[ci], clauses[ci + 1], table)) {
          ++ci;  // the projection ran inside
        } else {
          RunClause(clauses[ci], table);
        }
        plan_[plan_idx].rows = static_cast<int64_t>(table.rows.size());
        plan_[plan_idx].millis =
            std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      }
      if (part_idx == 0) {
        result.columns = columns_;
      } else if (columns_ != result.columns) {
        throw QueryError("SyntaxError", "DifferentColumnsInUnion",
                         "all parts of a UNION must return the same columns");
      }
      if (columns_.empty()) continue;
      bool distinct_union = part_idx > 0 && !query.union_all[part_idx - 1];
      if (distinct_union && part_idx == 1) {
        std::vector<Row> unique;
        for (auto& row : result.rows) {
          if (seen.insert(row).second) unique.push_back(std::move(row));
        }
        result.rows = std::move(unique);
      }
      for (auto& row : table.rows) {
        if (distinct_union || (part_idx + 1 < query.parts.size() && !query.union_all[part_idx])) {
          if (!seen.insert(row).second) continue;
        }
        result.rows.push_back(std::move(row));
      }
      result.ordered = ordered_ && query.parts.size() == 1;
    }
    if (static_cast<int64_t>(result.rows.size()) > options_.max_result_rows) {
      throw QueryError("LimitExceeded", "RowCap",
                       "the result has more than " + std::to_string(options_.max_result_rows) +
                           " rows (raise the row cap or add LIMIT)");
    }
    result.plan = std::move(plan_);
    result.nodes_created = nodes_created_;
    result.rels_created = rels_created_;
    if (explain_only_) result.rows.clear();
    return result;
  }

 private:
  // ---- limits
  void Tick() {
    if ((++ticks_ & 1023) == 0 && options_.timeout_ms > 0 && Clock::now() > deadline_) {
      throw QueryError("TimeoutError", "QueryTimeout",
                       "the query ran longer than " + std::to_string(options_.timeout_ms) +
                           " ms (raise --timeout)");
    }
  }
  void CheckRows(size_t n) {
    if (static_cast<int64_t>(n) > options_.max_intermediate_rows) {
      throw QueryError("LimitExceeded", "MemoryCap",
                       "an intermediate result exceeded " +
                           std::to_string(options_.max_intermediate_rows) + " rows");
    }
  }

  Value EvalIn(const Expr& e, Row& row, std::vector<std::string>& scope) {
    return Eval(e, row, scope, ctx_);
  }

  void RunClause(const Clause& c, Table& t) {
    auto& op = plan_.back();
    switch (c.kind) {
      case Clause::Kind::kMatch:
        op.name = std::string(c.optional ? "OptionalMatch " : "Match ");
        for (size_t i = 0; i < c.patterns.size(); ++i) {
          op.name += (i ? ", " : "") + Describe(c.patterns[i]);
        }
        if (c.where) op.name += " WHERE " + Text(*c.where);
        RunMatch(c, t);
        break;
      case Clause::Kind::kUnwind:
        op.name = "Unwind " + Text(*c.expr) + " AS " + c.alias;
        if (!explain_only_) RunUnwind(c, t);
        else t.scope.push_back(c.alias);
        break;
      case Clause::Kind::kWith:
      case Clause::Kind::kReturn:
        op.name = c.kind == Clause::Kind::kWith ? "With" : "Return";
        if (c.projection.distinct) op.name += " DISTINCT";
        for (size_t i = 0; i < c.projection.items.size(); ++i) {
          op.name += (i ? ", " : " ") + c.projection.items[i].alias;
        }
        if (!c.projection.order.empty()) op.name += " ORDER BY ..";
        if (c.projection.skip) op.name += " SKIP " + Text(*c.projection.skip);
        if (c.projection.limit) op.name += " LIMIT " + Text(*c.projection.limit);
        RunProjection(c.projection, t, c.kind == Clause::Kind::kReturn);
        break;
      case Clause::Kind::kCreate:
        op.name = "Create ";
        for (size_t i = 0; i < c.patterns.size(); ++i) {
          op.name += (i ? ", " : "") + Describe(c.patterns[i]);
        }
        RunCreate(c, t);
        break;
      case Clause::Kind::kCall:
        op.name = "Call " + c.procedure;
        RunCall(c, t);
        break;
    }
  }

  std::string Text(const Expr& e) const {
    if (e.end <= e.begin || e.end > text_.size()) return "?";
    return std::string(text_.substr(e.begin, e.end - e.begin));
  }

  // ---- Paths whose relationship records nobody reads
  //
  // A path variable used only as `nodes(p)` or `length(p)` never shows its relationships'
  // properties, so FinishPart may keep the adjacency refs the matcher found instead of reading
  // every relationship record (two point reads each). Decided per pattern part from every later
  // mention of the variable's name in the same single query; any other mention (`p`, `RETURN *`,
  // `relationships(p)`, a shadowing alias...) keeps the full records.
  static bool OnlyNodesOrLength(const Expr& e, const std::string& var) {
    if (e.kind == ExprKind::kVar) return e.name != var;
    if ((e.kind == ExprKind::kListComp || e.kind == ExprKind::kQuantifier) && e.name == var) {
      return false;
    }
    if (e.kind == ExprKind::kCall && e.args.size() == 1 && e.args[0] &&
        e.args[0]->kind == ExprKind::kVar && e.args[0]->name == var) {
      std::string name = Lower(e.name);
      return name == "nodes" || name == "length";
    }
    for (const auto& a : e.args) {
      if (a && !OnlyNodesOrLength(*a, var)) return false;
    }
    return true;
  }

  // True when every expression of clause `c` passes `expr_ok` and nothing in it binds, rebinds
  // or wholesale copies (`*`) the variable `var`.
  template <typename ExprOk>
  static bool ClauseExprsOk(const Clause& c, const std::string& var, const ExprOk& expr_ok) {
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

  void FindPathsWithoutRelRecords(const std::vector<Clause>& clauses) {
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
        if (lazy) paths_without_rel_records_.insert(&part);
      }
    }
  }

  // ---- UNWIND of evidence maps read only through a few properties
  //
  // `UNWIND evidence(r) AS ev` (or a CASE choosing between evidence(r) and other lists) followed
  // by clauses that use `ev` only as `ev.key`, `count(ev)` or `ev IS [NOT] NULL` cannot observe
  // the map keys it never names: the maps are built with the named keys only (the G-7 question
  // reads two of ten). Any other use of the name keeps whole maps.
  static bool NoEvidenceCall(const Expr& e) {
    if (e.kind == ExprKind::kCall && Lower(e.name) == "evidence") return false;
    for (const auto& a : e.args) {
      if (a && !NoEvidenceCall(*a)) return false;
    }
    return true;
  }

  // evidence() appears only where its list is the UNWIND's list (not inspected on the way).
  static bool EvidenceOnlyAsResult(const Expr& e) {
    if (e.kind == ExprKind::kCall && Lower(e.name) == "evidence") {
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

  static bool OnlyPropertyUses(const Expr& e, const std::string& var,
                               std::set<std::string>& keys) {
    auto is_var = [&](const ExprPtr& a) {
      return a && a->kind == ExprKind::kVar && a->name == var;
    };
    if (e.kind == ExprKind::kVar) return e.name != var;
    if ((e.kind == ExprKind::kListComp || e.kind == ExprKind::kQuantifier) && e.name == var) {
      return false;
    }
    if (e.kind == ExprKind::kProperty && e.args.size() == 1 && is_var(e.args[0])) {
      keys.insert(e.name);
      return true;
    }
    if ((e.kind == ExprKind::kIsNull || e.kind == ExprKind::kIsNotNull) && e.args.size() == 1 &&
        is_var(e.args[0])) {
      return true;
    }
    if (e.kind == ExprKind::kCall && !e.distinct && e.args.size() == 1 && is_var(e.args[0]) &&
        (Lower(e.name) == "count" || Lower(e.name) == "id")) {
      return true;
    }
    for (const auto& a : e.args) {
      if (a && !OnlyPropertyUses(*a, var, keys)) return false;
    }
    return true;
  }

  // Node variables of a MATCH that every clause reads only as `n.key`, `id(n)`, `n IS NULL` or
  // `count(n)` (never whole: returned, compared, in a path, passed on by WITH...), and whose
  // patterns have no labels or property maps: an expansion reaching them reads only those keys
  // of their records (GraphAccess::NodesForProperties).
  void FindPropertyOnlyNodes(const std::vector<Clause>& clauses) {
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
          if (partial) property_only_nodes_[&np] = {keys.begin(), keys.end()};
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
  static bool RecordFreeUses(const Expr& e, const std::string& var) {
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
      std::string name = Lower(e.name);
      return name == "type" || name == "id" || name == "evidence" || name == "count";
    }
    for (const auto& a : e.args) {
      if (a && !RecordFreeUses(*a, var)) return false;
    }
    return true;
  }

  void FindRecordFreeRels(const std::vector<Clause>& clauses) {
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
          if (free) record_free_rels_.insert(&rp);
        }
      }
    }
  }

  void FindEvidenceUnwinds(const std::vector<Clause>& clauses) {
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
        evidence_keys_[&u] = std::move(keys);
        // Followed by an aggregating projection: the aggregation consumes the unwound rows as
        // they are made instead of a table of them (RunUnwind / RunProjection).
        if (ci + 1 < clauses.size() && IsAggregatingProjection(clauses[ci + 1])) {
          fused_unwinds_.insert(&u);
        }
      }
    }
  }

  // True when `e` may differ between rows that differ only in `var`'s column: it names `var`
  // anywhere (also as a comprehension's own variable: conservative) or calls rand().
  static bool VariesWith(const Expr& e, const std::string& var) {
    if (e.kind == ExprKind::kVar && e.name == var) return true;
    if ((e.kind == ExprKind::kListComp || e.kind == ExprKind::kQuantifier) && e.name == var) {
      return true;
    }
    if (e.kind == ExprKind::kCall && Lower(e.name) == "rand") return true;
    for (const auto& a : e.args) {
      if (a && VariesWith(*a, var)) return true;
    }
    return false;
  }

  static bool IsAggregatingProjection(const Clause& c) {
    if (c.kind != Clause::Kind::kWith && c.kind != Clause::Kind::kReturn) return false;
    if (c.projection.star) return false;
    return std::any_of(c.projection.items.begin(), c.projection.items.end(),
                       [](const auto& it) { return ContainsAggregate(*it.expr); });
  }

  // ---- UNWIND
  void RunUnwind(const Clause& c, Table& t) {
    if (fused_unwinds_.count(&c)) {
      // The next clause (an aggregating projection) makes the rows: t.rows stay the input.
      pending_unwind_ = &c;
      pending_unwind_plan_ = plan_.size() - 1;
      t.scope.push_back(c.alias);
      return;
    }
    std::vector<Row> out;
    UnwindEach(c, t.rows, t.scope, [&](Row& row) { out.push_back(row); });
    t.scope.push_back(c.alias);
    t.rows = std::move(out);
  }

  // Calls fn(row) for each row UNWIND `c` makes from `rows` (named by `scope`, without c's
  // alias): the input row with the item appended, valid only during the call. Applies the
  // intermediate-row cap to the rows made. Returns how many it made.
  template <typename Fn>
  size_t UnwindEach(const Clause& c, std::vector<Row>& rows, std::vector<std::string>& scope,
                    Fn&& fn) {
    auto keys = evidence_keys_.find(&c);
    size_t made = 0;
    for (auto& row : rows) {
      if (keys != evidence_keys_.end()) ctx_.evidence_keys = &keys->second;
      Value v = EvalIn(*c.expr, row, scope);
      ctx_.evidence_keys = nullptr;
      if (v.is_null()) continue;
      row.emplace_back();
      auto emit = [&](const Value& item) {
        row.back() = item;
        CheckRows(++made);
        fn(row);
        Tick();
      };
      if (v.type() == Value::Type::kList) {
        for (const auto& item : v.as_list()) emit(item);
      } else {
        emit(v);
      }
      row.pop_back();
    }
    return made;
  }

  // ---- CALL
  void RunCall(const Clause& c, Table& t) {
    std::vector<Row> out;
    std::vector<std::string> fields;
    std::vector<std::string> new_scope = t.scope;
    bool first = true;
    std::vector<int> pick;
    for (auto& row : t.rows) {
      std::vector<Value> args;
      for (const auto& a : c.args) args.push_back(EvalIn(*a, row, t.scope));
      ProcedureResult pr = CallProcedure(graph_, c.procedure, args, options_);
      if (first) {
        first = false;
        fields = pr.fields;
        if (c.yield_star) {
          for (size_t i = 0; i < fields.size(); ++i) {
            pick.push_back(static_cast<int>(i));
            new_scope.push_back(fields[i]);
          }
        } else {
          for (const auto& [field, alias] : c.yields) {
            auto it = std::find(fields.begin(), fields.end(), field);
            if (it == fields.end()) {
              throw QueryError("SyntaxError", "UndefinedVariable",
                               c.procedure + " has no output field '" + field + "'", c.offset);
            }
            pick.push_back(static_cast<int>(it - fields.begin()));
            new_scope.push_back(alias);
          }
        }
      }
      for (auto& prow : pr.rows) {
        Row r = row;
        for (int idx : pick) r.push_back(prow[idx]);
        if (c.where) {
          if (!IsTrue(EvalIn(*c.where, r, new_scope))) continue;
        }
        out.push_back(std::move(r));
        CheckRows(out.size());
        Tick();
      }
    }
    if (first) {
      ProcedureResult pr = CallProcedureSignature(c.procedure);
      if (c.yield_star) {
        for (const auto& f : pr.fields) new_scope.push_back(f);
      } else {
        for (const auto& y : c.yields) new_scope.push_back(y.second);
      }
    }
    t.scope = std::move(new_scope);
    t.rows = std::move(out);
  }

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
  enum class RelAgg { kCount, kEvidence };

  static bool OnlyUses(const Expr& e, const std::string& var) {
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

  static std::optional<RelAgg> RelAggregateOf(const Expr& e, const std::string& rel_var) {
    if (e.kind == ExprKind::kCountStar) return RelAgg::kCount;
    if (e.kind != ExprKind::kCall || e.distinct || e.args.size() != 1) return std::nullopt;
    const Expr& arg = *e.args[0];
    auto is_rel = [&](const Expr& x) {
      return !rel_var.empty() && x.kind == ExprKind::kVar && x.name == rel_var;
    };
    std::string name = Lower(e.name);
    if (name == "count" && is_rel(arg)) return RelAgg::kCount;
    if (name == "sum" && arg.kind == ExprKind::kCall && Lower(arg.name) == "size" &&
        arg.args.size() == 1 && arg.args[0]->kind == ExprKind::kCall &&
        Lower(arg.args[0]->name) == "evidence" && arg.args[0]->args.size() == 1 &&
        is_rel(*arg.args[0]->args[0])) {
      return RelAgg::kEvidence;
    }
    return std::nullopt;
  }

  bool TryRelAggregate(const Clause& m, const Clause& c, Table& t) {
    if (m.kind != Clause::Kind::kMatch || m.optional || m.where || m.patterns.size() != 1) {
      return false;
    }
    if (c.kind != Clause::Kind::kWith && c.kind != Clause::Kind::kReturn) return false;
    if (!t.scope.empty() || t.rows.size() != 1) return false;
    const PatternPart& part = m.patterns[0];
    if (part.nodes.size() != 2 || !part.path_var.empty()) return false;
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
    FinishProjection(p, exprs, aliases, std::move(projected), {}, false, t,
                     c.kind == Clause::Kind::kReturn);
    return true;
  }

  // ---- MATCH
  struct PartState {
    const PatternPart* part = nullptr;
    std::vector<int> node_slots;  // -1 = anonymous
    std::vector<int> rel_slots;
    int path_slot = -1;
    int start = 0;
    StartHint hint;
    // DFS state
    std::vector<NodeRef> nodes;
    std::vector<std::vector<RelRef>> rels;  // per rel pattern, in left-to-right order
  };

  struct MatchState {
    std::vector<PartState> parts;
    size_t bound_before = 0;         // slots < this were bound by earlier clauses
    std::vector<bool> assigned;      // for slots >= bound_before
    std::vector<uint64_t> used_rels; // relationship uniqueness within the clause
    const Expr* where = nullptr;
    std::vector<std::string>* scope = nullptr;
    std::vector<Row>* out = nullptr;
  };

  int SlotFor(const std::string& var, std::vector<std::string>& scope) {
    if (var.empty()) return -1;
    for (size_t i = 0; i < scope.size(); ++i) {
      if (scope[i] == var) return static_cast<int>(i);
    }
    scope.push_back(var);
    return static_cast<int>(scope.size() - 1);
  }

  // Finds `WHERE v.name = <const>` and `WHERE id(v) = <const>` among the top-level conjuncts.
  static void CollectHints(const Expr* where, std::map<std::string, const Expr*>& names,
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
      if (a->kind == ExprKind::kCall && Lower(a->name) == "id" && a->args.size() == 1 &&
          a->args[0]->kind == ExprKind::kVar) {
        ids[a->args[0]->name] = b;
      }
    }
  }

  static const Expr* NameInProps(const NodePattern& n) {
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

  void RunMatch(const Clause& c, Table& t) {
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
      const char* kinds[] = {"bound variable", "id lookup", "name/alias index", "label index",
                             "all-nodes scan"};
      std::string start_var = part.nodes[ps.start].var.empty() ? "anonymous node"
                                                               : part.nodes[ps.start].var;
      if (!detail.empty()) detail += "; ";
      detail += "start " + start_var + " by " + kinds[static_cast<int>(ps.hint.kind)];
      if (ps.hint.kind == StartHint::Kind::kLabel) detail += " :" + ps.hint.label;
      if (!part.rels.empty()) detail += ", expand by adjacency prefix seek";
      for (size_t i = 0; i < part.nodes.size(); ++i) {
        auto it = property_only_nodes_.find(&part.nodes[i]);
        if (it == property_only_nodes_.end() || static_cast<int>(i) == ps.start ||
            seen_vars.count(part.nodes[i].var)) {
          continue;
        }
        detail += ", reading only properties {";
        for (size_t k = 0; k < it->second.size(); ++k) detail += (k ? ", " : "") + it->second[k];
        detail += "} of " + part.nodes[i].var;
      }
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
    plan_.back().detail = detail;
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

  bool IsBound(const MatchState& ms, int slot) const {
    if (slot < 0) return false;
    if (static_cast<size_t>(slot) < ms.bound_before) return true;
    return ms.assigned[slot - ms.bound_before];
  }

  void MatchPart(MatchState& ms, size_t part_idx, Row& row) {
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
  const std::vector<uint64_t>* AllowedIds(const NodePattern& np, int slot, const MatchState& ms) {
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

  static bool SameNode(const Value& v, const NodeRef& n) {
    return v.type() == Value::Type::kNode && v.as_node()->id == n->id;
  }

  // Binds `slot` to `node` when it is unbound; returns true when it did (caller unbinds).
  bool BindNode(MatchState& ms, int slot, const NodeRef& node, Row& row) {
    if (slot < 0 || IsBound(ms, slot)) return false;
    row[slot] = Value(node);
    ms.assigned[slot - ms.bound_before] = true;
    return true;
  }
  void Unassign(MatchState& ms, int slot, Row& row) {
    ms.assigned[slot - ms.bound_before] = false;
    row[slot] = Value();
  }

  bool NodeMatches(const NodePattern& np, const NodeRef& node, Row& row,
                   std::vector<std::string>& scope) {
    for (const auto& l : np.labels) {
      if (std::find(node->labels.begin(), node->labels.end(), l) == node->labels.end()) {
        return false;
      }
    }
    return PropsMatch(np.props.get(), node->props, row, scope);
  }

  bool PropsMatch(const Expr* props, const Properties& actual, Row& row,
                  std::vector<std::string>& scope) {
    if (!props) return true;
    Value want = EvalIn(*props, row, scope);
    if (want.is_null()) return true;
    if (want.type() != Value::Type::kMap) {
      throw QueryError("TypeError", "InvalidArgumentType", "property map expected",
                       props->begin);
    }
    for (const auto& [k, v] : want.as_map()) {
      auto it = actual.find(k);
      if (it == actual.end()) return false;
      auto eq = Equals(FromJson(*it), v);
      if (!eq || !*eq) return false;
    }
    return true;
  }

  // Expands rels start..end to the right of node `i`, then to the left of the start node.
  void ExpandRight(MatchState& ms, size_t part_idx, int i, Row& row) {
    PartState& ps = ms.parts[part_idx];
    if (i == static_cast<int>(ps.part->rels.size())) {
      ExpandLeft(ms, part_idx, ps.start, row);
      return;
    }
    ExpandRel(ms, part_idx, i, /*forward=*/true, row,
              [&](Row& r) { ExpandRight(ms, part_idx, i + 1, r); });
  }

  void ExpandLeft(MatchState& ms, size_t part_idx, int i, Row& row) {
    if (i == 0) {
      FinishPart(ms, part_idx, row);
      return;
    }
    ExpandRel(ms, part_idx, i - 1, /*forward=*/false, row,
              [&](Row& r) { ExpandLeft(ms, part_idx, i - 1, r); });
  }

  void FinishPart(MatchState& ms, size_t part_idx, Row& row) {
    PartState& ps = ms.parts[part_idx];
    if (ps.path_slot >= 0) {
      // Full records: matching may have skipped reading properties nobody else looks at.
      bool rel_records = !paths_without_rel_records_.count(ps.part);
      auto path = std::make_shared<PathData>();
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

  bool RelMatches(const RelPattern& rp, const RelRef& rel, Row& row,
                  std::vector<std::string>& scope) {
    return PropsMatch(rp.props.get(), rel->props, row, scope);
  }

  bool RelUsed(const MatchState& ms, uint64_t id) const {
    return std::find(ms.used_rels.begin(), ms.used_rels.end(), id) != ms.used_rels.end();
  }

  template <typename Next>
  void ExpandRel(MatchState& ms, size_t part_idx, int rel_idx, bool forward, Row& row,
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
    bool rel_opaque = !rp.props && (rel_slot < 0 || (record_free_rels_.count(&rp) &&
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
      auto it = property_only_nodes_.find(&to_np);
      if (it != property_only_nodes_.end()) partial_keys = &it->second;
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

  static List ToList(const std::vector<RelRef>& rels) {
    List l;
    for (const auto& r : rels) l.push_back(Value(r));
    return l;
  }

  // ---- CREATE
  void RunCreate(const Clause& c, Table& t) {
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

  Properties PropsFromExpr(const Expr* e, Row& row, std::vector<std::string>& scope) {
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

  // ---- WITH / RETURN
  // True when `e` reads no variable but `*var` (set to the first one met when empty) and always
  // gives the same value for the same node or relationship there: literals, parameters,
  // properties, operators and a few pure functions of it. (Properties cannot change while a
  // query reads them: kg has no SET.)
  static bool ReadsOnlyElement(const Expr& e, std::string* var) {
    switch (e.kind) {
      case ExprKind::kLiteral:
      case ExprKind::kParam: return true;
      case ExprKind::kVar:
        if (var->empty()) *var = e.name;
        return *var == e.name;
      case ExprKind::kProperty:
      case ExprKind::kNot:
      case ExprKind::kNeg:
      case ExprKind::kBinary:
      case ExprKind::kIsNull:
      case ExprKind::kIsNotNull:
      case ExprKind::kList:
      case ExprKind::kIndex: break;
      case ExprKind::kCall: {
        if (e.distinct) return false;
        static const char* const kPure[] = {"id",      "labels",   "type",      "tolower",
                                            "toupper", "trim",     "tostring",  "tointeger",
                                            "tofloat", "coalesce"};
        std::string name = Lower(e.name);
        if (std::none_of(std::begin(kPure), std::end(kPure),
                         [&](const char* f) { return name == f; })) {
          return false;
        }
        break;
      }
      default: return false;
    }
    for (const auto& a : e.args) {
      if (a && !ReadsOnlyElement(*a, var)) return false;
    }
    return true;
  }

  // True when `e` gives different values for different elements bound to `var`: the variable
  // itself, id(var), or id(var) plus or minus an integer literal.
  static bool TellsElementsApart(const Expr& e, const std::string& var) {
    auto is_id = [&](const Expr& x) {
      return x.kind == ExprKind::kCall && !x.distinct && x.args.size() == 1 &&
             Lower(x.name) == "id" && x.args[0]->kind == ExprKind::kVar &&
             x.args[0]->name == var;
    };
    auto is_int = [](const Expr& x) {
      return x.kind == ExprKind::kLiteral && x.literal.type() == Value::Type::kInt;
    };
    if (e.kind == ExprKind::kVar) return e.name == var;
    if (is_id(e)) return true;
    if (e.kind == ExprKind::kBinary && (e.op == BinOp::kAdd || e.op == BinOp::kSub) &&
        e.args.size() == 2) {
      return (is_id(*e.args[0]) && is_int(*e.args[1])) ||
             (is_int(*e.args[0]) && is_id(*e.args[1]));
    }
    return false;
  }

  // RETURN/WITH DISTINCT whose items all read one node or relationship variable only
  // (ReadsOnlyElement): rows binding the same element project to the same row, so only the
  // first row of each element is kept in `t.rows` (in order) and projected, instead of
  // projecting every row and hashing the results. Returns true when the kept rows are known
  // to project to distinct rows (an item TellsElementsApart): DISTINCT then has nothing left
  // to do. Rows are left alone when the variable holds anything but nodes, relationships and
  // nulls.
  bool DistinctByElement(const std::vector<const Expr*>& exprs, Table& t) {
    std::string var;
    for (const Expr* e : exprs) {
      if (!ReadsOnlyElement(*e, &var)) return false;
    }
    if (var.empty()) return false;
    int slot = -1;
    for (int i = static_cast<int>(t.scope.size()) - 1; i >= 0; --i) {
      if (t.scope[i] == var) {
        slot = i;
        break;
      }
    }
    if (slot < 0) return false;
    for (const auto& row : t.rows) {
      auto type = row[slot].type();
      if (type != Value::Type::kNode && type != Value::Type::kRel && type != Value::Type::kNull) {
        return false;
      }
    }
    // Elements seen: one open-addressing table of (id, is relationship) keys, linear probing,
    // at most half full (a std::unordered_set cost ~500 instructions per row here).
    size_t capacity = 16;
    while (capacity < 2 * t.rows.size()) capacity *= 2;
    constexpr uint64_t kEmpty = std::numeric_limits<uint64_t>::max();
    std::vector<std::pair<uint64_t, bool>> seen(capacity, {kEmpty, false});
    bool empty_key_seen[2] = {false, false};  // an element whose id is kEmpty itself
    auto insert = [&](uint64_t id, bool rel) {
      if (id == kEmpty) return !std::exchange(empty_key_seen[rel], true);
      size_t at = static_cast<size_t>((id * 0x9E3779B97F4A7C15ull) >> 20) & (capacity - 1);
      for (;; at = (at + 1) & (capacity - 1)) {
        if (seen[at].first == kEmpty) {
          seen[at] = {id, rel};
          return true;
        }
        if (seen[at].first == id && seen[at].second == rel) return false;
      }
    };
    bool null_seen = false;
    size_t kept = 0;
    for (size_t i = 0; i < t.rows.size(); ++i) {
      const Value& v = t.rows[i][slot];
      bool first = v.type() == Value::Type::kNode  ? insert(v.as_node()->id, false)
                   : v.type() == Value::Type::kRel ? insert(v.as_rel()->id, true)
                                                   : !std::exchange(null_seen, true);
      if (!first) continue;
      if (kept != i) t.rows[kept] = std::move(t.rows[i]);
      ++kept;
    }
    t.rows.resize(kept);
    return std::any_of(exprs.begin(), exprs.end(),
                       [&](const Expr* e) { return TellsElementsApart(*e, var); });
  }

  void RunProjection(const Projection& p, Table& t, bool is_return) {
    struct Item {
      const Expr* expr;
      std::string alias;
      bool aggregate;
    };
    std::vector<Item> items;
    if (p.star) {
      std::vector<std::string> names;
      for (const auto& name : t.scope) {
        if (!IsHidden(name) && std::find(names.begin(), names.end(), name) == names.end()) {
          names.push_back(name);
        }
      }
      std::sort(names.begin(), names.end());
      if (names.empty() && p.items.empty() && is_return) {
        throw QueryError("SyntaxError", "NoVariablesInScope",
                         "RETURN * / WITH * needs variables in scope");
      }
      for (const auto& name : names) {
        auto e = std::make_unique<Expr>();
        e->kind = ExprKind::kVar;
        e->name = name;
        items.push_back({e.get(), name, false});
        synthesized_.push_back(std::move(e));
      }
    }
    bool aggregating = false;
    for (const auto& it : p.items) {
      bool agg = ContainsAggregate(*it.expr);
      aggregating |= agg;
      items.push_back({it.expr.get(), it.alias, agg});
    }
    std::vector<std::string> aliases;
    for (const auto& it : items) {
      if (std::find(aliases.begin(), aliases.end(), it.alias) != aliases.end()) {
        throw QueryError("SyntaxError", "ColumnNameConflict",
                         "column name '" + it.alias + "' is used twice", it.expr->begin);
      }
      aliases.push_back(it.alias);
    }
    if (!is_return) {
      for (const auto& it : p.items) {
        if (!it.has_alias && it.expr->kind != ExprKind::kVar) {
          throw QueryError("SyntaxError", "NoExpressionAlias",
                           "expression in WITH must be aliased (use AS)", it.expr->begin);
        }
      }
    }
    if (explain_only_) {
      t.scope = aliases;
      if (is_return) columns_ = aliases;
      return;
    }

    std::vector<Row> projected;
    std::vector<Row> sources;  // input row behind each projected row (ORDER BY may use it)
    // ORDER BY and WITH ... WHERE may use the variables before the projection too.
    bool keep_sources = (!p.order.empty() || p.where) && !aggregating && !p.distinct;
    bool rows_distinct = false;  // DistinctByElement did DISTINCT's work
    if (!aggregating && p.distinct && t.rows.size() > 1) {
      std::vector<const Expr*> item_exprs;
      for (const auto& it : items) item_exprs.push_back(it.expr);
      rows_distinct = DistinctByElement(item_exprs, t);
    }
    if (!aggregating) {
      projected.reserve(t.rows.size());
      for (auto& row : t.rows) {
        Row out;
        out.reserve(items.size());
        for (const auto& it : items) out.push_back(EvalIn(*it.expr, row, t.scope));
        projected.push_back(std::move(out));
        if (keep_sources) sources.push_back(row);
        Tick();
      }
    } else {
      std::vector<const Expr*> agg_calls;
      for (const auto& it : items) {
        if (it.aggregate) CollectAggregates(*it.expr, agg_calls);
      }
      struct Group {
        Row key;
        Row rep;
        std::vector<Aggregator> aggs;
      };
      std::vector<Group> groups;
      std::unordered_map<Row, size_t, RowHash, RowEq> index;
      auto new_group = [&](Row key, const Row& rep) {
        Group g;
        g.key = std::move(key);
        g.rep = rep;
        for (const Expr* call : agg_calls) g.aggs.emplace_back(call);
        groups.push_back(std::move(g));
        return groups.size() - 1;
      };
      Row key;  // reused: most rows join an existing group
      auto group_of = [&](Row& row) {
        key.clear();
        for (const auto& it : items) {
          if (!it.aggregate) key.push_back(EvalIn(*it.expr, row, t.scope));
        }
        auto found = index.find(key);
        if (found != index.end()) return found->second;
        size_t g = new_group(key, row);
        index.emplace(key, g);
        return g;
      };
      auto add = [&](size_t g, Row& row) {
        for (size_t a = 0; a < agg_calls.size(); ++a) {
          const Expr* call = agg_calls[a];
          if (call->kind == ExprKind::kCountStar) {
            groups[g].aggs[a].Add(Value(true));
          } else {
            if (call->args.size() != 1) {
              throw QueryError("SyntaxError", "InvalidNumberOfArguments",
                               call->name + "() takes one argument", call->begin);
            }
            groups[g].aggs[a].Add(EvalIn(*call->args[0], row, t.scope));
          }
        }
        Tick();
      };
      if (pending_unwind_ != nullptr) {
        const Clause* unwind = pending_unwind_;
        pending_unwind_ = nullptr;
        std::vector<std::string> input_scope(t.scope.begin(), t.scope.end() - 1);
        // A key that cannot vary with the unwound item is the same for all rows made from one
        // input row: found once, when that input row makes its first row (as the row-by-row
        // path would first evaluate it; the group's representative row is that row).
        bool key_per_input = std::none_of(items.begin(), items.end(), [&](const Item& it) {
          return !it.aggregate && VariesWith(*it.expr, unwind->alias);
        });
        const Row* input = nullptr;
        size_t input_group = 0;
        size_t made = UnwindEach(*unwind, t.rows, input_scope, [&](Row& row) {
          if (!key_per_input) {
            add(group_of(row), row);
            return;
          }
          if (&row != input) {
            input_group = group_of(row);
            input = &row;
          }
          add(input_group, row);
        });
        plan_[pending_unwind_plan_].rows = static_cast<int64_t>(made);
      } else {
        for (auto& row : t.rows) add(group_of(row), row);
      }
      bool has_keys = std::any_of(items.begin(), items.end(),
                                  [](const Item& it) { return !it.aggregate; });
      if (groups.empty() && !has_keys) new_group({}, Row(t.scope.size()));
      for (auto& g : groups) {
        std::unordered_map<const Expr*, Value> results;
        for (size_t a = 0; a < agg_calls.size(); ++a) results[agg_calls[a]] = g.aggs[a].Finish();
        ctx_.aggregates = &results;
        Row out;
        size_t key_idx = 0;
        for (const auto& it : items) {
          if (!it.aggregate) out.push_back(g.key[key_idx++]);
          else out.push_back(EvalIn(*it.expr, g.rep, t.scope));
        }
        ctx_.aggregates = nullptr;
        projected.push_back(std::move(out));
      }
    }
    std::vector<const Expr*> exprs;
    for (const auto& it : items) exprs.push_back(it.expr);
    FinishProjection(p, exprs, aliases, std::move(projected), std::move(sources), keep_sources,
                     t, is_return, rows_distinct);
  }

  // DISTINCT, ORDER BY, SKIP/LIMIT and WITH ... WHERE over projected rows; `sources` holds the
  // input row behind each projected row when `keep_sources`.
  void FinishProjection(const Projection& p, const std::vector<const Expr*>& item_exprs,
                        const std::vector<std::string>& aliases, std::vector<Row> projected,
                        std::vector<Row> sources, bool keep_sources, Table& t, bool is_return,
                        bool rows_distinct = false) {
    if (p.distinct && !rows_distinct) {
      // Indices into `projected` of the first row of each class.
      struct IndexHash {
        const std::vector<Row>* rows;
        size_t operator()(size_t i) const { return RowHash()((*rows)[i]); }
      };
      struct IndexEq {
        const std::vector<Row>* rows;
        bool operator()(size_t i, size_t j) const { return RowEq()((*rows)[i], (*rows)[j]); }
      };
      std::unordered_set<size_t, IndexHash, IndexEq> seen(projected.size(),
                                                          IndexHash{&projected},
                                                          IndexEq{&projected});
      std::vector<bool> keep(projected.size());
      for (size_t i = 0; i < projected.size(); ++i) keep[i] = seen.insert(i).second;
      std::vector<Row> unique;
      for (size_t i = 0; i < projected.size(); ++i) {
        if (keep[i]) unique.push_back(std::move(projected[i]));
      }
      projected = std::move(unique);
    }
    if (!p.order.empty()) {
      // Sort keys: a projected column when the sort expression is one, else evaluated over
      // input variables + projected aliases (aliases shadow).
      std::vector<std::string> sort_scope = keep_sources ? t.scope : std::vector<std::string>{};
      sort_scope.insert(sort_scope.end(), aliases.begin(), aliases.end());
      // Which column each sort key is, found once (not per row): the item written the same
      // way, else the alias a bare variable names (what evaluating it over sort_scope finds, as
      // aliases come last and are distinct); -1: evaluated per row.
      std::vector<int> columns;
      bool all_columns = true;
      for (const auto& s : p.order) {
        int column = -1;
        std::string text = Text(*s.expr);
        for (size_t i = 0; i < item_exprs.size(); ++i) {
          if (item_exprs[i]->begin < item_exprs[i]->end && Text(*item_exprs[i]) == text) {
            column = static_cast<int>(i);
          }
        }
        if (column < 0 && s.expr->kind == ExprKind::kVar) {
          auto alias = std::find(aliases.begin(), aliases.end(), s.expr->name);
          if (alias != aliases.end()) column = static_cast<int>(alias - aliases.begin());
        }
        columns.push_back(column);
        all_columns = all_columns && column >= 0;
      }
      std::vector<std::pair<Row, size_t>> keyed;
      keyed.reserve(projected.size());
      for (size_t r = 0; r < projected.size(); ++r) {
        Row ext;
        if (!all_columns) {
          ext = keep_sources ? sources[r] : Row{};
          ext.insert(ext.end(), projected[r].begin(), projected[r].end());
        }
        Row key;  // empty when every sort key is a column: read in place by `before`
        if (!all_columns) {
          key.reserve(p.order.size());
          for (size_t k = 0; k < p.order.size(); ++k) {
            if (columns[k] >= 0) key.push_back(projected[r][columns[k]]);
            else key.push_back(EvalIn(*p.order[k].expr, ext, sort_scope));
          }
        }
        keyed.emplace_back(std::move(key), r);
      }
      // With a LIMIT only the first SKIP + LIMIT rows of the sorted order are kept: select them
      // (ties broken by input position, which makes it exactly the stable sort's prefix).
      size_t keep = keyed.size();
      if (p.limit) {
        int64_t limit = ConstCount(*p.limit, "LIMIT");
        int64_t skip = p.skip ? ConstCount(*p.skip, "SKIP") : 0;
        if (static_cast<uint64_t>(limit) + static_cast<uint64_t>(skip) < keep) {
          keep = static_cast<size_t>(limit + skip);
        }
      }
      auto before = [&](const auto& a, const auto& b) {
        for (size_t i = 0; i < p.order.size(); ++i) {
          int c = all_columns ? OrderCompare(projected[a.second][columns[i]],
                                             projected[b.second][columns[i]])
                              : OrderCompare(a.first[i], b.first[i]);
          if (c != 0) return p.order[i].descending ? c > 0 : c < 0;
        }
        return a.second < b.second;
      };
      if (keep < keyed.size()) {
        std::partial_sort(keyed.begin(), keyed.begin() + keep, keyed.end(), before);
        keyed.resize(keep);
      } else {
        std::sort(keyed.begin(), keyed.end(), before);
      }
      std::vector<Row> sorted, sorted_sources;
      sorted.reserve(projected.size());
      for (auto& k : keyed) {
        sorted.push_back(std::move(projected[k.second]));
        if (keep_sources) sorted_sources.push_back(std::move(sources[k.second]));
      }
      projected = std::move(sorted);
      sources = std::move(sorted_sources);
    }
    int64_t skip = p.skip ? ConstCount(*p.skip, "SKIP") : 0;
    int64_t limit = p.limit ? ConstCount(*p.limit, "LIMIT") : -1;
    if (skip > 0 || limit >= 0) {
      size_t from = std::min<size_t>(skip, projected.size());
      size_t to = limit < 0 ? projected.size()
                            : std::min<size_t>(projected.size(), from + static_cast<size_t>(limit));
      projected = std::vector<Row>(std::make_move_iterator(projected.begin() + from),
                                   std::make_move_iterator(projected.begin() + to));
      if (keep_sources) {
        sources = std::vector<Row>(std::make_move_iterator(sources.begin() + from),
                                   std::make_move_iterator(sources.begin() + to));
      }
    }
    if (p.where) {
      std::vector<std::string> where_scope = keep_sources ? t.scope : std::vector<std::string>{};
      where_scope.insert(where_scope.end(), aliases.begin(), aliases.end());
      std::vector<Row> kept;
      for (size_t r = 0; r < projected.size(); ++r) {
        Row ext = keep_sources ? std::move(sources[r]) : Row{};
        ext.insert(ext.end(), projected[r].begin(), projected[r].end());
        if (IsTrue(EvalIn(*p.where, ext, where_scope))) kept.push_back(std::move(projected[r]));
      }
      projected = std::move(kept);
    }
    t.scope = aliases;
    t.rows = std::move(projected);
    if (is_return) {
      columns_ = aliases;
      ordered_ = !p.order.empty();
    }
  }

  int64_t ConstCount(const Expr& e, const char* what) {
    Row empty;
    std::vector<std::string> no_scope;
    Value v;
    try {
      v = EvalIn(e, empty, no_scope);
    } catch (const QueryError& err) {
      if (err.detail == "UndefinedVariable") {
        throw QueryError("SyntaxError", "NonConstantExpression",
                         std::string(what) + " must be a constant expression", e.begin);
      }
      throw;
    }
    if (v.type() == Value::Type::kFloat) {
      throw QueryError("SyntaxError", "InvalidArgumentType",
                       std::string(what) + " must be an integer", e.begin);
    }
    if (v.type() != Value::Type::kInt) {
      throw QueryError("SyntaxError", "InvalidArgumentType",
                       std::string(what) + " must be an integer", e.begin);
    }
    if (v.as_int() < 0) {
      throw QueryError("SyntaxError", "NegativeIntegerArgument",
                       std::string(what) + " must not be negative", e.begin);
    }
    return v.as_int();
  }

  GraphAccess& graph_;
  QueryOptions options_;
  std::string_view text_;
  EvalContext ctx_;
  Clock::time_point deadline_;
  uint64_t ticks_ = 0;
  bool profile_ = false;
  bool explain_only_ = false;
  std::vector<OperatorProfile> plan_;
  std::vector<std::string> columns_;
  bool ordered_ = false;
  int64_t nodes_created_ = 0;
  int64_t rels_created_ = 0;
  std::vector<ExprPtr> synthesized_;
  std::map<const NodePattern*, std::optional<std::vector<uint64_t>>> allowed_ids_;
  std::set<const PatternPart*> paths_without_rel_records_;
  std::map<const Clause*, std::set<std::string>> evidence_keys_;
  // Evidence UNWINDs whose rows the following aggregating projection consumes as they are made;
  // pending_unwind_ is the one RunUnwind left for it (its plan entry at pending_unwind_plan_).
  std::set<const Clause*> fused_unwinds_;
  const Clause* pending_unwind_ = nullptr;
  size_t pending_unwind_plan_ = 0;
  std::map<const NodePattern*, std::vector<std::string>> property_only_nodes_;
  std::set<const RelPattern*> record_free_rels_;
};

}  // namespace

QueryResult RunQuery(const Query& query, GraphAccess& graph, const Map& params,
                     const QueryOptions& options, std::string_view text) {
  Executor executor(graph, params, options, text);
  return executor.Run(query);
}

}  // namespace kg::query
