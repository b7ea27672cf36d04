// CALL procedure(...) YIELD ...

#include "executor_internal.h"

namespace kg::query::exec {

void Executor::RunCall(const Clause& c, Table& t) {
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

}  // namespace kg::query::exec
