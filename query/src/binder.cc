#include "binder.h"

#include <map>
#include <set>

#include "eval.h"
#include "query_error.h"

namespace kg::query {
namespace {

enum class Kind { kNode, kRel, kRelList, kPath, kValue, kUnknown };

const char* KindName(Kind k) {
  switch (k) {
    case Kind::kNode: return "a node";
    case Kind::kRel: return "a relationship";
    case Kind::kRelList: return "a list of relationships";
    case Kind::kPath: return "a path";
    case Kind::kValue: return "a value";
    case Kind::kUnknown: return "a value";
  }
  return "?";
}

const std::set<std::string>& KnownFunctions() {
  static const std::set<std::string> kNames = {
      "id", "labels", "type", "properties", "keys", "size", "length", "nodes", "relationships",
      "startnode", "endnode", "coalesce", "tolower", "toupper", "trim", "ltrim", "rtrim",
      "tostring", "tointeger", "tofloat", "toboolean", "exists", "head", "last", "tail",
      "reverse", "range", "substring", "left", "right", "replace", "split", "abs", "ceil",
      "floor", "round", "sqrt", "sign", "exp", "log", "log10", "evidence", "degree", "rand", "count",
      "collect", "sum", "avg", "min", "max"};
  return kNames;
}

class Binder {
 public:
  void BindQuery(const Query& q) {
    for (const auto& part : q.parts) {
      scope_.clear();
      for (const auto& c : part.clauses) BindClause(c);
    }
  }

 private:
  using Scope = std::map<std::string, Kind>;

  [[noreturn]] static void Fail(const char* detail, const std::string& msg, size_t offset) {
    throw QueryError("SyntaxError", detail, msg, offset);
  }

  Kind KindOf(const Expr& e) const {
    switch (e.kind) {
      case ExprKind::kVar: {
        auto it = scope_.find(e.name);
        return it == scope_.end() ? Kind::kUnknown : it->second;
      }
      case ExprKind::kLiteral:
        return e.literal.is_null() ? Kind::kUnknown : Kind::kValue;
      case ExprKind::kList:
      case ExprKind::kMap:
      case ExprKind::kBinary:
      case ExprKind::kNot:
      case ExprKind::kNeg:
      case ExprKind::kIsNull:
      case ExprKind::kIsNotNull:
      case ExprKind::kCountStar:
      case ExprKind::kListComp:
      case ExprKind::kQuantifier:
      case ExprKind::kHasLabels: return Kind::kValue;
      default: return Kind::kUnknown;
    }
  }

  void CheckBooleanOperand(const Expr& e) {
    bool bad = false;
    if (e.kind == ExprKind::kLiteral) {
      bad = !e.literal.is_null() && e.literal.type() != Value::Type::kBool;
    } else if (e.kind == ExprKind::kList || e.kind == ExprKind::kMap) {
      bad = true;
    }
    if (bad) Fail("InvalidArgumentType", "boolean operator applied to a non-boolean", e.begin);
  }

  void CheckExpr(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kVar:
        if (!scope_.count(e.name)) {
          Fail("UndefinedVariable", "variable `" + e.name + "` not defined", e.begin);
        }
        return;
      case ExprKind::kListComp:
      case ExprKind::kQuantifier: {
        CheckExpr(*e.args[0]);
        Scope saved = scope_;
        scope_[e.name] = Kind::kUnknown;
        for (size_t i = 1; i < e.args.size(); ++i) {
          if (e.args[i]) CheckExpr(*e.args[i]);
        }
        scope_ = std::move(saved);
        return;
      }
      case ExprKind::kCall: {
        std::string name = Lower(e.name);
        if (!KnownFunctions().count(name)) {
          Fail("UnknownFunction", "unknown function " + e.name + "()", e.begin);
        }
        break;
      }
      case ExprKind::kNot: CheckBooleanOperand(*e.args[0]); break;
      case ExprKind::kBinary:
        if (e.op == BinOp::kAnd || e.op == BinOp::kOr || e.op == BinOp::kXor) {
          CheckBooleanOperand(*e.args[0]);
          CheckBooleanOperand(*e.args[1]);
        }
        break;
      default: break;
    }
    for (const auto& a : e.args) {
      if (a) CheckExpr(*a);
    }
  }

  void NoAggregates(const Expr* e, const char* where) {
    if (e && ContainsAggregate(*e)) {
      Fail("InvalidAggregation", std::string("aggregation is not allowed in ") + where, e->begin);
    }
  }

  void Declare(const std::string& var, Kind kind, size_t offset, bool in_create,
               std::set<std::string>& this_clause) {
    if (var.empty()) return;
    auto it = scope_.find(var);
    if (it == scope_.end()) {
      scope_[var] = kind;
      this_clause.insert(var);
      return;
    }
    Kind have = it->second;
    if (kind == Kind::kPath) {
      Fail("VariableAlreadyBound", "variable `" + var + "` already declared", offset);
    }
    bool compatible = have == kind || have == Kind::kUnknown ||
                      (kind == Kind::kRelList && have == Kind::kValue);
    if (have == Kind::kPath || !compatible) {
      if (in_create && kind == Kind::kRel) {
        Fail("VariableAlreadyBound", "variable `" + var + "` already declared", offset);
      }
      Fail("VariableTypeConflict",
           "variable `" + var + "` is " + KindName(have) + ", used as " + KindName(kind), offset);
    }
    if (in_create && kind == Kind::kRel) {
      Fail("VariableAlreadyBound", "relationship `" + var + "` already declared", offset);
    }
    if (kind == Kind::kRel || kind == Kind::kRelList) {
      // The same relationship variable twice in one MATCH can never match.
      if (this_clause.count(var)) {
        Fail("RelationshipUniquenessViolation",
             "relationship `" + var + "` used twice in one pattern", offset);
      }
    }
    if (have == Kind::kUnknown) it->second = kind;
  }

  // `create`: CREATE or MERGE (which may also make what it names); MERGE allows an undirected
  // relationship, made left to right.
  void BindPatterns(const Clause& c, bool create) {
    const char* clause = c.kind == Clause::Kind::kMerge ? "MERGE" : "CREATE";
    std::set<std::string> this_clause;
    for (const auto& part : c.patterns) {
      for (size_t i = 0; i < part.nodes.size(); ++i) {
        const auto& n = part.nodes[i];
        if (create && !n.var.empty() && scope_.count(n.var) && !this_clause.count(n.var)) {
          if (!n.labels.empty() || n.props || part.nodes.size() == 1) {
            Fail("VariableAlreadyBound", "variable `" + n.var + "` already declared",
                 n.offset);
          }
        }
        if (create && !n.var.empty() && this_clause.count(n.var) &&
            (!n.labels.empty() || n.props)) {
          Fail("VariableAlreadyBound", "variable `" + n.var + "` already declared", n.offset);
        }
        if (!create && n.props && n.props->kind == ExprKind::kParam) {
          Fail("InvalidParameterUse", "a parameter cannot be a property map in MATCH",
               n.props->begin);
        }
        Declare(n.var, Kind::kNode, n.offset, create, this_clause);
      }
      for (const auto& r : part.rels) {
        if (create && !r.var.empty() && scope_.count(r.var)) {
          Fail("VariableAlreadyBound", "relationship `" + r.var + "` already declared", r.offset);
        }
        if (!create && r.props && r.props->kind == ExprKind::kParam) {
          Fail("InvalidParameterUse", "a parameter cannot be a property map in MATCH",
               r.props->begin);
        }
        if (create) {
          if (r.types.size() != 1) {
            Fail("NoSingleRelationshipType",
                 std::string(clause) + " needs exactly one relationship type", r.offset);
          }
          if (r.dir == Direction::kBoth && c.kind != Clause::Kind::kMerge) {
            Fail("RequiresDirectedRelationship", "CREATE needs a directed relationship",
                 r.offset);
          }
          if (r.var_length) {
            Fail("CreatingVarLength",
                 std::string(clause) + " cannot create a variable-length relationship",
                 r.offset);
          }
        }
        Declare(r.var, r.var_length ? Kind::kRelList : Kind::kRel, r.offset, create,
                this_clause);
      }
      if (!part.path_var.empty()) {
        Declare(part.path_var, Kind::kPath, part.nodes[0].offset, create, this_clause);
      }
    }
    for (const auto& part : c.patterns) {
      for (const auto& n : part.nodes) {
        if (n.props) {
          CheckExpr(*n.props);
          NoAggregates(n.props.get(), "a pattern");
        }
      }
      for (const auto& r : part.rels) {
        if (r.props) {
          CheckExpr(*r.props);
          NoAggregates(r.props.get(), "a pattern");
        }
      }
    }
  }

  // Text-free check: a non-aggregated expression inside an aggregating item may use only
  // variables that are grouping keys themselves.
  void CheckAmbiguous(const Expr& e, const std::set<std::string>& key_vars,
                      const std::vector<const Expr*>& keys) {
    for (const Expr* k : keys) {
      if (SameShape(*k, e)) return;
    }
    if (e.kind == ExprKind::kCountStar ||
        (e.kind == ExprKind::kCall && IsAggregateKey(e.function))) {
      return;
    }
    if (e.kind == ExprKind::kVar && !key_vars.count(e.name)) {
      Fail("AmbiguousAggregationExpression",
           "`" + e.name + "` is neither aggregated nor a grouping key", e.begin);
    }
    if (e.kind == ExprKind::kListComp || e.kind == ExprKind::kQuantifier) {
      std::set<std::string> inner = key_vars;
      inner.insert(e.name);
      for (const auto& a : e.args) {
        if (a) CheckAmbiguous(*a, inner, keys);
      }
      return;
    }
    for (const auto& a : e.args) {
      if (a) CheckAmbiguous(*a, key_vars, keys);
    }
  }

  void BindProjection(const Clause& c) {
    const Projection& p = c.projection;
    bool is_with = c.kind == Clause::Kind::kWith;
    if (p.star && !is_with && scope_.empty() && p.items.empty()) {
      Fail("NoVariablesInScope", "RETURN * / WITH * needs variables in scope", c.offset);
    }
    bool aggregating = false;
    std::set<std::string> key_vars;
    std::vector<const Expr*> keys;
    for (const auto& it : p.items) {
      CheckExpr(*it.expr);
      if (ContainsAggregate(*it.expr)) {
        aggregating = true;
        std::vector<const Expr*> calls;
        CollectAggregates(*it.expr, calls);  // throws NestedAggregation
        for (const Expr* call : calls) {
          for (const auto& a : call->args) {
            if (a && CallsRand(*a)) {
              Fail("NonConstantExpression", "aggregating a non-deterministic expression",
                   a->begin);
            }
          }
        }
      } else {
        // Only variables and property reads of variables may reappear inside an aggregating
        // expression (openCypher: more complex keys are ambiguous even when projected).
        const Expr& k = *it.expr;
        if (k.kind == ExprKind::kVar ||
            (k.kind == ExprKind::kProperty && k.args[0]->kind == ExprKind::kVar)) {
          keys.push_back(&k);
        }
        if (k.kind == ExprKind::kVar) key_vars.insert(k.name);
      }
    }
    if (aggregating) {
      for (const auto& it : p.items) {
        if (ContainsAggregate(*it.expr)) CheckAmbiguous(*it.expr, key_vars, keys);
      }
    }
    Scope next;
    if (p.star) next = scope_;
    std::set<std::string> names;
    for (const auto& it : p.items) {
      if (is_with && !it.has_alias && it.expr->kind != ExprKind::kVar) {
        Fail("NoExpressionAlias", "expression in WITH must be aliased (use AS)", it.expr->begin);
      }
      if (!names.insert(it.alias).second) {
        Fail("ColumnNameConflict", "column name '" + it.alias + "' is used twice",
             it.expr->begin);
      }
      next[it.alias] = KindOf(*it.expr);
    }
    // ORDER BY sees the projected aliases and, without aggregation/DISTINCT, the old variables.
    Scope order_scope = (aggregating || p.distinct) ? Scope{} : scope_;
    for (const auto& [k, v] : next) order_scope[k] = v;
    std::swap(scope_, order_scope);
    if (p.where && !aggregating && !p.distinct) {
      // WITH ... WHERE also sees the variables before the projection.
      CheckExpr(*p.where);
      NoAggregates(p.where.get(), "WHERE");
    }
    for (const auto& s : p.order) {
      if (aggregating || p.distinct) {
        bool is_item = false;
        for (const auto& it : p.items) {
          if (SameShape(*it.expr, *s.expr)) is_item = true;
        }
        if (!is_item) CheckExpr(*s.expr);
      } else {
        CheckExpr(*s.expr);
      }
    }
    scope_ = std::move(next);
    if (p.where && (aggregating || p.distinct)) {
      CheckExpr(*p.where);
      NoAggregates(p.where.get(), "WHERE");
    }
    for (const Expr* e : {p.skip.get(), p.limit.get()}) {
      if (!e) continue;
      if (HasVariables(*e)) {
        Fail("NonConstantExpression", "SKIP/LIMIT must be constant", e->begin);
      }
    }
  }

  static bool CallsRand(const Expr& e) {
    if (IsCall(e, FunctionKey("rand"))) return true;
    for (const auto& a : e.args) {
      if (a && CallsRand(*a)) return true;
    }
    return false;
  }

  static bool HasVariables(const Expr& e) {
    if (e.kind == ExprKind::kVar) return true;
    for (const auto& a : e.args) {
      if (a && HasVariables(*a)) return true;
    }
    return false;
  }

  static bool SameShape(const Expr& a, const Expr& b) {
    if (a.kind != b.kind || a.name != b.name || a.op != b.op || a.keys != b.keys ||
        a.args.size() != b.args.size() || a.distinct != b.distinct) {
      return false;
    }
    if (a.kind == ExprKind::kLiteral) {
      auto eq = Equals(a.literal, b.literal);
      if (!(a.literal.is_null() && b.literal.is_null()) && !(eq && *eq)) return false;
    }
    for (size_t i = 0; i < a.args.size(); ++i) {
      if (!a.args[i] != !b.args[i]) return false;
      if (a.args[i] && !SameShape(*a.args[i], *b.args[i])) return false;
    }
    return true;
  }

  void BindClause(const Clause& c) {
    switch (c.kind) {
      case Clause::Kind::kMatch:
        BindPatterns(c, false);
        if (c.where) {
          CheckExpr(*c.where);
          NoAggregates(c.where.get(), "WHERE");
        }
        break;
      case Clause::Kind::kCreate: BindPatterns(c, true); break;
      case Clause::Kind::kUnwind:
        CheckExpr(*c.expr);
        NoAggregates(c.expr.get(), "UNWIND");
        if (scope_.count(c.alias)) {
          Fail("VariableAlreadyBound", "variable `" + c.alias + "` already declared", c.offset);
        }
        scope_[c.alias] = Kind::kUnknown;
        break;
      case Clause::Kind::kWith:
      case Clause::Kind::kReturn: BindProjection(c); break;
      case Clause::Kind::kCall:
        for (const auto& a : c.args) CheckExpr(*a);
        for (const auto& y : c.yields) scope_[y.second] = Kind::kUnknown;
        if (c.yield_star) {
          // Fields are known only to the procedure; the executor resolves them.
          for (const char* f : {"node", "score", "degree", "in", "out", "component", "path",
                                "length"}) {
            if (!scope_.count(f)) scope_[f] = Kind::kUnknown;
          }
        }
        if (c.where) CheckExpr(*c.where);
        break;
      case Clause::Kind::kDelete:
        for (const auto& a : c.args) {
          CheckExpr(*a);
          NoAggregates(a.get(), "DELETE");
        }
        break;
      case Clause::Kind::kSet:
      case Clause::Kind::kRemove:
        BindSetItems(c.set_items, c.kind == Clause::Kind::kSet ? "SET" : "REMOVE");
        break;
      case Clause::Kind::kMerge:
        BindPatterns(c, true);
        BindSetItems(c.on_create, "ON CREATE SET");
        BindSetItems(c.on_match, "ON MATCH SET");
        break;
    }
  }

  void BindSetItems(const std::vector<SetItem>& items, const char* what) {
    for (const auto& item : items) {
      if (!scope_.count(item.var)) {
        Fail("UndefinedVariable", "variable `" + item.var + "` not defined", item.offset);
      }
      if (item.value) {
        CheckExpr(*item.value);
        NoAggregates(item.value.get(), what);
      }
    }
  }

  Scope scope_;
};

}  // namespace

void Bind(const Query& query) {
  Binder binder;
  binder.BindQuery(query);
}

}  // namespace kg::query
