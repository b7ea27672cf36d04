#include "kg/query/value.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace kg::query {
namespace {

std::string FormatFloat(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return "0.0";  // also -0.0, which the TCK prints as 0.0
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), d);
  std::string s(buf, res.ptr);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

std::string QuoteString(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += "'";
  return out;
}

std::string PropsString(const Properties& props) {
  if (!props.is_object() || props.empty()) return "";
  std::vector<std::string> keys;
  for (auto it = props.begin(); it != props.end(); ++it) keys.push_back(it.key());
  std::sort(keys.begin(), keys.end());
  std::string out = "{";
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i) out += ", ";
    out += keys[i] + ": " + ToCypherString(FromJson(props.at(keys[i])));
  }
  return out + "}";
}

std::string NodeString(const NodeData& n) {
  std::vector<std::string> labels = n.labels;
  std::sort(labels.begin(), labels.end());
  std::string out = "(";
  for (const auto& l : labels) out += ":" + l;
  std::string props = PropsString(n.props);
  if (!props.empty()) out += (labels.empty() ? "" : " ") + props;
  return out + ")";
}

std::string RelString(const RelData& r) {
  std::string out = "[:" + r.type;
  std::string props = PropsString(r.props);
  if (!props.empty()) out += " " + props;
  return out + "]";
}

// Rank of a type in the ORDER BY total order.
int OrderRank(const Value& v) {
  switch (v.type()) {
    case Value::Type::kMap: return 0;
    case Value::Type::kNode: return 1;
    case Value::Type::kRel: return 2;
    case Value::Type::kList: return 3;
    case Value::Type::kPath: return 4;
    case Value::Type::kString: return 5;
    case Value::Type::kBool: return 6;
    case Value::Type::kInt:
    case Value::Type::kFloat: return 7;
    case Value::Type::kNull: return 8;
  }
  return 9;
}

int Cmp3(auto a, auto b) { return a < b ? -1 : (b < a ? 1 : 0); }

int CompareNumbers(const Value& a, const Value& b) {
  if (a.type() == Value::Type::kInt && b.type() == Value::Type::kInt) {
    return Cmp3(a.as_int(), b.as_int());
  }
  double x = a.as_number(), y = b.as_number();
  bool xn = std::isnan(x), yn = std::isnan(y);
  if (xn || yn) return Cmp3(int(xn), int(yn));  // NaN sorts above every number
  if (a.type() == Value::Type::kInt && x == y) {
    // Exact for large integers compared with floats.
    return Cmp3(static_cast<long double>(a.as_int()), static_cast<long double>(y));
  }
  if (b.type() == Value::Type::kInt && x == y) {
    return Cmp3(static_cast<long double>(x), static_cast<long double>(b.as_int()));
  }
  return Cmp3(x, y);
}

}  // namespace

const char* TypeName(Value::Type type) {
  switch (type) {
    case Value::Type::kNull: return "NULL";
    case Value::Type::kBool: return "BOOLEAN";
    case Value::Type::kInt: return "INTEGER";
    case Value::Type::kFloat: return "FLOAT";
    case Value::Type::kString: return "STRING";
    case Value::Type::kList: return "LIST";
    case Value::Type::kMap: return "MAP";
    case Value::Type::kNode: return "NODE";
    case Value::Type::kRel: return "RELATIONSHIP";
    case Value::Type::kPath: return "PATH";
  }
  return "?";
}

Value FromJson(const nlohmann::json& json) {
  switch (json.type()) {
    case nlohmann::json::value_t::null: return Value();
    case nlohmann::json::value_t::boolean: return Value(json.get<bool>());
    case nlohmann::json::value_t::number_integer: return Value(json.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return Value(static_cast<int64_t>(json.get<uint64_t>()));
    case nlohmann::json::value_t::number_float: return Value(json.get<double>());
    case nlohmann::json::value_t::string: return Value(json.get<std::string>());
    case nlohmann::json::value_t::array: {
      List list;
      for (const auto& e : json) list.push_back(FromJson(e));
      return Value(std::move(list));
    }
    case nlohmann::json::value_t::object: {
      Map map;
      for (auto it = json.begin(); it != json.end(); ++it) map[it.key()] = FromJson(it.value());
      return Value(std::move(map));
    }
    default: return Value();
  }
}

nlohmann::json ToJson(const Value& value) {
  switch (value.type()) {
    case Value::Type::kNull: return nullptr;
    case Value::Type::kBool: return value.as_bool();
    case Value::Type::kInt: return value.as_int();
    case Value::Type::kFloat: {
      double d = value.as_float();
      if (std::isfinite(d)) return d;
      return FormatFloat(d);  // JSON has no NaN/Infinity
    }
    case Value::Type::kString: return value.as_string();
    case Value::Type::kList: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& e : value.as_list()) out.push_back(ToJson(e));
      return out;
    }
    case Value::Type::kMap: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& [k, v] : value.as_map()) out[k] = ToJson(v);
      return out;
    }
    case Value::Type::kNode: {
      const auto& n = *value.as_node();
      nlohmann::json out = n.props.is_object() ? n.props : nlohmann::json::object();
      out["_id"] = n.id;
      out["_labels"] = n.labels;
      return out;
    }
    case Value::Type::kRel: {
      const auto& r = *value.as_rel();
      nlohmann::json out = r.props.is_object() ? r.props : nlohmann::json::object();
      out["_id"] = r.id;
      out["_type"] = r.type;
      out["_start"] = r.src;
      out["_end"] = r.dst;
      return out;
    }
    case Value::Type::kPath: {
      nlohmann::json out;
      out["nodes"] = nlohmann::json::array();
      out["relationships"] = nlohmann::json::array();
      for (const auto& n : value.as_path()->nodes) out["nodes"].push_back(ToJson(Value(n)));
      for (const auto& r : value.as_path()->rels) {
        out["relationships"].push_back(ToJson(Value(r)));
      }
      return out;
    }
  }
  return nullptr;
}

std::optional<nlohmann::json> ToPropertyJson(const Value& value) {
  switch (value.type()) {
    case Value::Type::kNull:
    case Value::Type::kBool:
    case Value::Type::kInt:
    case Value::Type::kString: return ToJson(value);
    case Value::Type::kFloat: return nlohmann::json(value.as_float());
    case Value::Type::kList: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& e : value.as_list()) {
        if (e.type() == Value::Type::kList || e.type() == Value::Type::kMap ||
            e.type() >= Value::Type::kNode) {
          return std::nullopt;
        }
        out.push_back(e.type() == Value::Type::kFloat ? nlohmann::json(e.as_float()) : ToJson(e));
      }
      return out;
    }
    default: return std::nullopt;
  }
}

std::string ToCypherString(const Value& value) {
  switch (value.type()) {
    case Value::Type::kNull: return "null";
    case Value::Type::kBool: return value.as_bool() ? "true" : "false";
    case Value::Type::kInt: return std::to_string(value.as_int());
    case Value::Type::kFloat: return FormatFloat(value.as_float());
    case Value::Type::kString: return QuoteString(value.as_string());
    case Value::Type::kList: {
      std::string out = "[";
      bool first = true;
      for (const auto& e : value.as_list()) {
        if (!first) out += ", ";
        first = false;
        out += ToCypherString(e);
      }
      return out + "]";
    }
    case Value::Type::kMap: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, v] : value.as_map()) {
        if (!first) out += ", ";
        first = false;
        out += k + ": " + ToCypherString(v);
      }
      return out + "}";
    }
    case Value::Type::kNode: return NodeString(*value.as_node());
    case Value::Type::kRel: return RelString(*value.as_rel());
    case Value::Type::kPath: {
      const auto& p = *value.as_path();
      std::string out = "<" + NodeString(*p.nodes[0]);
      for (size_t i = 0; i < p.rels.size(); ++i) {
        bool forward = p.rels[i]->src == p.nodes[i]->id;
        out += forward ? "-" : "<-";
        out += RelString(*p.rels[i]);
        out += forward ? "->" : "-";
        out += NodeString(*p.nodes[i + 1]);
      }
      return out + ">";
    }
  }
  return "?";
}

std::string ToDisplayString(const Value& value) {
  if (value.type() == Value::Type::kString) return value.as_string();
  return ToCypherString(value);
}

std::optional<bool> Equals(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return std::nullopt;
  if (a.is_number() && b.is_number()) {
    if (a.type() == Value::Type::kInt && b.type() == Value::Type::kInt) {
      return a.as_int() == b.as_int();
    }
    return CompareNumbers(a, b) == 0 && !std::isnan(a.as_number()) && !std::isnan(b.as_number());
  }
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Value::Type::kBool: return a.as_bool() == b.as_bool();
    case Value::Type::kString: return a.as_string() == b.as_string();
    case Value::Type::kList: {
      const auto& x = a.as_list();
      const auto& y = b.as_list();
      if (x.size() != y.size()) return false;
      bool unknown = false;
      for (size_t i = 0; i < x.size(); ++i) {
        auto eq = Equals(x[i], y[i]);
        if (!eq) unknown = true;
        else if (!*eq) return false;
      }
      if (unknown) return std::nullopt;
      return true;
    }
    case Value::Type::kMap: {
      const auto& x = a.as_map();
      const auto& y = b.as_map();
      if (x.size() != y.size()) return false;
      bool unknown = false;
      for (const auto& [k, v] : x) {
        auto it = y.find(k);
        if (it == y.end()) return false;
        auto eq = Equals(v, it->second);
        if (!eq) unknown = true;
        else if (!*eq) return false;
      }
      if (unknown) return std::nullopt;
      return true;
    }
    case Value::Type::kNode: return a.as_node()->id == b.as_node()->id;
    case Value::Type::kRel: return a.as_rel()->id == b.as_rel()->id;
    case Value::Type::kPath: return OrderCompare(a, b) == 0;
    default: return false;
  }
}

std::optional<int> Compare(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return std::nullopt;
  if (a.is_number() && b.is_number()) {
    if (std::isnan(a.as_number()) || std::isnan(b.as_number())) return std::nullopt;
    return CompareNumbers(a, b);
  }
  if (a.type() != b.type()) return std::nullopt;
  switch (a.type()) {
    case Value::Type::kBool: return Cmp3(a.as_bool(), b.as_bool());
    case Value::Type::kString: return Cmp3(a.as_string(), b.as_string());
    case Value::Type::kList: {
      const auto& x = a.as_list();
      const auto& y = b.as_list();
      for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
        auto c = Compare(x[i], y[i]);
        if (!c) return std::nullopt;
        if (*c != 0) return c;
      }
      return Cmp3(x.size(), y.size());
    }
    default: return std::nullopt;
  }
}

int OrderCompare(const Value& a, const Value& b) {
  int ra = OrderRank(a), rb = OrderRank(b);
  if (ra != rb) return Cmp3(ra, rb);
  switch (a.type()) {
    case Value::Type::kNull: return 0;
    case Value::Type::kBool: return Cmp3(a.as_bool(), b.as_bool());
    case Value::Type::kInt:
    case Value::Type::kFloat: return CompareNumbers(a, b);
    case Value::Type::kString: return Cmp3(a.as_string(), b.as_string());
    case Value::Type::kList: {
      const auto& x = a.as_list();
      const auto& y = b.as_list();
      for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
        int c = OrderCompare(x[i], y[i]);
        if (c != 0) return c;
      }
      return Cmp3(x.size(), y.size());
    }
    case Value::Type::kMap: {
      const auto& x = a.as_map();
      const auto& y = b.as_map();
      auto i = x.begin();
      auto j = y.begin();
      for (; i != x.end() && j != y.end(); ++i, ++j) {
        if (i->first != j->first) return Cmp3(i->first, j->first);
        int c = OrderCompare(i->second, j->second);
        if (c != 0) return c;
      }
      return Cmp3(x.size(), y.size());
    }
    case Value::Type::kNode: return Cmp3(a.as_node()->id, b.as_node()->id);
    case Value::Type::kRel: return Cmp3(a.as_rel()->id, b.as_rel()->id);
    case Value::Type::kPath: {
      const auto& x = *a.as_path();
      const auto& y = *b.as_path();
      for (size_t i = 0; i < x.nodes.size() && i < y.nodes.size(); ++i) {
        int c = Cmp3(x.nodes[i]->id, y.nodes[i]->id);
        if (c != 0) return c;
      }
      for (size_t i = 0; i < x.rels.size() && i < y.rels.size(); ++i) {
        int c = Cmp3(x.rels[i]->id, y.rels[i]->id);
        if (c != 0) return c;
      }
      return Cmp3(x.nodes.size(), y.nodes.size());
    }
  }
  return 0;
}

bool RowLess::operator()(const std::vector<Value>& a, const std::vector<Value>& b) const {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    int c = OrderCompare(a[i], b[i]);
    if (c != 0) return c < 0;
  }
  return a.size() < b.size();
}

Value NodeProperty(const NodeData& node, const std::string& key) {
  if (node.value_keys) {
    const auto& keys = *node.value_keys;
    for (size_t i = 0; i < keys.size() && i < node.values.size(); ++i) {
      if (keys[i] == key) return node.values[i];
    }
  }
  auto it = node.props.find(key);
  return it == node.props.end() ? Value() : FromJson(*it);
}

}  // namespace kg::query
