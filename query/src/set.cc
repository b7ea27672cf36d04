// SET and REMOVE.
//
// Items apply in order, row by row; each reads the entity's current state from the graph (so
// `SET n.a = 1, n.b = n.a + 1` sees a = 1) and the row's values naming the entity are replaced
// by the changed one. At the end of the clause every row's values naming a changed entity are
// too. A null value removes the property; an item on a null variable does nothing.

#include "executor_internal.h"

namespace kg::query::exec {
namespace {

[[noreturn]] void ThrowDeleted(const SetItem& item) {
  throw QueryError("EntityNotFound", "DeletedEntityAccess",
                   "`" + item.var + "` was deleted by this query", item.offset);
}

// Property `key` = `v` in `props`; null removes it. Returns whether it counts as a property set.
bool PutProperty(Properties& props, const std::string& key, const Value& v, size_t offset) {
  if (v.is_null()) return props.erase(key) > 0;
  auto json = ToPropertyJson(v);
  if (!json) {
    throw QueryError("TypeError", "InvalidPropertyType",
                     std::string("cannot store a ") + TypeName(v.type()) + " as property '" +
                         key + "'",
                     offset);
  }
  props[key] = std::move(*json);
  return true;
}

}  // namespace

void Executor::Refresh(Row& row, uint64_t id, bool is_rel, const Value& fresh) {
  for (auto& v : row) {
    if ((!is_rel && v.type() == Value::Type::kNode && v.as_node()->id == id) ||
        (is_rel && v.type() == Value::Type::kRel && v.as_rel()->id == id)) {
      v = fresh;
    }
  }
}

void Executor::RunSet(const Clause& c, Table& t) {
  if (explain_only_) return;
  std::unordered_map<uint64_t, Value> nodes, rels;  // changed -> the latest value
  for (auto& row : t.rows) {
    for (const auto& item : c.set_items) {
      ApplySetItem(c.kind == Clause::Kind::kRemove, item, row, t.scope, nodes, rels);
    }
    Tick();
  }
  RefreshChanged(t, nodes, rels);
}

void Executor::RefreshChanged(Table& t, std::unordered_map<uint64_t, Value>& nodes,
                              std::unordered_map<uint64_t, Value>& rels) {
  if (nodes.empty() && rels.empty()) return;
  for (auto& [id, v] : nodes) {
    if (NodeRef n = graph_.GetNode(id)) v = Value(std::move(n));
  }
  for (auto& [id, v] : rels) {
    if (RelRef r = graph_.GetRel(id)) v = Value(std::move(r));
  }
  for (auto& row : t.rows) {
    for (auto& v : row) {
      if (v.type() == Value::Type::kNode) {
        auto it = nodes.find(v.as_node()->id);
        if (it != nodes.end() && !it->second.is_null()) v = it->second;
      } else if (v.type() == Value::Type::kRel) {
        auto it = rels.find(v.as_rel()->id);
        if (it != rels.end() && !it->second.is_null()) v = it->second;
      }
    }
  }
}

void Executor::ApplySetItem(bool remove, const SetItem& item, Row& row,
                            std::vector<std::string>& scope,
                            std::unordered_map<uint64_t, Value>& nodes,
                            std::unordered_map<uint64_t, Value>& rels) {
  auto var = std::find(scope.begin(), scope.end(), item.var);
  if (var == scope.end() || static_cast<size_t>(var - scope.begin()) >= row.size()) {
    throw QueryError("InternalError", "", "`" + item.var + "` has no value", item.offset);
  }
  const Value target = row[var - scope.begin()];  // a copy: the row changes below
  if (target.is_null()) return;
  bool is_rel = target.type() == Value::Type::kRel;
  if (target.type() != Value::Type::kNode && !is_rel) {
    throw QueryError("TypeError", "InvalidArgumentType",
                     std::string(remove ? "REMOVE" : "SET") +
                         " needs a node or relationship but `" + item.var + "` is " +
                         TypeName(target.type()),
                     item.offset);
  }
  uint64_t id = is_rel ? target.as_rel()->id : target.as_node()->id;
  if (is_rel ? deleted_rels_.count(id) > 0 : deleted_nodes_.count(id) > 0) ThrowDeleted(item);
  NodeRef node = is_rel ? nullptr : graph_.GetNode(id);
  RelRef rel = is_rel ? graph_.GetRel(id) : nullptr;
  if (!node && !rel) ThrowDeleted(item);
  auto check = [&](const Status& s) {
    if (!s.ok()) throw QueryError("InternalError", "", s.message(), item.offset);
  };

  if (item.kind == SetItem::Kind::kLabels) {
    if (is_rel) {
      throw QueryError("TypeError", "InvalidArgumentType",
                       "`" + item.var + "` is a relationship: it has a type, not labels",
                       item.offset);
    }
    std::vector<std::string> labels = node->labels;
    int64_t changed = 0;
    for (const auto& label : item.labels) {
      auto it = std::find(labels.begin(), labels.end(), label);
      if (remove && it != labels.end()) {
        labels.erase(it);
        ++changed;
      } else if (!remove && it == labels.end()) {
        labels.push_back(label);
        ++changed;
      }
    }
    if (changed == 0) return;
    (remove ? labels_removed_ : labels_added_) += changed;
    check(graph_.SetNodeLabels(id, labels));
  } else {
    Properties props = is_rel ? rel->props : node->props;
    int64_t changed = 0;
    if (item.kind == SetItem::Kind::kProperty) {
      Value v = remove ? Value() : EvalIn(*item.value, row, scope);
      changed += PutProperty(props, item.key, v, item.offset) ? 1 : 0;
    } else {
      Value v = EvalIn(*item.value, row, scope);
      Map map;
      if (v.type() == Value::Type::kMap) {
        map = v.as_map();
      } else if (v.type() == Value::Type::kNode || v.type() == Value::Type::kRel) {
        // SET n = m copies m's current properties.
        NodeRef from_node =
            v.type() == Value::Type::kNode ? graph_.GetNode(v.as_node()->id) : nullptr;
        RelRef from_rel = v.type() == Value::Type::kRel ? graph_.GetRel(v.as_rel()->id) : nullptr;
        const Properties* from = from_node ? &from_node->props : from_rel ? &from_rel->props
                                                                           : nullptr;
        if (!from) ThrowDeleted(item);
        for (auto it = from->begin(); it != from->end(); ++it) map[it.key()] = FromJson(*it);
      } else if (!v.is_null()) {
        throw QueryError("TypeError", "InvalidArgumentType",
                         std::string("SET ") + item.var + (item.kind == SetItem::Kind::kMerge
                                                               ? " += " : " = ") +
                             "needs a map but got " + TypeName(v.type()),
                         item.value->begin);
      }
      if (item.kind == SetItem::Kind::kReplace) {
        for (auto it = props.begin(); it != props.end(); ++it) {
          auto m = map.find(it.key());
          if (m == map.end() || m->second.is_null()) ++changed;
        }
        props = EmptyProperties();
      }
      for (const auto& [key, value] : map) {
        changed += PutProperty(props, key, value, item.value->begin) ? 1 : 0;
      }
    }
    properties_set_ += changed;
    check(is_rel ? graph_.SetRelProperties(id, props) : graph_.SetNodeProperties(id, props));
  }
  NodeRef fresh_node = is_rel ? nullptr : graph_.GetNode(id);
  RelRef fresh_rel = is_rel ? graph_.GetRel(id) : nullptr;
  if (fresh_node) Refresh(row, id, false, Value(std::move(fresh_node)));
  if (fresh_rel) Refresh(row, id, true, Value(std::move(fresh_rel)));
  (is_rel ? rels : nodes)[id] = Value();  // looked up again at the end of the clause
}

}  // namespace kg::query::exec
