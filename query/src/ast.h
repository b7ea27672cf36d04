#pragma once
// The syntax tree the parser builds and the executor walks. Plain values, built by hand in tests.
// Expressions carry byte offsets into the query for error messages and column names.

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kg/query/graph.h"
#include "kg/query/value.h"

namespace kg::query {

enum class ExprKind : unsigned char {
  kLiteral,     // literal
  kParam,       // name
  kVar,         // name
  kProperty,    // args[0].name
  kList,        // [args...]
  kMap,         // {keys[i]: args[i]}
  kNot,
  kNeg,
  kBinary,      // args[0] op args[1]
  kIsNull,
  kIsNotNull,
  kIndex,       // args[0][args[1]]
  kSlice,       // args[0][args[1]..args[2]], either bound may be null
  kCall,        // name(args), distinct
  kCountStar,
  kCase,        // args: [test|null, when, then, when, then, ..., else|null]
  kListComp,    // [name IN args[0] WHERE args[1] | args[2]] (args[1], args[2] may be null)
  kQuantifier,  // all/any/none/single (name IN args[0] WHERE args[1]); quantifier in `keys[0]`
  kHasLabels,   // args[0]:keys...
};

enum class BinOp : unsigned char {
  kOr, kXor, kAnd, kEq, kNeq, kLt, kGt, kLe, kGe, kAdd, kSub, kMul, kDiv, kMod, kPow,
  kIn, kStartsWith, kEndsWith, kContains, kRegex
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

// An int that threads may read and write at once: a parsed query is shared by the threads that
// run its text (engine.h QueryCache), and each run may store a variable's row slot. Relaxed: it
// is only a hint, and every thread stores the same value for the same expression.
class SlotHint {
 public:
  SlotHint() = default;
  SlotHint(const SlotHint& other) : value_(static_cast<int>(other)) {}
  SlotHint& operator=(const SlotHint& other) { return *this = static_cast<int>(other); }
  SlotHint& operator=(int value) {
    value_.store(value, std::memory_order_relaxed);
    return *this;
  }
  operator int() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int> value_{-1};
};

// A function name's key: FNV-1a of its ASCII-lowercased text. Calls dispatch on it (eval.cc)
// instead of lowering the name and comparing it with each function's name, ~20 comparisons
// for nodes() on every row. consteval so that every `key == FunctionKey("nodes")` compares two
// integers.
constexpr uint64_t FunctionKeyOf(std::string_view name) {
  uint64_t h = 14695981039346656037ULL;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  }
  return h;
}
consteval uint64_t FunctionKey(std::string_view lower_name) { return FunctionKeyOf(lower_name); }

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  BinOp op = BinOp::kAnd;
  Value literal;
  std::string name;
  std::vector<std::string> keys;
  std::vector<ExprPtr> args;
  bool distinct = false;
  // A call's FunctionKeyOf(name), set with the name by the parser. The binder refuses a name
  // that is no known function (UnknownFunction), so the key of a bound query always names one:
  // the key alone recognises a function, also where two names could share a hash.
  uint64_t function = 0;
  size_t begin = 0;  // byte offsets of the expression's text
  size_t end = 0;
  // Row slot of a variable, resolved by the executor on first use (an expression is always
  // evaluated against the same row layout) and checked before each use.
  mutable SlotHint slot;
};

// True when `e` calls the function whose key is `key` (FunctionKey("evidence")).
inline bool IsCall(const Expr& e, uint64_t key) {
  return e.kind == ExprKind::kCall && e.function == key;
}

struct NodePattern {
  std::string var;  // empty when anonymous
  std::vector<std::string> labels;
  ExprPtr props;    // map literal or parameter; may be null
  size_t offset = 0;
};

struct RelPattern {
  std::string var;
  std::vector<std::string> types;
  ExprPtr props;
  Direction dir = Direction::kBoth;  // kOut: (a)-[]->(b), kIn: (a)<-[]-(b)
  bool var_length = false;
  int64_t min_hops = 1;
  std::optional<int64_t> max_hops;
  size_t offset = 0;
};

struct PatternPart {
  std::string path_var;
  std::vector<NodePattern> nodes;  // nodes.size() == rels.size() + 1
  std::vector<RelPattern> rels;
};

struct ReturnItem {
  ExprPtr expr;
  std::string alias;  // the column name: the alias, or the expression's text
  bool has_alias = false;
};

struct SortItem {
  ExprPtr expr;
  bool descending = false;
};

struct Projection {
  bool distinct = false;
  bool star = false;
  std::vector<ReturnItem> items;
  std::vector<SortItem> order;
  ExprPtr skip;
  ExprPtr limit;
  ExprPtr where;  // WITH ... WHERE
};

// One item of SET or REMOVE. `var` names the node or relationship changed.
struct SetItem {
  enum class Kind : unsigned char {
    kProperty,  // SET var.key = value / REMOVE var.key (value null)
    kReplace,   // SET var = value (a map, node or relationship)
    kMerge,     // SET var += value
    kLabels,    // SET var:L1:L2 / REMOVE var:L1:L2
  };
  Kind kind = Kind::kProperty;
  std::string var;
  std::string key;
  std::vector<std::string> labels;
  ExprPtr value;
  size_t offset = 0;
};

struct Clause {
  enum class Kind : unsigned char {
    kMatch, kUnwind, kWith, kReturn, kCreate, kCall, kDelete, kSet, kRemove, kMerge
  };
  Kind kind = Kind::kMatch;
  bool optional = false;
  std::vector<PatternPart> patterns;  // MATCH, CREATE, MERGE (one part)
  ExprPtr where;                      // MATCH
  ExprPtr expr;                       // UNWIND
  std::string alias;                  // UNWIND
  Projection projection;              // WITH, RETURN
  std::string procedure;              // CALL
  std::vector<ExprPtr> args;          // CALL, DELETE
  bool detach = false;                // DETACH DELETE
  std::vector<SetItem> set_items;     // SET, REMOVE
  std::vector<SetItem> on_create;     // MERGE: the items of its ON CREATE SET clauses, in order
  std::vector<SetItem> on_match;      // MERGE: the items of its ON MATCH SET clauses, in order
  std::vector<std::pair<std::string, std::string>> yields;  // CALL: (field, alias)
  bool yield_star = false;
  size_t offset = 0;
};

struct SingleQuery {
  std::vector<Clause> clauses;
};

struct QueryAnalysis;  // query_analysis.h

struct Query {
  bool explain = false;
  bool profile = false;
  std::vector<SingleQuery> parts;  // joined by UNION
  std::vector<bool> union_all;     // union_all[i] joins parts[i] and parts[i+1]
  // Set once after binding, before the query is shared (engine.cc); null: analyse per run.
  std::shared_ptr<const QueryAnalysis> analysis;
};

}  // namespace kg::query
