#pragma once
// Expression evaluation against one row. Throws QueryError (TypeError, ArgumentError,
// ArithmeticError, SemanticError for unknown variables/functions, ParameterMissing).

#include <chrono>
#include <exception>
#include <functional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "ast.h"
#include "kg/query/graph.h"
#include "kg/query/value.h"

namespace kg::query {

struct EvalContext {
  GraphAccess* graph = nullptr;
  const Map* params = nullptr;
  // Results of aggregate calls for the group being projected (set only while projecting).
  const std::unordered_map<const Expr*, Value>* aggregates = nullptr;
  // When set, evidence() maps hold only these keys: the executor sets it while evaluating an
  // UNWIND whose evidence maps are read only through these properties (nothing can tell).
  const std::set<std::string>* evidence_keys = nullptr;
};

// `scope[i]` names `row[i]`; both grow and shrink back while list comprehensions run.
Value Eval(const Expr& expr, std::vector<Value>& row, std::vector<std::string>& scope,
           EvalContext& ctx);

// The branch a CASE expression `e` (ExprKind::kCase) chooses for this row: its THEN or ELSE
// expression, nullptr when it gives null (no branch matched and no ELSE). What Eval evaluates
// for the CASE: shared so a caller can look at the chosen expression before evaluating it.
const Expr* CaseResult(const Expr& e, std::vector<Value>& row, std::vector<std::string>& scope,
                       EvalContext& ctx);

// True when `keys` name a built-in evidence field (doc, title, sentence, start, end, rule,
// confidence): those are read from whole records.
bool ReadsEvidenceFields(const std::vector<std::string>& keys);
// ForEachEvidence when ReadsEvidenceFields(keys): reads whole records (GraphAccess::Evidence).
void ForEachEvidenceRecord(GraphAccess& graph, bool is_rel, uint64_t id,
                           const std::vector<std::string>& keys,
                           const std::function<void(const Value* values)>& fn);
// The evidence records of node or relationship `id` (evidence()'s list, in its order) read
// through the properties `keys` only: fn(values) once per record, values[k] being what `ev.key`
// gives on its evidence map for keys[k] (a built-in field such as doc or confidence, else an
// extra property; null when absent), valid during the call only. Records whose maps are read
// no other way need not be built as maps. fn may throw: the exception leaves this function
// (records after it are not passed to fn), never through the graph's own loop (which may run
// inside a store iterator). A template: fn is called directly, not through a std::function.
template <typename Fn>
void ForEachEvidence(GraphAccess& graph, bool is_rel, uint64_t id,
                     const std::vector<std::string>& keys, Fn&& fn) {
  if (ReadsEvidenceFields(keys)) return ForEachEvidenceRecord(graph, is_rel, id, keys, fn);
  std::exception_ptr error;
  graph.ForEachEvidenceValues(is_rel, id, keys, [&](const Value* values) {
    if (error) return;
    try {
      fn(values);
    } catch (...) {
      error = std::current_exception();
    }
  });
  if (error) std::rethrow_exception(error);
}
// The evidence map evidence() makes for a record read only through `keys` (sorted ascending):
// the non-null values[k] under keys[k]. A property stored as null and an absent one read the same
// through `ev.key`, `ev IS NULL` and `count(ev)`, the only reads such maps get.
Value EvidenceKeysMap(const std::vector<std::string>& keys, const Value* values);

// `v.key` as Eval reads it (null for a null v, TypeError for a v without properties), for
// callers that hold v already.
Value PropertyOf(const Value& v, const std::string& key, const Expr& e);

// Cypher truth of a WHERE result: only true passes (null and false do not).
// Throws TypeError for non-boolean values.
bool IsTrue(const Value& value);

// True when `e` reads the variable `var` only as `var.key` (each key added to `keys`) or
// `var IS [NOT] NULL`, and with `count_and_id` also as count(var) and id(var): such uses cannot
// tell a full record (a node, an evidence map) from one holding just those keys.
bool OnlyKeyReads(const Expr& e, const std::string& var, std::set<std::string>& keys,
                  bool count_and_id = false);

// True when a call's Expr::function key names an aggregate function.
bool IsAggregateKey(uint64_t function_key);
// True when `expr` contains an aggregate call (not looking inside nested comprehensions' scopes).
bool ContainsAggregate(const Expr& expr);
// Appends the aggregate calls inside `expr` (outermost first) to `out`.
void CollectAggregates(const Expr& expr, std::vector<const Expr*>& out);

// Accumulates one aggregate call over a group.
class Aggregator {
 public:
  explicit Aggregator(const Expr* call);
  // For count(*), Add(Value(true)). Counting and summing numbers are inline (once per row).
  void Add(const Value& arg) {
    if (add_ == AddKind::kCountAll) {
      ++count_;
      return;
    }
    if (arg.is_null()) return;
    if (add_ == AddKind::kCountNonNull) {  // nothing to remember but how many
      ++count_;
      return;
    }
    if (add_ == AddKind::kSumAvg && pending_ == Pending::kNone) {
      if (arg.type() == Value::Type::kFloat) {
        all_int_ = false;
        fsum_ += arg.as_float();
        ++count_;
        return;
      }
      int64_t sum = 0;
      if (arg.type() == Value::Type::kInt && all_int_ &&
          !__builtin_add_overflow(isum_, arg.as_int(), &sum)) {
        isum_ = sum;
        fsum_ += static_cast<double>(arg.as_int());
        ++count_;
        return;
      }
    }
    AddOther(arg);
  }
  Value Finish() const;

 private:
  // What Add() does, decided once (Add runs once per row of the group). sum/avg and min/max
  // without DISTINCT fold each value in as it comes instead of keeping them all; an error they
  // meet (a value that is not a number, an integer overflow) is kept and raised by Finish, where
  // folding the kept values in the same order would have raised it.
  enum class AddKind { kCountAll, kCountNonNull, kKeep, kSumAvg, kMinMax };
  enum class Pending { kNone, kNotNumber, kOverflow };

  void AddOther(const Value& arg);  // the rest of Add (REQUIRES: arg not null, not a count)

  const Expr* call_;
  std::string name_;
  AddKind add_ = AddKind::kKeep;
  std::vector<Value> values_;
  int64_t count_ = 0;
  // kSumAvg: what Finish's loop over the kept values would have summed so far; count_ values.
  bool all_int_ = true;
  int64_t isum_ = 0;
  double fsum_ = 0;
  Pending pending_ = Pending::kNone;
  Value::Type bad_type_ = Value::Type::kNull;
  // kMinMax: the best value so far (null: none yet; a null argument is never added).
  Value best_;
};

std::string Lower(std::string s);

}  // namespace kg::query
