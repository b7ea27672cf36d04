#pragma once
// Value: what a Cypher expression evaluates to (null, boolean, integer, float, string, list, map,
// node, relationship, path). Values are immutable and cheap to copy: lists, maps and graph
// elements are shared. Safe to read from many threads; never mutated after construction.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "kg/core/properties.h"

namespace kg::query {

class Value;
using List = std::vector<Value>;
using Map = std::map<std::string, Value>;

// A node as seen by one query (a copy made from the snapshot the query reads).
struct NodeData {
  uint64_t id = 0;
  std::vector<std::string> labels;
  Properties props = EmptyProperties();
  // Only on the partial nodes of GraphAccess::NodesForProperties, which may hold the properties
  // read as values instead of in `props`: values[i] is property (*value_keys)[i], null when the
  // node has none. `n.key` reads them first.
  std::shared_ptr<const std::vector<std::string>> value_keys;
  std::vector<Value> values;
  // Deleted by this query's DELETE: reading its labels or properties is an error.
  bool deleted = false;
};

struct RelData {
  uint64_t id = 0;
  uint64_t src = 0;
  uint64_t dst = 0;
  std::string type;
  Properties props = EmptyProperties();
  int64_t evidence_count = -1;  // evidence records, when the graph knows it cheaply; else -1
  bool deleted = false;  // as NodeData::deleted
};

using NodeRef = std::shared_ptr<const NodeData>;
using RelRef = std::shared_ptr<const RelData>;

// nodes.size() == rels.size() + 1; rels[i] joins nodes[i] and nodes[i+1] in either direction.
struct PathData {
  std::vector<NodeRef> nodes;
  std::vector<RelRef> rels;
};
using PathRef = std::shared_ptr<const PathData>;

class Value {
 public:
  enum class Type : unsigned char {
    kNull, kBool, kInt, kFloat, kString, kList, kMap, kNode, kRel, kPath
  };

  Value() = default;
  Value(bool b) : v_(b) {}                                          // NOLINT
  Value(int64_t i) : v_(i) {}                                       // NOLINT
  Value(int i) : v_(static_cast<int64_t>(i)) {}                     // NOLINT
  Value(double d) : v_(d) {}                                        // NOLINT
  Value(std::string s) : v_(std::move(s)) {}                        // NOLINT
  Value(const char* s) : v_(std::string(s)) {}                      // NOLINT
  Value(List l) : v_(std::make_shared<const List>(std::move(l))) {}  // NOLINT
  Value(Map m) : v_(std::make_shared<const Map>(std::move(m))) {}    // NOLINT
  Value(NodeRef n) : v_(std::move(n)) {}                            // NOLINT
  Value(RelRef r) : v_(std::move(r)) {}                             // NOLINT
  Value(PathRef p) : v_(std::move(p)) {}                            // NOLINT

  Type type() const { return static_cast<Type>(v_.index()); }
  bool is_null() const { return type() == Type::kNull; }
  bool is_number() const { return type() == Type::kInt || type() == Type::kFloat; }

  // REQUIRES: the matching type().
  bool as_bool() const { return std::get<bool>(v_); }
  int64_t as_int() const { return std::get<int64_t>(v_); }
  double as_float() const { return std::get<double>(v_); }
  // An integer or float as double. REQUIRES: is_number().
  double as_number() const { return type() == Type::kInt ? double(as_int()) : as_float(); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const List& as_list() const { return *std::get<std::shared_ptr<const List>>(v_); }
  const Map& as_map() const { return *std::get<std::shared_ptr<const Map>>(v_); }
  const NodeRef& as_node() const { return std::get<NodeRef>(v_); }
  const RelRef& as_rel() const { return std::get<RelRef>(v_); }
  const PathRef& as_path() const { return std::get<PathRef>(v_); }

 private:
  std::variant<std::monostate, bool, int64_t, double, std::string, std::shared_ptr<const List>,
               std::shared_ptr<const Map>, NodeRef, RelRef, PathRef>
      v_;
};

// "INTEGER", "STRING", ... for error messages.
const char* TypeName(Value::Type type);

// JSON (as stored in kg::Properties) to Value: numbers keep integer/float apart.
Value FromJson(const nlohmann::json& json);
// `n.key` of a node: the values a partial node holds first (NodeData::value_keys), then its
// props; null when it has neither.
Value NodeProperty(const NodeData& node, const std::string& key);
// Value to JSON for output: nodes become {"_id", "_labels", ...properties}, relationships
// {"_id", "_type", "_start", "_end", ...}, paths {"nodes": [...], "relationships": [...]}.
nlohmann::json ToJson(const Value& value);
// Value to JSON for storing as a property. Returns nullopt for values that cannot be stored
// (maps, graph elements, lists of mixed or nested types).
std::optional<nlohmann::json> ToPropertyJson(const Value& value);

// Cypher literal notation, as the TCK writes expected results: 'str', [1, 2], {a: 1},
// (:Label {name: 'x'}), [:TYPE {w: 1}], <(a)-[:T]->(b)>. Map keys and labels are sorted.
std::string ToCypherString(const Value& value);
// Plain text for tables: strings unquoted at the top level, otherwise ToCypherString.
std::string ToDisplayString(const Value& value);

// Cypher equality: nullopt when the answer is null (a null is involved, at any depth).
std::optional<bool> Equals(const Value& a, const Value& b);
// Cypher comparison for <, <=, >, >=: nullopt when the values are not comparable (null,
// different types, NaN, maps, graph elements).
std::optional<int> Compare(const Value& a, const Value& b);
// The total order of ORDER BY (orderability): maps < nodes < relationships < lists < paths <
// strings < booleans < numbers < null. Also the equivalence of DISTINCT and grouping keys.
int OrderCompare(const Value& a, const Value& b);

struct ValueLess {
  bool operator()(const Value& a, const Value& b) const { return OrderCompare(a, b) < 0; }
};
struct RowLess {
  bool operator()(const std::vector<Value>& a, const std::vector<Value>& b) const;
};

}  // namespace kg::query
