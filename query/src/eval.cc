#include "eval.h"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <memory>
#include <set>
#include <string>

#include "query_error.h"

namespace kg::query {
namespace {

QueryError TypeErr(const std::string& msg, const Expr& e,
                   const char* detail = "InvalidArgumentType") {
  return QueryError("TypeError", detail, msg, e.begin);
}

QueryError ArgErr(const std::string& msg, const Expr& e,
                  const char* detail = "InvalidArgumentValue") {
  return QueryError("ArgumentError", detail, msg, e.begin);
}

// Ternary logic: nullopt is null.
std::optional<bool> Truth(const Value& v, const Expr& e) {
  if (v.is_null()) return std::nullopt;
  if (v.type() != Value::Type::kBool) {
    throw TypeErr(std::string("expected a boolean but got ") + TypeName(v.type()), e);
  }
  return v.as_bool();
}

Value FromTruth(std::optional<bool> b) { return b ? Value(*b) : Value(); }

int64_t CheckedInt(bool overflow, int64_t r, const Expr& e) {
  if (overflow) throw QueryError("ArithmeticError", "IntegerOverflow", "integer overflow", e.begin);
  return r;
}

Value Arith(BinOp op, const Value& a, const Value& b, const Expr& e) {
  if (a.is_null() || b.is_null()) return Value();
  if (op == BinOp::kAdd) {
    if (a.type() == Value::Type::kList || b.type() == Value::Type::kList) {
      List out;
      if (a.type() == Value::Type::kList) out = a.as_list();
      else out.push_back(a);
      if (b.type() == Value::Type::kList) {
        out.insert(out.end(), b.as_list().begin(), b.as_list().end());
      } else {
        out.push_back(b);
      }
      return Value(std::move(out));
    }
    if (a.type() == Value::Type::kString || b.type() == Value::Type::kString) {
      auto str = [&](const Value& v) -> std::string {
        if (v.type() == Value::Type::kString) return v.as_string();
        if (v.is_number() || v.type() == Value::Type::kBool) return ToCypherString(v);
        throw TypeErr(std::string("cannot add STRING and ") + TypeName(v.type()), e);
      };
      return Value(str(a) + str(b));
    }
  }
  if (!a.is_number() || !b.is_number()) {
    throw TypeErr(std::string("cannot apply arithmetic to ") + TypeName(a.type()) + " and " +
                      TypeName(b.type()),
                  e);
  }
  if (a.type() == Value::Type::kInt && b.type() == Value::Type::kInt) {
    int64_t x = a.as_int(), y = b.as_int(), r = 0;
    bool overflow = false;
    switch (op) {
      case BinOp::kAdd:
        overflow = __builtin_add_overflow(x, y, &r);
        return Value(CheckedInt(overflow, r, e));
      case BinOp::kSub:
        overflow = __builtin_sub_overflow(x, y, &r);
        return Value(CheckedInt(overflow, r, e));
      case BinOp::kMul:
        overflow = __builtin_mul_overflow(x, y, &r);
        return Value(CheckedInt(overflow, r, e));
      case BinOp::kDiv:
        if (y == 0) throw QueryError("ArithmeticError", "DivisionByZero", "division by zero",
                                     e.begin);
        if (x == INT64_MIN && y == -1) CheckedInt(true, 0, e);
        return Value(x / y);
      case BinOp::kMod:
        if (y == 0) throw QueryError("ArithmeticError", "DivisionByZero", "modulo by zero",
                                     e.begin);
        if (y == -1) return Value(int64_t{0});
        return Value(x % y);
      case BinOp::kPow: return Value(std::pow(double(x), double(y)));
      default: break;
    }
  }
  double x = a.as_number(), y = b.as_number();
  switch (op) {
    case BinOp::kAdd: return Value(x + y);
    case BinOp::kSub: return Value(x - y);
    case BinOp::kMul: return Value(x * y);
    case BinOp::kDiv: return Value(x / y);
    case BinOp::kMod: return Value(std::fmod(x, y));
    case BinOp::kPow: return Value(std::pow(x, y));
    default: break;
  }
  return Value();
}

// Reading a deleted entity's labels or properties (openCypher: EntityNotFound).
void CheckNotDeleted(const Value& v, const Expr& e) {
  bool deleted = (v.type() == Value::Type::kNode && v.as_node()->deleted) ||
                 (v.type() == Value::Type::kRel && v.as_rel()->deleted);
  if (deleted) {
    throw QueryError("EntityNotFound", "DeletedEntityAccess",
                     "the node or relationship was deleted by this query", e.begin);
  }
}

Value GetProperty(const Value& v, const std::string& key, const Expr& e) {
  CheckNotDeleted(v, e);
  switch (v.type()) {
    case Value::Type::kNull: return Value();
    case Value::Type::kNode: return NodeProperty(*v.as_node(), key);
    case Value::Type::kRel: {
      const auto& props = v.as_rel()->props;
      auto it = props.find(key);
      return it == props.end() ? Value() : FromJson(*it);
    }
    case Value::Type::kMap: {
      auto it = v.as_map().find(key);
      return it == v.as_map().end() ? Value() : it->second;
    }
    default:
      throw TypeErr(std::string("cannot read property '") + key + "' of " + TypeName(v.type()),
                    e, "PropertyAccessOnNonMap");
  }
}

Value PropertiesMap(const Properties& props) {
  Map m;
  for (auto it = props.begin(); it != props.end(); ++it) m[it.key()] = FromJson(it.value());
  return Value(std::move(m));
}

// Index helpers with Cypher's negative indexing.
int64_t NormalizeIndex(int64_t i, int64_t size) { return i < 0 ? i + size : i; }

Value Slice(const Value& v, const Value& from, const Value& to, const Expr& e) {
  if (v.is_null()) return Value();
  if ((!from.is_null() && from.type() != Value::Type::kInt) ||
      (!to.is_null() && to.type() != Value::Type::kInt)) {
    if (from.is_null() && to.is_null()) return Value();
    throw TypeErr("slice bounds must be integers", e);
  }
  if (v.type() != Value::Type::kList) throw TypeErr("can only slice a list", e);
  const auto& list = v.as_list();
  int64_t n = static_cast<int64_t>(list.size());
  int64_t lo = from.is_null() ? 0 : NormalizeIndex(from.as_int(), n);
  int64_t hi = to.is_null() ? n : NormalizeIndex(to.as_int(), n);
  lo = std::clamp<int64_t>(lo, 0, n);
  hi = std::clamp<int64_t>(hi, 0, n);
  if (hi <= lo) return Value(List{});
  return Value(List(list.begin() + lo, list.begin() + hi));
}

std::string ToStringValue(const Value& v, const Expr& e) {
  switch (v.type()) {
    case Value::Type::kString: return v.as_string();
    case Value::Type::kInt:
    case Value::Type::kFloat:
    case Value::Type::kBool: return ToCypherString(v);
    default:
      throw ArgErr(std::string("toString() does not accept ") + TypeName(v.type()), e);
  }
}

Value ToInteger(const Value& v, const Expr& e) {
  switch (v.type()) {
    case Value::Type::kNull: return Value();
    case Value::Type::kInt: return v;
    case Value::Type::kBool: return Value(int64_t{v.as_bool() ? 1 : 0});
    case Value::Type::kFloat: {
      double d = v.as_float();
      if (std::isnan(d) || d >= 9.3e18 || d <= -9.3e18) return Value();
      return Value(static_cast<int64_t>(d));
    }
    case Value::Type::kString: {
      const std::string& s = v.as_string();
      try {
        size_t used = 0;
        long long i = std::stoll(s, &used);
        if (used == s.size()) return Value(int64_t{i});
      } catch (...) {
      }
      try {
        size_t used = 0;
        double d = std::stod(s, &used);
        if (used == s.size() && std::isfinite(d)) return Value(static_cast<int64_t>(d));
      } catch (...) {
      }
      return Value();
    }
    default:
      throw ArgErr(std::string("toInteger() does not accept ") + TypeName(v.type()), e);
  }
}

Value ToFloat(const Value& v, const Expr& e) {
  switch (v.type()) {
    case Value::Type::kNull: return Value();
    case Value::Type::kFloat: return v;
    case Value::Type::kInt: return Value(double(v.as_int()));
    case Value::Type::kString: {
      const std::string& s = v.as_string();
      try {
        size_t used = 0;
        double d = std::stod(s, &used);
        if (used == s.size()) return Value(d);
      } catch (...) {
      }
      return Value();
    }
    default: throw ArgErr(std::string("toFloat() does not accept ") + TypeName(v.type()), e);
  }
}

std::string TrimChars(const std::string& s, bool left, bool right) {
  size_t b = 0, e = s.size();
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  if (left) while (b < e && space(s[b])) ++b;
  if (right) while (e > b && space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

// evidence()'s built-in fields: every map has them (EvidenceValue), before the extra properties.
constexpr const char* kEvidenceFields[] = {"doc", "title", "sentence", "start",
                                           "end", "rule",  "confidence"};

bool IsEvidenceField(const std::string& key) {
  return std::any_of(std::begin(kEvidenceFields), std::end(kEvidenceFields),
                     [&](const char* f) { return key == f; });
}

// The value of built-in field or extra property `key` of `ev`, as its evidence map holds it.
Value EvidenceRowValue(const EvidenceRow& ev, const std::string& key) {
  if (key == "doc") return Value(ev.doc);
  if (key == "title") return Value(ev.title);
  if (key == "sentence") return Value(ev.sentence);
  if (key == "start") return Value(ev.start);
  if (key == "end") return Value(ev.end);
  if (key == "rule") return Value(ev.rule);
  if (key == "confidence") return Value(ev.confidence);
  auto it = ev.properties.find(key);
  return it == ev.properties.end() ? Value() : FromJson(*it);
}

bool IsEvidenceCall(const Expr& e) {
  return IsCall(e, FunctionKey("evidence")) && !e.distinct && e.args.size() == 1 && e.args[0];
}

bool HasEvidenceCall(const Expr& e) {
  if (IsCall(e, FunctionKey("evidence"))) return true;
  return std::any_of(e.args.begin(), e.args.end(),
                     [](const ExprPtr& a) { return a && HasEvidenceCall(*a); });
}


Value EvidenceValue(GraphAccess* graph, const Value& v, const Expr& e,
                    const std::set<std::string>* keys) {
  if (v.is_null()) return Value();
  bool is_rel = v.type() == Value::Type::kRel;
  if (!is_rel && v.type() != Value::Type::kNode) {
    throw ArgErr("evidence() expects a node or relationship", e);
  }
  uint64_t id = is_rel ? v.as_rel()->id : v.as_node()->id;
  List out;
  if (keys) {
    // The maps are read only as ev.key, ev IS NULL and count(ev) (the executor checked): they
    // hold the keys read only, and the graph decodes just those. `keys` is sorted.
    std::vector<std::string> wanted(keys->begin(), keys->end());
    ForEachEvidence(*graph, is_rel, id, wanted, [&](const Value* values) {
      out.push_back(EvidenceKeysMap(wanted, values));
    });
    return Value(std::move(out));
  }
  // Whole maps: the built-in fields and the extra properties (a property named like a field is
  // hidden by it), each key put in at the end in ascending order (no search per key). The
  // properties are a json object, iterated in ascending key order.
  auto rows = graph->Evidence(is_rel, id);
  out.reserve(rows.size());
  for (auto& ev : rows) {
    Map m;
    bool has_props = ev.properties.is_object();
    auto prop = has_props ? ev.properties.begin() : ev.properties.end();
    auto props_end = ev.properties.end();
    // The properties ordered before `field` (all that are left when it is null); one equal to
    // it is skipped.
    auto props_before = [&](const char* field) {
      if (!has_props) return;
      for (; prop != props_end && (field == nullptr || prop.key() < field); ++prop) {
        m.emplace_hint(m.end(), prop.key(), FromJson(prop.value()));
      }
      if (field != nullptr && prop != props_end && prop.key() == field) ++prop;
    };
    auto put = [&](const char* field, Value value) {
      props_before(field);
      m.emplace_hint(m.end(), field, std::move(value));
    };
    put("confidence", Value(ev.confidence));
    put("doc", Value(std::move(ev.doc)));
    put("end", Value(ev.end));
    put("rule", Value(std::move(ev.rule)));
    put("sentence", Value(std::move(ev.sentence)));
    put("start", Value(ev.start));
    put("title", Value(std::move(ev.title)));
    props_before(nullptr);
    out.push_back(Value(std::move(m)));
  }
  return Value(std::move(out));
}

size_t Utf8Length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

Value CallFunction(const Expr& e, std::vector<Value>& row, std::vector<std::string>& scope,
                   EvalContext& ctx) {
  // id(x), the commonest call in projections (once per row): answered before the general
  // path's aggregate check and argument vector. Same results and errors.
  if (e.function == FunctionKey("id") && e.args.size() == 1 && !e.distinct) {
    Value x = Eval(*e.args[0], row, scope, ctx);
    switch (x.type()) {
      case Value::Type::kNull: return Value();
      case Value::Type::kNode: return Value(static_cast<int64_t>(x.as_node()->id));
      case Value::Type::kRel: return Value(static_cast<int64_t>(x.as_rel()->id));
      default:
        throw ArgErr(e.name + "() argument 1 must be a node or relationship, not " +
                         TypeName(x.type()),
                     e, "InvalidArgumentType");
    }
  }
  const uint64_t fn = e.function;
  if (IsAggregateKey(fn)) {
    if (ctx.aggregates) {
      auto it = ctx.aggregates->find(&e);
      if (it != ctx.aggregates->end()) return it->second;
    }
    throw QueryError("SyntaxError", "InvalidAggregation",
                     "aggregate function " + e.name + "() is not allowed here", e.begin);
  }
  if (fn == FunctionKey("coalesce")) {
    for (const auto& a : e.args) {
      Value v = Eval(*a, row, scope, ctx);
      if (!v.is_null()) return v;
    }
    return Value();
  }
  if (fn == FunctionKey("size") && e.args.size() == 1 && e.args[0]->kind == ExprKind::kCall &&
      e.args[0]->function == FunctionKey("evidence") && e.args[0]->args.size() == 1) {
    // size(evidence(x)) reads the evidence counter, not the records.
    Value x = Eval(*e.args[0]->args[0], row, scope, ctx);
    if (x.is_null()) return Value();
    if (x.type() == Value::Type::kRel) {
      if (x.as_rel()->evidence_count >= 0) return Value(x.as_rel()->evidence_count);
      return Value(ctx.graph->EvidenceCount(true, x.as_rel()->id));
    }
    if (x.type() == Value::Type::kNode) {
      return Value(ctx.graph->EvidenceCount(false, x.as_node()->id));
    }
    throw ArgErr("evidence() expects a node or relationship", e);
  }
  std::vector<Value> args;
  args.reserve(e.args.size());
  for (const auto& a : e.args) args.push_back(Eval(*a, row, scope, ctx));
  auto arity = [&](size_t lo, size_t hi) {
    if (args.size() < lo || args.size() > hi) {
      throw QueryError("SyntaxError", "InvalidNumberOfArguments",
                       "wrong number of arguments to " + e.name + "()", e.begin);
    }
  };
  auto arg_type = [&](size_t i, const char* want) -> QueryError {
    return ArgErr(e.name + "() argument " + std::to_string(i + 1) + " must be " + want +
                      ", not " + TypeName(args[i].type()),
                  e, "InvalidArgumentType");
  };
  const Value& a0 = args.empty() ? Value() : args[0];
  auto null_in = [&]() { return !args.empty() && args[0].is_null(); };

  if (fn == FunctionKey("id")) {
    arity(1, 1);
    if (null_in()) return Value();
    if (a0.type() == Value::Type::kNode) return Value(static_cast<int64_t>(a0.as_node()->id));
    if (a0.type() == Value::Type::kRel) return Value(static_cast<int64_t>(a0.as_rel()->id));
    throw arg_type(0, "a node or relationship");
  }
  if (fn == FunctionKey("labels")) {
    arity(1, 1);
    if (null_in()) return Value();
    CheckNotDeleted(a0, e);
    if (a0.type() != Value::Type::kNode) throw arg_type(0, "a node");
    List out;
    for (const auto& l : a0.as_node()->labels) out.push_back(Value(l));
    return Value(std::move(out));
  }
  if (fn == FunctionKey("type")) {
    arity(1, 1);
    if (null_in()) return Value();
    if (a0.type() != Value::Type::kRel) throw arg_type(0, "a relationship");
    return Value(a0.as_rel()->type);
  }
  if (fn == FunctionKey("properties")) {
    arity(1, 1);
    if (null_in()) return Value();
    CheckNotDeleted(a0, e);
    if (a0.type() == Value::Type::kNode) return PropertiesMap(a0.as_node()->props);
    if (a0.type() == Value::Type::kRel) return PropertiesMap(a0.as_rel()->props);
    if (a0.type() == Value::Type::kMap) return a0;
    throw arg_type(0, "a node, relationship or map");
  }
  if (fn == FunctionKey("keys")) {
    arity(1, 1);
    if (null_in()) return Value();
    CheckNotDeleted(a0, e);
    List out;
    if (a0.type() == Value::Type::kMap) {
      for (const auto& [k, v] : a0.as_map()) out.push_back(Value(k));
    } else if (a0.type() == Value::Type::kNode || a0.type() == Value::Type::kRel) {
      const auto& props =
          a0.type() == Value::Type::kNode ? a0.as_node()->props : a0.as_rel()->props;
      for (auto it = props.begin(); it != props.end(); ++it) {
        if (!it.value().is_null()) out.push_back(Value(it.key()));
      }
    } else {
      throw arg_type(0, "a node, relationship or map");
    }
    return Value(std::move(out));
  }
  if (fn == FunctionKey("size")) {
    arity(1, 1);
    if (null_in()) return Value();
    if (a0.type() == Value::Type::kList) return Value(static_cast<int64_t>(a0.as_list().size()));
    if (a0.type() == Value::Type::kString) {
      return Value(static_cast<int64_t>(Utf8Length(a0.as_string())));
    }
    if (a0.type() == Value::Type::kMap) return Value(static_cast<int64_t>(a0.as_map().size()));
    throw arg_type(0, "a list or string");
  }
  if (fn == FunctionKey("length")) {
    arity(1, 1);
    if (null_in()) return Value();
    if (a0.type() == Value::Type::kPath) {
      return Value(static_cast<int64_t>(a0.as_path()->rels.size()));
    }
    if (a0.type() == Value::Type::kString) {
      return Value(static_cast<int64_t>(Utf8Length(a0.as_string())));
    }
    if (a0.type() == Value::Type::kList) return Value(static_cast<int64_t>(a0.as_list().size()));
    throw arg_type(0, "a path");
  }
  if (fn == FunctionKey("nodes") || fn == FunctionKey("relationships")) {
    arity(1, 1);
    if (null_in()) return Value();
    if (a0.type() != Value::Type::kPath) throw arg_type(0, "a path");
    List out;
    out.reserve(fn == FunctionKey("nodes") ? a0.as_path()->nodes.size()
                                           : a0.as_path()->rels.size());
    if (fn == FunctionKey("nodes")) {
      for (const auto& n : a0.as_path()->nodes) out.push_back(Value(n));
    } else {
      for (const auto& r : a0.as_path()->rels) out.push_back(Value(r));
    }
    return Value(std::move(out));
  }
  if (fn == FunctionKey("startnode") || fn == FunctionKey("endnode")) {
    arity(1, 1);
    if (null_in()) return Value();
    if (a0.type() != Value::Type::kRel) throw arg_type(0, "a relationship");
    uint64_t id = fn == FunctionKey("startnode") ? a0.as_rel()->src : a0.as_rel()->dst;
    NodeRef n = ctx.graph->GetNode(id);
    return n ? Value(n) : Value();
  }
  if (fn == FunctionKey("tolower") || fn == FunctionKey("toupper")) {
    arity(1, 1);
    if (null_in()) return Value();
    if (a0.type() != Value::Type::kString) throw arg_type(0, "a string");
    std::string s = a0.as_string();
    for (auto& c : s) {
      c = static_cast<char>(fn == FunctionKey("tolower") ? std::tolower(static_cast<unsigned char>(c))
                                              : std::toupper(static_cast<unsigned char>(c)));
    }
    return Value(s);
  }
  if (fn == FunctionKey("trim") || fn == FunctionKey("ltrim") || fn == FunctionKey("rtrim")) {
    arity(1, 1);
    if (null_in()) return Value();
    if (a0.type() != Value::Type::kString) throw arg_type(0, "a string");
    return Value(TrimChars(a0.as_string(), fn != FunctionKey("rtrim"), fn != FunctionKey("ltrim")));
  }
  if (fn == FunctionKey("tostring")) {
    arity(1, 1);
    if (null_in()) return Value();
    return Value(ToStringValue(a0, e));
  }
  if (fn == FunctionKey("tointeger")) {
    arity(1, 1);
    return ToInteger(a0, e);
  }
  if (fn == FunctionKey("tofloat")) {
    arity(1, 1);
    return ToFloat(a0, e);
  }
  if (fn == FunctionKey("toboolean")) {
    arity(1, 1);
    if (null_in()) return Value();
    if (a0.type() == Value::Type::kBool) return a0;
    if (a0.type() == Value::Type::kString) {
      std::string s = Lower(TrimChars(a0.as_string(), true, true));
      if (s == "true") return Value(true);
      if (s == "false") return Value(false);
      return Value();
    }
    throw arg_type(0, "a boolean or string");
  }
  if (fn == FunctionKey("exists")) {
    arity(1, 1);
    return Value(!a0.is_null());
  }
  if (fn == FunctionKey("head") || fn == FunctionKey("last")) {
    arity(1, 1);
    if (null_in()) return Value();
    if (a0.type() != Value::Type::kList) throw arg_type(0, "a list");
    if (a0.as_list().empty()) return Value();
    return fn == FunctionKey("head") ? a0.as_list().front() : a0.as_list().back();
  }
  if (fn == FunctionKey("tail")) {
    arity(1, 1);
    if (null_in()) return Value();
    if (a0.type() != Value::Type::kList) throw arg_type(0, "a list");
    if (a0.as_list().empty()) return Value(List{});
    return Value(List(a0.as_list().begin() + 1, a0.as_list().end()));
  }
  if (fn == FunctionKey("reverse")) {
    arity(1, 1);
    if (null_in()) return Value();
    if (a0.type() == Value::Type::kString) {
      std::string s = a0.as_string();
      std::reverse(s.begin(), s.end());
      return Value(s);
    }
    if (a0.type() != Value::Type::kList) throw arg_type(0, "a list or string");
    List l = a0.as_list();
    std::reverse(l.begin(), l.end());
    return Value(std::move(l));
  }
  if (fn == FunctionKey("range")) {
    arity(2, 3);
    for (const auto& a : args) {
      if (a.type() != Value::Type::kInt) throw ArgErr("range() takes integers", e);
    }
    int64_t lo = args[0].as_int(), hi = args[1].as_int();
    int64_t step = args.size() == 3 ? args[2].as_int() : 1;
    if (step == 0) throw ArgErr("range() step must not be zero", e);
    List out;
    for (int64_t i = lo; step > 0 ? i <= hi : i >= hi; i += step) {
      out.push_back(Value(i));
      if (out.size() > 10'000'000) throw ArgErr("range() too large", e);
    }
    return Value(std::move(out));
  }
  if (fn == FunctionKey("substring")) {
    arity(2, 3);
    if (null_in()) return Value();
    if (a0.type() != Value::Type::kString) throw arg_type(0, "a string");
    if (args[1].type() != Value::Type::kInt) throw arg_type(1, "an integer");
    int64_t start = args[1].as_int();
    int64_t len = args.size() == 3 && args[2].type() == Value::Type::kInt ? args[2].as_int()
                                                                          : INT64_MAX;
    if (start < 0 || len < 0) throw ArgErr("substring() bounds must not be negative", e);
    const std::string& s = a0.as_string();
    if (static_cast<size_t>(start) >= s.size()) return Value(std::string());
    return Value(s.substr(start, static_cast<size_t>(std::min<int64_t>(len, s.size()))));
  }
  if (fn == FunctionKey("left") || fn == FunctionKey("right")) {
    arity(2, 2);
    if (null_in()) return Value();
    if (args[1].type() != Value::Type::kInt || args[1].as_int() < 0) {
      throw ArgErr(e.name + "() length must be a non-negative integer", e);
    }
    const std::string& s = a0.as_string();
    size_t n = std::min<size_t>(args[1].as_int(), s.size());
    return Value(fn == FunctionKey("left") ? s.substr(0, n) : s.substr(s.size() - n));
  }
  if (fn == FunctionKey("replace")) {
    arity(3, 3);
    for (const auto& a : args) {
      if (a.is_null()) return Value();
    }
    std::string s = a0.as_string();
    const std::string& from = args[1].as_string();
    const std::string& to = args[2].as_string();
    if (from.empty()) return Value(s);
    std::string out;
    size_t pos = 0;
    while (true) {
      size_t found = s.find(from, pos);
      if (found == std::string::npos) break;
      out += s.substr(pos, found - pos) + to;
      pos = found + from.size();
    }
    out += s.substr(pos);
    return Value(out);
  }
  if (fn == FunctionKey("split")) {
    arity(2, 2);
    if (null_in() || args[1].is_null()) return Value();
    const std::string& s = a0.as_string();
    const std::string& sep = args[1].as_string();
    List out;
    if (sep.empty()) {
      for (char c : s) out.push_back(Value(std::string(1, c)));
      return Value(std::move(out));
    }
    size_t pos = 0;
    while (true) {
      size_t found = s.find(sep, pos);
      if (found == std::string::npos) break;
      out.push_back(Value(s.substr(pos, found - pos)));
      pos = found + sep.size();
    }
    out.push_back(Value(s.substr(pos)));
    return Value(std::move(out));
  }
  if (fn == FunctionKey("abs") || fn == FunctionKey("ceil") || fn == FunctionKey("floor") || fn == FunctionKey("round") || fn == FunctionKey("sqrt") ||
      fn == FunctionKey("sign") || fn == FunctionKey("exp") || fn == FunctionKey("log") || fn == FunctionKey("log10")) {
    arity(1, 1);
    if (null_in()) return Value();
    if (!a0.is_number()) throw arg_type(0, "a number");
    if (fn == FunctionKey("abs")) {
      if (a0.type() == Value::Type::kInt) return Value(a0.as_int() < 0 ? -a0.as_int() : a0.as_int());
      return Value(std::fabs(a0.as_float()));
    }
    if (fn == FunctionKey("sign")) {
      double d = a0.as_number();
      return Value(int64_t{d > 0 ? 1 : (d < 0 ? -1 : 0)});
    }
    double d = a0.as_number();
    if (fn == FunctionKey("ceil")) return Value(std::ceil(d));
    if (fn == FunctionKey("floor")) return Value(std::floor(d));
    if (fn == FunctionKey("round")) return Value(std::floor(d + 0.5));
    if (fn == FunctionKey("sqrt")) return Value(std::sqrt(d));
    if (fn == FunctionKey("exp")) return Value(std::exp(d));
    if (fn == FunctionKey("log")) return Value(std::log(d));
    return Value(std::log10(d));
  }
  if (fn == FunctionKey("rand")) {
    arity(0, 0);
    static thread_local uint64_t state = 0x9E3779B97F4A7C15ULL ^ reinterpret_cast<uintptr_t>(&e);
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return Value(static_cast<double>(state >> 11) / 9007199254740992.0);
  }
  if (fn == FunctionKey("evidence")) {
    arity(1, 1);
    return EvidenceValue(ctx.graph, a0, e, ctx.evidence_keys);
  }
  if (fn == FunctionKey("degree")) {
    arity(1, 1);
    if (null_in()) return Value();
    if (a0.type() != Value::Type::kNode) throw arg_type(0, "a node");
    return Value(ctx.graph->Degree(a0.as_node()->id, Direction::kBoth));
  }
  throw QueryError("SyntaxError", "UnknownFunction", "unknown function " + e.name + "()",
                   e.begin);
}

}  // namespace

bool OnlyKeyReads(const Expr& e, const std::string& var, std::set<std::string>& keys,
                  bool count_and_id) {
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
  if (count_and_id && e.kind == ExprKind::kCall && !e.distinct && e.args.size() == 1 &&
      is_var(e.args[0]) &&
      (e.function == FunctionKey("count") || e.function == FunctionKey("id"))) {
    return true;
  }
  return std::all_of(e.args.begin(), e.args.end(), [&](const ExprPtr& a) {
    return !a || OnlyKeyReads(*a, var, keys, count_and_id);
  });
}

Value PropertyOf(const Value& v, const std::string& key, const Expr& e) {
  return GetProperty(v, key, e);
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool IsTrue(const Value& value) {
  if (value.is_null()) return false;
  if (value.type() != Value::Type::kBool) {
    throw QueryError("TypeError", "InvalidArgumentType",
                     std::string("WHERE expects a boolean but got ") + TypeName(value.type()));
  }
  return value.as_bool();
}

bool IsAggregateKey(uint64_t key) {
  return key == FunctionKey("sum") || key == FunctionKey("avg") || key == FunctionKey("min") ||
         key == FunctionKey("max") || key == FunctionKey("count") ||
         key == FunctionKey("collect");
}


bool ContainsAggregate(const Expr& expr) {
  if (expr.kind == ExprKind::kCountStar) return true;
  if (expr.kind == ExprKind::kCall && IsAggregateKey(expr.function)) return true;
  for (const auto& a : expr.args) {
    if (a && ContainsAggregate(*a)) return true;
  }
  return false;
}

void CollectAggregates(const Expr& expr, std::vector<const Expr*>& out) {
  if (expr.kind == ExprKind::kCountStar ||
      (expr.kind == ExprKind::kCall && IsAggregateKey(expr.function))) {
    for (const auto& a : expr.args) {
      if (a && ContainsAggregate(*a)) {
        throw QueryError("SyntaxError", "NestedAggregation",
                         "aggregate functions cannot be nested", a->begin);
      }
    }
    out.push_back(&expr);
    return;
  }
  for (const auto& a : expr.args) {
    if (a) CollectAggregates(*a, out);
  }
}

Aggregator::Aggregator(const Expr* call)
    : call_(call), name_(call->kind == ExprKind::kCountStar ? "count*" : Lower(call->name)) {
  if (name_ == "count*") {
    add_ = AddKind::kCountAll;
  } else if (name_ == "count" && !call_->distinct) {
    add_ = AddKind::kCountNonNull;
  } else if ((name_ == "sum" || name_ == "avg") && !call_->distinct) {
    add_ = AddKind::kSumAvg;
  } else if ((name_ == "min" || name_ == "max") && !call_->distinct) {
    add_ = AddKind::kMinMax;
  }
}

// The cases Add's inline part leaves: a non-null argument of sum/avg that is not a plain
// number to add, min/max, and the aggregates that keep every value (count never gets here).
void Aggregator::AddOther(const Value& arg) {
  if (add_ == AddKind::kSumAvg) {
    if (pending_ != Pending::kNone) return;
    if (!arg.is_number()) {
      pending_ = Pending::kNotNumber;
      bad_type_ = arg.type();
      return;
    }
    if (arg.type() == Value::Type::kInt && all_int_) {
      if (__builtin_add_overflow(isum_, arg.as_int(), &isum_)) {
        pending_ = Pending::kOverflow;
        return;
      }
    } else {
      all_int_ = false;
    }
    fsum_ += arg.as_number();
    ++count_;
    return;
  }
  if (add_ == AddKind::kMinMax) {
    if (best_.is_null()) {
      best_ = arg;
    } else {
      int c = OrderCompare(arg, best_);
      if (name_ == "min" ? c < 0 : c > 0) best_ = arg;
    }
    return;
  }
  values_.push_back(arg);
}

Value Aggregator::Finish() const {
  if (name_ == "count*") return Value(count_);
  if (name_ == "count" && !call_->distinct) return Value(count_);
  if (add_ == AddKind::kSumAvg) {
    if (pending_ == Pending::kNotNumber) {
      throw QueryError("TypeError", "InvalidArgumentType",
                       name_ + "() expects numbers, got " + TypeName(bad_type_), call_->begin);
    }
    if (pending_ == Pending::kOverflow) {
      throw QueryError("ArithmeticError", "IntegerOverflow", "integer overflow in sum()",
                       call_->begin);
    }
    if (name_ == "sum") return all_int_ ? Value(isum_) : Value(fsum_);
    if (count_ == 0) return Value();
    return Value(fsum_ / static_cast<double>(count_));
  }
  if (add_ == AddKind::kMinMax) return best_;
  std::vector<Value> unique;
  if (call_->distinct) {
    std::set<Value, ValueLess> seen;
    for (const auto& v : values_) {
      if (seen.insert(v).second) unique.push_back(v);
    }
  }
  const std::vector<Value>& vals = call_->distinct ? unique : values_;
  if (name_ == "count") return Value(static_cast<int64_t>(vals.size()));
  if (name_ == "collect") return Value(List(vals.begin(), vals.end()));
  if (name_ == "sum" || name_ == "avg") {
    bool all_int = true;
    int64_t isum = 0;
    double fsum = 0;
    for (const auto& v : vals) {
      if (!v.is_number()) {
        throw QueryError("TypeError", "InvalidArgumentType",
                         name_ + "() expects numbers, got " + TypeName(v.type()), call_->begin);
      }
      if (v.type() == Value::Type::kInt && all_int) {
        if (__builtin_add_overflow(isum, v.as_int(), &isum)) {
          throw QueryError("ArithmeticError", "IntegerOverflow", "integer overflow in sum()",
                           call_->begin);
        }
      } else {
        all_int = false;
      }
      fsum += v.as_number();
    }
    if (name_ == "sum") return all_int ? Value(isum) : Value(fsum);
    if (vals.empty()) return Value();
    return Value(fsum / static_cast<double>(vals.size()));
  }
  if (name_ == "min" || name_ == "max") {
    if (vals.empty()) return Value();
    const Value* best = &vals[0];
    for (const auto& v : vals) {
      int c = OrderCompare(v, *best);
      if (name_ == "min" ? c < 0 : c > 0) best = &v;
    }
    return *best;
  }
  return Value();
}

const Expr* CaseResult(const Expr& e, std::vector<Value>& row, std::vector<std::string>& scope,
                       EvalContext& ctx) {
  size_t n = e.args.size();
  if (e.args[0]) {
    Value test = Eval(*e.args[0], row, scope, ctx);
    for (size_t i = 1; i + 1 < n; i += 2) {
      auto eq = Equals(test, Eval(*e.args[i], row, scope, ctx));
      if (eq && *eq) return e.args[i + 1].get();
    }
  } else {
    for (size_t i = 1; i + 1 < n; i += 2) {
      Value cond = Eval(*e.args[i], row, scope, ctx);
      if (cond.type() == Value::Type::kBool && cond.as_bool()) return e.args[i + 1].get();
    }
  }
  return e.args[n - 1].get();
}

bool ReadsEvidenceFields(const std::vector<std::string>& keys) {
  return std::any_of(keys.begin(), keys.end(), IsEvidenceField);
}

void ForEachEvidenceRecord(GraphAccess& graph, bool is_rel, uint64_t id,
                           const std::vector<std::string>& keys,
                           const std::function<void(const Value* values)>& fn) {
  std::vector<Value> values(keys.size());
  for (const auto& ev : graph.Evidence(is_rel, id)) {
    for (size_t k = 0; k < keys.size(); ++k) values[k] = EvidenceRowValue(ev, keys[k]);
    fn(values.data());
  }
}

Value EvidenceKeysMap(const std::vector<std::string>& keys, const Value* values) {
  Map m;
  for (size_t k = 0; k < keys.size(); ++k) {
    if (!values[k].is_null()) m.emplace_hint(m.end(), keys[k], values[k]);
  }
  return Value(std::move(m));
}

// The row's value of the variable `e`, found through the slot cached in `e`.
static const Value& VarRef(const Expr& e, std::vector<Value>& row,
                           std::vector<std::string>& scope) {
  int slot = e.slot;  // read once: another thread may run the same cached expression
  if (slot < 0 || slot >= static_cast<int>(scope.size()) || scope[slot] != e.name) {
    int found = -1;
    for (int i = static_cast<int>(scope.size()) - 1; i >= 0; --i) {
      if (scope[i] == e.name) {
        found = i;
        break;
      }
    }
    if (found < 0) {
      throw QueryError("SyntaxError", "UndefinedVariable",
                       "variable `" + e.name + "` not defined", e.begin);
    }
    e.slot = found;
    slot = found;
  }
  return row[slot];
}

Value Eval(const Expr& e, std::vector<Value>& row, std::vector<std::string>& scope,
           EvalContext& ctx) {
  switch (e.kind) {
    case ExprKind::kLiteral: return e.literal;
    case ExprKind::kParam: {
      auto it = ctx.params ? ctx.params->find(e.name) : Map::const_iterator();
      if (!ctx.params || it == ctx.params->end()) {
        throw QueryError("ParameterMissing", "MissingParameter",
                         "expected a parameter named $" + e.name, e.begin);
      }
      return it->second;
    }
    case ExprKind::kVar: return VarRef(e, row, scope);
    case ExprKind::kProperty:
      // `v.key`: read from the row in place (no copy of a shared map or node per access).
      if (e.args[0]->kind == ExprKind::kVar) {
        return GetProperty(VarRef(*e.args[0], row, scope), e.name, e);
      }
      return GetProperty(Eval(*e.args[0], row, scope, ctx), e.name, e);
    case ExprKind::kList: {
      List out;
      out.reserve(e.args.size());
      for (const auto& a : e.args) out.push_back(Eval(*a, row, scope, ctx));
      return Value(std::move(out));
    }
    case ExprKind::kMap: {
      Map out;
      for (size_t i = 0; i < e.args.size(); ++i) out[e.keys[i]] = Eval(*e.args[i], row, scope, ctx);
      return Value(std::move(out));
    }
    case ExprKind::kNot: {
      auto t = Truth(Eval(*e.args[0], row, scope, ctx), e);
      return t ? Value(!*t) : Value();
    }
    case ExprKind::kNeg: {
      Value v = Eval(*e.args[0], row, scope, ctx);
      if (v.is_null()) return v;
      if (v.type() == Value::Type::kInt) {
        if (v.as_int() == INT64_MIN) CheckedInt(true, 0, e);
        return Value(-v.as_int());
      }
      if (v.type() == Value::Type::kFloat) return Value(-v.as_float());
      throw TypeErr(std::string("cannot negate ") + TypeName(v.type()), e);
    }
    case ExprKind::kIsNull: return Value(Eval(*e.args[0], row, scope, ctx).is_null());
    case ExprKind::kIsNotNull: return Value(!Eval(*e.args[0], row, scope, ctx).is_null());
    case ExprKind::kBinary: {
      if (e.op == BinOp::kAnd || e.op == BinOp::kOr || e.op == BinOp::kXor) {
        auto a = Truth(Eval(*e.args[0], row, scope, ctx), e);
        if (e.op == BinOp::kAnd && a && !*a) {
          Truth(Eval(*e.args[1], row, scope, ctx), e);  // still type-checks the right side
          return Value(false);
        }
        if (e.op == BinOp::kOr && a && *a) {
          Truth(Eval(*e.args[1], row, scope, ctx), e);
          return Value(true);
        }
        auto b = Truth(Eval(*e.args[1], row, scope, ctx), e);
        switch (e.op) {
          case BinOp::kAnd:
            if (b && !*b) return Value(false);
            if (!a || !b) return Value();
            return Value(true);
          case BinOp::kOr:
            if (b && *b) return Value(true);
            if (!a || !b) return Value();
            return Value(false);
          default:
            if (!a || !b) return Value();
            return Value(*a != *b);
        }
      }
      Value a = Eval(*e.args[0], row, scope, ctx);
      Value b = Eval(*e.args[1], row, scope, ctx);
      switch (e.op) {
        case BinOp::kEq: return FromTruth(Equals(a, b));
        case BinOp::kNeq: {
          auto eq = Equals(a, b);
          return eq ? Value(!*eq) : Value();
        }
        case BinOp::kLt:
        case BinOp::kGt:
        case BinOp::kLe:
        case BinOp::kGe: {
          if (a.is_number() && b.is_number() &&
              (std::isnan(a.as_number()) || std::isnan(b.as_number()))) {
            return Value(false);
          }
          auto c = Compare(a, b);
          if (!c) return Value();
          switch (e.op) {
            case BinOp::kLt: return Value(*c < 0);
            case BinOp::kGt: return Value(*c > 0);
            case BinOp::kLe: return Value(*c <= 0);
            default: return Value(*c >= 0);
          }
        }
        case BinOp::kAdd:
        case BinOp::kSub:
        case BinOp::kMul:
        case BinOp::kDiv:
        case BinOp::kMod:
        case BinOp::kPow: return Arith(e.op, a, b, e);
        case BinOp::kIn: {
          if (b.is_null()) return Value();
          if (b.type() != Value::Type::kList) {
            throw TypeErr(std::string("IN expects a list, got ") + TypeName(b.type()), e);
          }
          bool unknown = false;
          for (const auto& item : b.as_list()) {
            auto eq = Equals(a, item);
            if (!eq) unknown = true;
            else if (*eq) return Value(true);
          }
          return unknown ? Value() : Value(false);
        }
        case BinOp::kStartsWith:
        case BinOp::kEndsWith:
        case BinOp::kContains: {
          if (a.type() != Value::Type::kString || b.type() != Value::Type::kString) {
            return Value();
          }
          const std::string& s = a.as_string();
          const std::string& t = b.as_string();
          if (e.op == BinOp::kStartsWith) return Value(s.compare(0, t.size(), t) == 0);
          if (e.op == BinOp::kEndsWith) {
            return Value(s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0);
          }
          return Value(s.find(t) != std::string::npos);
        }
        case BinOp::kRegex: {
          if (a.type() != Value::Type::kString || b.type() != Value::Type::kString) {
            return Value();
          }
          // RE2, not std::regex: libstdc++'s backtracking matcher takes exponential time on
          // '(a*)*b' (beyond any query timeout) and recurses once per character, so a 100 kB
          // string overflowed the stack and crashed kg serve. RE2 matches in linear time and
          // bounds its memory; it has no backreferences or lookaround (they are refused).
          // One compiled pattern per thread is kept: a WHERE clause repeats the same one.
          thread_local std::string cached_pattern;
          thread_local std::unique_ptr<re2::RE2> cached;
          const std::string& pattern = b.as_string();
          if (!cached || cached_pattern != pattern) {
            re2::RE2::Options options;
            options.set_log_errors(false);
            cached = std::make_unique<re2::RE2>(pattern, options);
            cached_pattern = pattern;
          }
          if (!cached->ok()) {
            throw ArgErr("invalid regular expression '" + pattern.substr(0, 200) +
                             (pattern.size() > 200 ? "...'" : "'") + ": " + cached->error(),
                         e);
          }
          return Value(re2::RE2::FullMatch(a.as_string(), *cached));
        }
        default: return Value();
      }
    }
    case ExprKind::kIndex: {
      Value c = Eval(*e.args[0], row, scope, ctx);
      Value i = Eval(*e.args[1], row, scope, ctx);
      if (c.is_null() || i.is_null()) return Value();
      if (c.type() == Value::Type::kList) {
        if (i.type() != Value::Type::kInt) {
          throw TypeErr("list index must be an integer", e);
        }
        int64_t n = static_cast<int64_t>(c.as_list().size());
        int64_t idx = NormalizeIndex(i.as_int(), n);
        if (idx < 0 || idx >= n) return Value();
        return c.as_list()[idx];
      }
      if (c.type() == Value::Type::kMap || c.type() == Value::Type::kNode ||
          c.type() == Value::Type::kRel) {
        if (i.type() != Value::Type::kString) throw TypeErr("map key must be a string", e);
        return GetProperty(c, i.as_string(), e);
      }
      throw TypeErr(std::string("cannot index ") + TypeName(c.type()), e);
    }
    case ExprKind::kSlice: {
      Value c = Eval(*e.args[0], row, scope, ctx);
      Value from = e.args[1] ? Eval(*e.args[1], row, scope, ctx) : Value();
      Value to = e.args[2] ? Eval(*e.args[2], row, scope, ctx) : Value();
      if ((e.args[1] && from.is_null()) || (e.args[2] && to.is_null())) return Value();
      return Slice(c, from, to, e);
    }
    case ExprKind::kCall: return CallFunction(e, row, scope, ctx);
    case ExprKind::kCountStar: {
      if (ctx.aggregates) {
        auto it = ctx.aggregates->find(&e);
        if (it != ctx.aggregates->end()) return it->second;
      }
      throw QueryError("SyntaxError", "InvalidAggregation", "count(*) is not allowed here",
                       e.begin);
    }
    case ExprKind::kCase: {
      const Expr* result = CaseResult(e, row, scope, ctx);
      return result ? Eval(*result, row, scope, ctx) : Value();
    }
    case ExprKind::kListComp:
    case ExprKind::kQuantifier: {
      Value list;
      // [x IN evidence(r) WHERE .. | ..] and the quantifiers over evidence(r) whose parts read
      // x only as x.key: the evidence maps hold those keys only, and the graph decodes just
      // those (not each record's sentence, document and other properties).
      std::set<std::string> keys;
      const Expr& source = *e.args[0];
      bool keyed = IsEvidenceCall(source) && !HasEvidenceCall(*source.args[0]) &&
                   (e.kind == ExprKind::kQuantifier || e.args[2]) &&
                   std::all_of(e.args.begin() + 1, e.args.end(), [&](const ExprPtr& a) {
                     return !a || OnlyKeyReads(*a, e.name, keys);
                   });
      if (keyed) {
        const std::set<std::string>* outer = ctx.evidence_keys;
        ctx.evidence_keys = &keys;
        try {
          list = Eval(source, row, scope, ctx);
        } catch (...) {
          ctx.evidence_keys = outer;
          throw;
        }
        ctx.evidence_keys = outer;
      } else {
        list = Eval(source, row, scope, ctx);
      }
      if (list.is_null()) return Value();
      if (list.type() != Value::Type::kList) {
        throw TypeErr(std::string("expected a list but got ") + TypeName(list.type()), e);
      }
      scope.push_back(e.name);
      row.emplace_back();
      struct Pop {
        std::vector<Value>& r;
        std::vector<std::string>& s;
        ~Pop() {
          r.pop_back();
          s.pop_back();
        }
      } pop{row, scope};
      if (e.kind == ExprKind::kListComp) {
        List out;
        for (const auto& item : list.as_list()) {
          row.back() = item;
          if (e.args[1] && !IsTrue(Eval(*e.args[1], row, scope, ctx))) continue;
          out.push_back(e.args[2] ? Eval(*e.args[2], row, scope, ctx) : item);
        }
        return Value(std::move(out));
      }
      int64_t trues = 0, nulls = 0, total = 0;
      for (const auto& item : list.as_list()) {
        row.back() = item;
        ++total;
        Value p = e.args[1] ? Eval(*e.args[1], row, scope, ctx) : Value(true);
        auto t = Truth(p, e);
        if (!t) ++nulls;
        else if (*t) ++trues;
      }
      int64_t falses = total - trues - nulls;
      const std::string& q = e.keys[0];
      if (q == "all") return falses > 0 ? Value(false) : (nulls > 0 ? Value() : Value(true));
      if (q == "any") return trues > 0 ? Value(true) : (nulls > 0 ? Value() : Value(false));
      if (q == "none") return trues > 0 ? Value(false) : (nulls > 0 ? Value() : Value(true));
      // single
      if (trues > 1) return Value(false);
      if (nulls > 0) return Value();
      return Value(trues == 1);
    }
    case ExprKind::kHasLabels: {
      Value v = Eval(*e.args[0], row, scope, ctx);
      if (v.is_null()) return Value();
      if (v.type() != Value::Type::kNode) throw TypeErr("label predicate needs a node", e);
      const auto& labels = v.as_node()->labels;
      for (const auto& l : e.keys) {
        if (std::find(labels.begin(), labels.end(), l) == labels.end()) return Value(false);
      }
      return Value(true);
    }
  }
  return Value();
}

}  // namespace kg::query
