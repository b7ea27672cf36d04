// UNWIND.

#include "executor_internal.h"

namespace kg::query::exec {

void Executor::RunUnwind(const Clause& c, Table& t) {
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

}  // namespace kg::query::exec
