// UNWIND.

#include "executor_internal.h"

namespace kg::query::exec {

void Executor::RunUnwind(const Clause& c, Table& t) {
  if (analysis_->fused_unwinds.count(&c)) {
    // The next clause (an aggregating projection) makes the rows: t.rows stay the input.
    pending_unwind_ = &c;
    pending_unwind_plan_ = plan_.size() - 1;
    t.scope.push_back(c.alias);
    return;
  }
  std::vector<Row> out;
  if (auto keyset = analysis_->evidence_keys.find(&c); keyset != analysis_->evidence_keys.end()) {
    // Evidence maps read through a few keys: made from the streamed records, without a list.
    std::vector<std::string> keys(keyset->second.begin(), keyset->second.end());
    UnwindEvidenceEach(
        c, keys, t.rows, t.scope, [&](Row& row, bool) { out.push_back(row); },
        [&](Row& row, const Value* values, bool) {
          row.back() = EvidenceKeysMap(keys, values);
          out.push_back(row);
        });
  } else {
    UnwindEach(c, t.rows, t.scope, [&](Row& row) { out.push_back(row); });
  }
  t.scope.push_back(c.alias);
  t.rows = std::move(out);
}

// An evidence UNWIND's list (EvidenceOnlyAsResult) for one row: true with *subject the node
// or relationship when the list is evidence(*subject), reached through the CASEs the row
// chooses; false with *list the evaluated list otherwise (evidence(null) is null, and
// evidence() of anything else raises its error here).
bool Executor::EvidenceSource(const Expr& e, Row& row, std::vector<std::string>& scope,
                              Value* subject, Value* list) {
  if (IsCall(e, FunctionKey("evidence")) && !e.distinct && e.args.size() == 1) {
    Value x = EvalIn(*e.args[0], row, scope);
    if (x.type() == Value::Type::kNode || x.type() == Value::Type::kRel) {
      *subject = std::move(x);
      return true;
    }
    if (x.is_null()) {
      *list = Value();
      return false;
    }
  } else if (e.kind == ExprKind::kCase) {
    const Expr* chosen = CaseResult(e, row, scope, ctx_);
    if (chosen == nullptr) {
      *list = Value();
      return false;
    }
    return EvidenceSource(*chosen, row, scope, subject, list);
  }
  *list = EvalIn(e, row, scope);
  return false;
}

}  // namespace kg::query::exec
