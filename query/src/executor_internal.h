#pragma once
// The Executor (executor.h's RunQuery) and what its files share. Internal to kg_query. The
// class runs a query clause by clause over materialised tables of rows; its members are
// defined by job: executor.cc (the clause loop, plan, limits), variable_uses.cc (what the
// query never reads, decided before running), match.cc and match_expand.cc (MATCH),
// rel_aggregate.cc (MATCH + aggregation from counters), expand_project.cc (one-hop MATCH +
// projection of the far end), projection.cc (WITH/RETURN), unwind.cc, call.cc, create.cc,
// delete.cc (DELETE, DETACH DELETE), set.cc (SET, REMOVE), merge.cc (MERGE).
// Small helpers called per row stay inline here.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "ast.h"
#include "eval.h"
#include "kg/query/engine.h"
#include "procedures.h"
#include "query_analysis.h"
#include "query_error.h"

namespace kg::query::exec {

using Clock = std::chrono::steady_clock;
using Row = std::vector<Value>;

struct Table {
  std::vector<std::string> scope;
  std::vector<Row> rows;
};

// Hashing of DISTINCT and grouping keys (projection.cc): see HashValue.
inline size_t Mix(size_t h, size_t v) {
  return h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}
size_t HashValue(const Value& v);

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

// "(a)-[r:T]->(b)", for plan lines.
std::string Describe(const PatternPart& part);

// The shape the MATCH + projection fast paths (TryRelAggregate, TryExpandProject) start from: the
// query's first clause (one empty row) is a plain MATCH (not OPTIONAL, no WHERE) of one
// single-hop pattern part without a path variable, and the next clause is a WITH or RETURN.
// Returns that part, or nullptr for any other shape.
inline const PatternPart* SingleHopMatchThenProjection(const Clause& m, const Clause& c,
                                                       const Table& t) {
  if (m.kind != Clause::Kind::kMatch || m.optional || m.where || m.patterns.size() != 1) {
    return nullptr;
  }
  if (c.kind != Clause::Kind::kWith && c.kind != Clause::Kind::kReturn) return nullptr;
  if (!t.scope.empty() || t.rows.size() != 1) return nullptr;
  const PatternPart& part = m.patterns[0];
  if (part.nodes.size() != 2 || !part.path_var.empty()) return nullptr;
  return &part;
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

  QueryResult Run(const Query& query);

 private:
  enum class RelAgg { kCount, kEvidence };

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

  // Calls fn(row) for each row UNWIND `c` makes from `rows` (named by `scope`, without c's
  // alias): the input row with the item appended, valid only during the call. Applies the
  // intermediate-row cap to the rows made. Returns how many it made.
  template <typename Fn>
  size_t UnwindEach(const Clause& c, std::vector<Row>& rows, std::vector<std::string>& scope,
                    Fn&& fn) {
    auto keys = analysis_->evidence_keys.find(&c);
    size_t made = 0;
    for (auto& row : rows) {
      if (keys != analysis_->evidence_keys.end()) ctx_.evidence_keys = &keys->second;
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

  // UnwindEach for an evidence UNWIND `c` whose maps are read through a few keys only
  // (analysis_->evidence_keys has it; `keys`: those keys, sorted). Where an input row's list is
  // evidence(x), directly or as the chosen branch of CASEs, the records stream from the graph
  // instead of being built into a list of maps first: record(row, values, first) once per
  // record, with values[k] what `ev.keys[k]` reads (ForEachEvidence); row's last column is not
  // set for it (null, or what the callee left there: it binds EvidenceKeysMap there when
  // something reads the map itself). Any other list: item(row, first) per item, the item in
  // the last column, as UnwindEach. `first`: the first row made from this input row. Applies
  // the intermediate-row cap; returns how many rows it made.
  template <typename ItemFn, typename RecordFn>
  size_t UnwindEvidenceEach(const Clause& c, const std::vector<std::string>& keys,
                            std::vector<Row>& rows, std::vector<std::string>& scope,
                            ItemFn&& item, RecordFn&& record) {
    auto keyset = analysis_->evidence_keys.find(&c);
    size_t made = 0;
    for (auto& row : rows) {
      if (keyset != analysis_->evidence_keys.end()) ctx_.evidence_keys = &keyset->second;
      Value subject, list;
      bool stream = false;
      try {
        stream = EvidenceSource(*c.expr, row, scope, &subject, &list);
      } catch (...) {
        ctx_.evidence_keys = nullptr;
        throw;
      }
      ctx_.evidence_keys = nullptr;
      if (!stream && list.is_null()) continue;
      row.emplace_back();
      bool first = true;
      if (stream) {
        bool is_rel = subject.type() == Value::Type::kRel;
        uint64_t id = is_rel ? subject.as_rel()->id : subject.as_node()->id;
        ForEachEvidence(graph_, is_rel, id, keys, [&](const Value* values) {
          CheckRows(++made);
          record(row, values, std::exchange(first, false));
          Tick();
        });
      } else {
        auto emit = [&](const Value& v) {
          row.back() = v;
          CheckRows(++made);
          item(row, std::exchange(first, false));
          Tick();
        };
        if (list.type() == Value::Type::kList) {
          for (const auto& v : list.as_list()) emit(v);
        } else {
          emit(list);
        }
      }
      row.pop_back();
    }
    return made;
  }

  int SlotFor(const std::string& var, std::vector<std::string>& scope) {
    if (var.empty()) return -1;
    for (size_t i = 0; i < scope.size(); ++i) {
      if (scope[i] == var) return static_cast<int>(i);
    }
    scope.push_back(var);
    return static_cast<int>(scope.size() - 1);
  }

  bool IsBound(const MatchState& ms, int slot) const {
    if (slot < 0) return false;
    if (static_cast<size_t>(slot) < ms.bound_before) return true;
    return ms.assigned[slot - ms.bound_before];
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

  bool RelUsed(const MatchState& ms, uint64_t id) const {
    return std::find(ms.used_rels.begin(), ms.used_rels.end(), id) != ms.used_rels.end();
  }

  // executor.cc
  void RunClause(const Clause& c, Table& t);
  std::string OperatorName(const Clause& c) const;
  std::string Text(const Expr& e) const;
  int64_t ConstCount(const Expr& e, const char* what);

  // variable_uses.cc
  static bool OnlyNodesOrLength(const Expr& e, const std::string& var);
  template <typename ExprOk>
  static bool ClauseExprsOk(const Clause& c, const std::string& var, const ExprOk& expr_ok);
  // Query-wide analyses: executor.cc runs Analyze when the parsed query carries none.
 public:
  static std::shared_ptr<const QueryAnalysis> Analyze(const Query& query);

 private:
  static void FindPathsWithoutRelRecords(const std::vector<Clause>& clauses, QueryAnalysis& out);
  static bool NoEvidenceCall(const Expr& e);
  static bool EvidenceOnlyAsResult(const Expr& e);
  static bool OnlyPropertyUses(const Expr& e, const std::string& var,
                               std::set<std::string>& keys);
  static void FindPropertyOnlyNodes(const std::vector<Clause>& clauses, QueryAnalysis& out);
  static bool RecordFreeUses(const Expr& e, const std::string& var);
  static void FindRecordFreeRels(const std::vector<Clause>& clauses, QueryAnalysis& out);
  static void FindEvidenceUnwinds(const std::vector<Clause>& clauses, QueryAnalysis& out);
  static bool VariesWith(const Expr& e, const std::string& var);
  static bool IsAggregatingProjection(const Clause& c);
  // A WITH or RETURN without `*` or DISTINCT (aggregating or not).
  static bool IsPlainProjection(const Clause& c);

  // unwind.cc
  void RunUnwind(const Clause& c, Table& t);
  bool EvidenceSource(const Expr& e, Row& row, std::vector<std::string>& scope, Value* subject,
                      Value* list);

  // call.cc
  void RunCall(const Clause& c, Table& t);

  // rel_aggregate.cc
  static bool OnlyUses(const Expr& e, const std::string& var);
  static std::optional<RelAgg> RelAggregateOf(const Expr& e, const std::string& rel_var);
  bool TryRelAggregate(const Clause& m, const Clause& c, Table& t);

  // expand_project.cc
  bool TryExpandProject(const Clause& m, const Clause& c, Table& t);

  // match.cc
  static void CollectHints(const Expr* where, std::map<std::string, const Expr*>& names,
                           std::map<std::string, const Expr*>& ids);
  static const Expr* NameInProps(const NodePattern& n);
  void AddStartDetail(const PatternPart& part, const PartState& ps,
                      const std::set<std::string>& seen_vars, std::string& detail) const;
  void RunMatch(const Clause& c, Table& t);
  void MatchPart(MatchState& ms, size_t part_idx, Row& row);
  const std::vector<uint64_t>* AllowedIds(const NodePattern& np, int slot, const MatchState& ms);

  // match_expand.cc
  bool NodeMatches(const NodePattern& np, const NodeRef& node, Row& row,
                   std::vector<std::string>& scope);
  bool PropsMatch(const Expr* props, const Properties& actual, Row& row,
                  std::vector<std::string>& scope);
  void ExpandRight(MatchState& ms, size_t part_idx, int i, Row& row);
  void ExpandLeft(MatchState& ms, size_t part_idx, int i, Row& row);
  void FinishPart(MatchState& ms, size_t part_idx, Row& row);
  bool RelMatches(const RelPattern& rp, const RelRef& rel, Row& row,
                  std::vector<std::string>& scope);
  template <typename Next>
  void ExpandRel(MatchState& ms, size_t part_idx, int rel_idx, bool forward, Row& row,
                 const Next& next);
  static List ToList(const std::vector<RelRef>& rels);

  // create.cc
  void RunCreate(const Clause& c, Table& t);
  Properties PropsFromExpr(const Expr* e, Row& row, std::vector<std::string>& scope);

  // delete.cc
  void RunDelete(const Clause& c, Table& t);
  void DeleteRelOnce(uint64_t id);
  void MarkDeleted(Table& t);

  // set.cc
  void RunSet(const Clause& c, Table& t);
  void ApplySetItem(bool remove, const SetItem& item, Row& row, std::vector<std::string>& scope,
                    std::unordered_map<uint64_t, Value>& nodes,
                    std::unordered_map<uint64_t, Value>& rels);
  static void Refresh(Row& row, uint64_t id, bool is_rel, const Value& fresh);
  // Every row value naming an entity in `nodes`/`rels` (ids ApplySetItem changed) becomes its
  // current state.
  void RefreshChanged(Table& t, std::unordered_map<uint64_t, Value>& nodes,
                      std::unordered_map<uint64_t, Value>& rels);

  // merge.cc
  void RunMerge(const Clause& c, Table& t);
  void CheckMergeProps(const PatternPart& part, Row& row, std::vector<std::string>& scope);

  // projection.cc
  static bool ReadsOnlyElement(const Expr& e, std::string* var);
  static bool TellsElementsApart(const Expr& e, const std::string& var);
  bool DistinctByElement(const std::vector<const Expr*>& exprs, Table& t);
  void RunProjection(const Projection& p, Table& t, bool is_return);
  void FinishProjection(const Projection& p, const std::vector<const Expr*>& item_exprs,
                        const std::vector<std::string>& aliases, std::vector<Row> projected,
                        std::vector<Row> sources, bool keep_sources, Table& t, bool is_return,
                        bool rows_distinct = false);

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
  int64_t nodes_deleted_ = 0;
  int64_t rels_deleted_ = 0;
  int64_t properties_set_ = 0;
  int64_t labels_added_ = 0;
  int64_t labels_removed_ = 0;
  // What this query deleted: deleting again is a no-op, and row values naming them are marked.
  std::unordered_set<uint64_t> deleted_nodes_;
  std::unordered_set<uint64_t> deleted_rels_;
  std::vector<ExprPtr> synthesized_;
  std::map<const NodePattern*, std::optional<std::vector<uint64_t>>> allowed_ids_;
  // Property maps of patterns made of literals and parameters, evaluated once per run
  // (PropsMatch); nullopt for maps that read the row.
  std::unordered_map<const Expr*, std::optional<Value>> constant_props_;
  // The query's analysis (query_analysis.h): the parsed query's, or one made for this run.
  std::shared_ptr<const QueryAnalysis> analysis_;
  // The evidence UNWIND whose rows the next projection consumes (analysis_->fused_unwinds),
  // left by RunUnwind, and its plan entry.
  const Clause* pending_unwind_ = nullptr;
  size_t pending_unwind_plan_ = 0;
};

}  // namespace kg::query::exec
