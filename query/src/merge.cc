// MERGE pattern [ON CREATE SET ...] [ON MATCH SET ...].
//
// Row by row: the whole pattern is matched (as MATCH would, with the row's bound variables);
// each match is a row and gets the ON MATCH items. With no match the pattern's unbound parts are
// created (as CREATE would; an undirected relationship left to right) and the one row gets the ON
// CREATE items. A later row sees what earlier rows created, so `UNWIND [1, 1] AS x MERGE
// (n {v: x})` makes one node.

#include "executor_internal.h"

namespace kg::query::exec {

void Executor::CheckMergeProps(const PatternPart& part, Row& row,
                               std::vector<std::string>& scope) {
  auto check = [&](const Expr* props) {
    if (!props) return;
    Value v = EvalIn(*props, row, scope);
    if (v.type() != Value::Type::kMap) return;  // creating reports a non-map
    for (const auto& [key, value] : v.as_map()) {
      if (value.is_null()) {
        throw QueryError("SemanticError", "MergeReadOwnWrites",
                         "cannot merge using a null value for property '" + key + "'",
                         props->begin);
      }
    }
  };
  for (const auto& n : part.nodes) check(n.props.get());
  for (const auto& r : part.rels) check(r.props.get());
}

void Executor::RunMerge(const Clause& c, Table& t) {
  if (explain_only_) {
    RunMatch(c, t);  // the scope and the plan's start detail; nothing runs
    return;
  }
  // The slots RunMatch and RunCreate give the pattern's variables (both in this order).
  std::vector<std::string> scope = t.scope;
  for (const auto& part : c.patterns) {
    for (const auto& n : part.nodes) SlotFor(n.var, scope);
    for (const auto& r : part.rels) SlotFor(r.var, scope);
    SlotFor(part.path_var, scope);
  }
  std::vector<Row> out;
  std::unordered_map<uint64_t, Value> nodes, rels;  // changed by ON ... SET
  for (auto& row : t.rows) {
    for (const auto& part : c.patterns) CheckMergeProps(part, row, t.scope);
    Table one{t.scope, {row}};
    RunMatch(c, one);
    bool created = one.rows.empty();
    if (created) {
      one.scope = t.scope;
      one.rows.push_back(row);
      RunCreate(c, one);
    }
    if (one.scope != scope) throw QueryError("InternalError", "", "MERGE row layout differs");
    const auto& items = created ? c.on_create : c.on_match;
    for (auto& r : one.rows) {
      for (const auto& item : items) ApplySetItem(false, item, r, scope, nodes, rels);
      out.push_back(std::move(r));
      CheckRows(out.size());
    }
    // The name lookups MATCH caches per query (AllowedIds) would miss what this row created or
    // renamed.
    if (created || !items.empty()) allowed_ids_.clear();
    Tick();
  }
  t.scope = std::move(scope);
  t.rows = std::move(out);
  RefreshChanged(t, nodes, rels);
}

}  // namespace kg::query::exec
