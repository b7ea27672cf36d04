// The clause loop: runs a query's parts clause by clause, UNION, the row cap, the
// per-operator plan (EXPLAIN/PROFILE), and the limits every clause shares.

#include "executor.h"

#include "executor_internal.h"

namespace kg::query {

QueryResult RunQuery(const Query& query, GraphAccess& graph, const Map& params,
                     const QueryOptions& options, std::string_view text) {
  exec::Executor executor(graph, params, options, text);
  return executor.Run(query);
}

namespace exec {

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

QueryResult Executor::Run(const Query& query) {
  QueryResult result;
  result.explain = query.explain;
  result.profile = query.profile;
  profile_ = query.profile || query.explain;
  explain_only_ = query.explain;
  std::set<Row, RowLess> seen;
  analysis_ = query.analysis ? query.analysis : Analyze(query);
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
      if (ci + 1 < clauses.size() && (TryRelAggregate(clauses[ci], clauses[ci + 1], table) ||
                                      TryExpandProject(clauses[ci], clauses[ci + 1], table))) {
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
  result.nodes_deleted = nodes_deleted_;
  result.rels_deleted = rels_deleted_;
  result.properties_set = properties_set_;
  result.labels_added = labels_added_;
  result.labels_removed = labels_removed_;
  if (explain_only_) result.rows.clear();
  return result;
}

// The plan line of clause `c`: built for EXPLAIN and PROFILE only, the results that show it
// (every run of a look-up paid for the strings otherwise).
std::string Executor::OperatorName(const Clause& c) const {
  std::string name;
  switch (c.kind) {
    case Clause::Kind::kMatch:
      name = std::string(c.optional ? "OptionalMatch " : "Match ");
      for (size_t i = 0; i < c.patterns.size(); ++i) {
        name += (i ? ", " : "") + Describe(c.patterns[i]);
      }
      if (c.where) name += " WHERE " + Text(*c.where);
      break;
    case Clause::Kind::kUnwind:
      name = "Unwind " + Text(*c.expr) + " AS " + c.alias;
      break;
    case Clause::Kind::kWith:
    case Clause::Kind::kReturn:
      name = c.kind == Clause::Kind::kWith ? "With" : "Return";
      if (c.projection.distinct) name += " DISTINCT";
      for (size_t i = 0; i < c.projection.items.size(); ++i) {
        name += (i ? ", " : " ") + c.projection.items[i].alias;
      }
      if (!c.projection.order.empty()) name += " ORDER BY ..";
      if (c.projection.skip) name += " SKIP " + Text(*c.projection.skip);
      if (c.projection.limit) name += " LIMIT " + Text(*c.projection.limit);
      break;
    case Clause::Kind::kCreate:
      name = "Create ";
      for (size_t i = 0; i < c.patterns.size(); ++i) {
        name += (i ? ", " : "") + Describe(c.patterns[i]);
      }
      break;
    case Clause::Kind::kCall:
      name = "Call " + c.procedure;
      break;
    case Clause::Kind::kDelete:
      name = c.detach ? "DetachDelete" : "Delete";
      for (size_t i = 0; i < c.args.size(); ++i) name += (i ? ", " : " ") + Text(*c.args[i]);
      break;
    case Clause::Kind::kSet:
    case Clause::Kind::kRemove:
      name = c.kind == Clause::Kind::kSet ? "Set" : "Remove";
      for (size_t i = 0; i < c.set_items.size(); ++i) {
        name += (i ? ", " : " ") + c.set_items[i].var;
        if (!c.set_items[i].key.empty()) name += "." + c.set_items[i].key;
        for (const auto& l : c.set_items[i].labels) name += ":" + l;
      }
      break;
    case Clause::Kind::kMerge:
      name = "Merge " + Describe(c.patterns[0]);
      break;
  }
  return name;
}

void Executor::RunClause(const Clause& c, Table& t) {
  if (profile_) plan_.back().name = OperatorName(c);
  switch (c.kind) {
    case Clause::Kind::kMatch: RunMatch(c, t); break;
    case Clause::Kind::kUnwind:
      if (!explain_only_) RunUnwind(c, t);
      else t.scope.push_back(c.alias);
      break;
    case Clause::Kind::kWith:
    case Clause::Kind::kReturn:
      RunProjection(c.projection, t, c.kind == Clause::Kind::kReturn);
      break;
    case Clause::Kind::kCreate: RunCreate(c, t); break;
    case Clause::Kind::kCall: RunCall(c, t); break;
    case Clause::Kind::kDelete: RunDelete(c, t); break;
    case Clause::Kind::kSet:
    case Clause::Kind::kRemove: RunSet(c, t); break;
    case Clause::Kind::kMerge: RunMerge(c, t); break;
  }
}

std::string Executor::Text(const Expr& e) const {
  if (e.end <= e.begin || e.end > text_.size()) return "?";
  return std::string(text_.substr(e.begin, e.end - e.begin));
}

int64_t Executor::ConstCount(const Expr& e, const char* what) {
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

}  // namespace exec

}  // namespace kg::query
