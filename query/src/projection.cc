// WITH / RETURN: projection, grouping and aggregation, DISTINCT, ORDER BY, SKIP/LIMIT and
// WITH ... WHERE.

#include "executor_internal.h"

namespace kg::query::exec {

namespace {

bool IsHidden(const std::string& name) { return !name.empty() && name[0] == ' '; }

}  // namespace

// Hashing consistent with OrderCompare's equivalence (the equivalence of DISTINCT and grouping
// keys): values that compare equal hash equal. Numbers hash by their double value (equal numbers,
// integer or float, have equal doubles), every NaN alike; maps by keys and values; graph
// elements by id.
size_t HashValue(const Value& v) {
  switch (v.type()) {
    case Value::Type::kNull: return 0x51;
    case Value::Type::kBool: return v.as_bool() ? 0x61 : 0x62;
    case Value::Type::kInt:
    case Value::Type::kFloat: {
      double d = v.as_number();
      if (std::isnan(d)) return 0x71;
      return std::hash<double>()(d + 0.0);  // -0.0 and 0.0 alike
    }
    case Value::Type::kString: return std::hash<std::string>()(v.as_string());
    case Value::Type::kList: {
      size_t h = 0x81;
      for (const auto& x : v.as_list()) h = Mix(h, HashValue(x));
      return h;
    }
    case Value::Type::kMap: {
      size_t h = 0x91;
      for (const auto& [k, x] : v.as_map()) {
        h = Mix(Mix(h, std::hash<std::string>()(k)), HashValue(x));
      }
      return h;
    }
    case Value::Type::kNode: return Mix(0xa1, v.as_node()->id);
    case Value::Type::kRel: return Mix(0xb1, v.as_rel()->id);
    case Value::Type::kPath: {
      size_t h = 0xc1;
      for (const auto& n : v.as_path()->nodes) h = Mix(h, n->id);
      for (const auto& r : v.as_path()->rels) h = Mix(h, r->id);
      return h;
    }
  }
  return 0;
}

// True when `e` reads no variable but `*var` (set to the first one met when empty) and always
// gives the same value for the same node or relationship there: literals, parameters,
// properties, operators and a few pure functions of it. (Properties cannot change while a
// query reads them: kg has no SET.)
bool Executor::ReadsOnlyElement(const Expr& e, std::string* var) {
  switch (e.kind) {
    case ExprKind::kLiteral:
    case ExprKind::kParam: return true;
    case ExprKind::kVar:
      if (var->empty()) *var = e.name;
      return *var == e.name;
    case ExprKind::kProperty:
    case ExprKind::kNot:
    case ExprKind::kNeg:
    case ExprKind::kBinary:
    case ExprKind::kIsNull:
    case ExprKind::kIsNotNull:
    case ExprKind::kList:
    case ExprKind::kIndex: break;
    case ExprKind::kCall: {
      if (e.distinct) return false;
      static constexpr uint64_t kPure[] = {
          FunctionKey("id"),       FunctionKey("labels"),    FunctionKey("type"),
          FunctionKey("tolower"),  FunctionKey("toupper"),   FunctionKey("trim"),
          FunctionKey("tostring"), FunctionKey("tointeger"), FunctionKey("tofloat"),
          FunctionKey("coalesce")};
      if (std::find(std::begin(kPure), std::end(kPure), e.function) == std::end(kPure)) {
        return false;
      }
      break;
    }
    default: return false;
  }
  for (const auto& a : e.args) {
    if (a && !ReadsOnlyElement(*a, var)) return false;
  }
  return true;
}

// True when `e` gives different values for different elements bound to `var`: the variable
// itself, id(var), or id(var) plus or minus an integer literal.
bool Executor::TellsElementsApart(const Expr& e, const std::string& var) {
  auto is_id = [&](const Expr& x) {
    return IsCall(x, FunctionKey("id")) && !x.distinct && x.args.size() == 1 &&
           x.args[0]->kind == ExprKind::kVar &&
           x.args[0]->name == var;
  };
  auto is_int = [](const Expr& x) {
    return x.kind == ExprKind::kLiteral && x.literal.type() == Value::Type::kInt;
  };
  if (e.kind == ExprKind::kVar) return e.name == var;
  if (is_id(e)) return true;
  if (e.kind == ExprKind::kBinary && (e.op == BinOp::kAdd || e.op == BinOp::kSub) &&
      e.args.size() == 2) {
    return (is_id(*e.args[0]) && is_int(*e.args[1])) ||
           (is_int(*e.args[0]) && is_id(*e.args[1]));
  }
  return false;
}

// RETURN/WITH DISTINCT whose items all read one node or relationship variable only
// (ReadsOnlyElement): rows binding the same element project to the same row, so only the
// first row of each element is kept in `t.rows` (in order) and projected, instead of
// projecting every row and hashing the results. Returns true when the kept rows are known
// to project to distinct rows (an item TellsElementsApart): DISTINCT then has nothing left
// to do. Rows are left alone when the variable holds anything but nodes, relationships and
// nulls.
bool Executor::DistinctByElement(const std::vector<const Expr*>& exprs, Table& t) {
  std::string var;
  for (const Expr* e : exprs) {
    if (!ReadsOnlyElement(*e, &var)) return false;
  }
  if (var.empty()) return false;
  int slot = -1;
  for (int i = static_cast<int>(t.scope.size()) - 1; i >= 0; --i) {
    if (t.scope[i] == var) {
      slot = i;
      break;
    }
  }
  if (slot < 0) return false;
  for (const auto& row : t.rows) {
    auto type = row[slot].type();
    if (type != Value::Type::kNode && type != Value::Type::kRel && type != Value::Type::kNull) {
      return false;
    }
  }
  // Elements seen: one open-addressing table of (id, is relationship) keys, linear probing,
  // at most half full (a std::unordered_set cost ~500 instructions per row here).
  size_t capacity = 16;
  while (capacity < 2 * t.rows.size()) capacity *= 2;
  constexpr uint64_t kEmpty = std::numeric_limits<uint64_t>::max();
  std::vector<std::pair<uint64_t, bool>> seen(capacity, {kEmpty, false});
  bool empty_key_seen[2] = {false, false};  // an element whose id is kEmpty itself
  auto insert = [&](uint64_t id, bool rel) {
    if (id == kEmpty) return !std::exchange(empty_key_seen[rel], true);
    size_t at = static_cast<size_t>((id * 0x9E3779B97F4A7C15ull) >> 20) & (capacity - 1);
    for (;; at = (at + 1) & (capacity - 1)) {
      if (seen[at].first == kEmpty) {
        seen[at] = {id, rel};
        return true;
      }
      if (seen[at].first == id && seen[at].second == rel) return false;
    }
  };
  bool null_seen = false;
  size_t kept = 0;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    const Value& v = t.rows[i][slot];
    bool first = v.type() == Value::Type::kNode  ? insert(v.as_node()->id, false)
                 : v.type() == Value::Type::kRel ? insert(v.as_rel()->id, true)
                                                 : !std::exchange(null_seen, true);
    if (!first) continue;
    if (kept != i) t.rows[kept] = std::move(t.rows[i]);
    ++kept;
  }
  t.rows.resize(kept);
  return std::any_of(exprs.begin(), exprs.end(),
                     [&](const Expr* e) { return TellsElementsApart(*e, var); });
}

void Executor::RunProjection(const Projection& p, Table& t, bool is_return) {
  struct Item {
    const Expr* expr;
    const std::string* alias;  // the ReturnItem's, or the scope name's for `*`
    bool aggregate;
  };
  std::vector<Item> items;
  if (p.star) {
    std::vector<std::string> names;
    for (const auto& name : t.scope) {
      if (!IsHidden(name) && std::find(names.begin(), names.end(), name) == names.end()) {
        names.push_back(name);
      }
    }
    std::sort(names.begin(), names.end());
    if (names.empty() && p.items.empty() && is_return) {
      throw QueryError("SyntaxError", "NoVariablesInScope",
                       "RETURN * / WITH * needs variables in scope");
    }
    for (const auto& name : names) {
      auto e = std::make_unique<Expr>();
      e->kind = ExprKind::kVar;
      e->name = name;
      items.push_back({e.get(), &e->name, false});
      synthesized_.push_back(std::move(e));
    }
  }
  bool aggregating = false;
  for (const auto& it : p.items) {
    bool agg = ContainsAggregate(*it.expr);
    aggregating |= agg;
    items.push_back({it.expr.get(), &it.alias, agg});
  }
  std::vector<std::string> aliases;
  for (const auto& it : items) {
    if (std::find(aliases.begin(), aliases.end(), *it.alias) != aliases.end()) {
      throw QueryError("SyntaxError", "ColumnNameConflict",
                       "column name '" + *it.alias + "' is used twice", it.expr->begin);
    }
    aliases.push_back(*it.alias);
  }
  if (!is_return) {
    for (const auto& it : p.items) {
      if (!it.has_alias && it.expr->kind != ExprKind::kVar) {
        throw QueryError("SyntaxError", "NoExpressionAlias",
                         "expression in WITH must be aliased (use AS)", it.expr->begin);
      }
    }
  }
  if (explain_only_) {
    t.scope = aliases;
    if (is_return) columns_ = aliases;
    return;
  }

  std::vector<Row> projected;
  std::vector<Row> sources;  // input row behind each projected row (ORDER BY may use it)
  // ORDER BY and WITH ... WHERE may use the variables before the projection too.
  bool keep_sources = (!p.order.empty() || p.where) && !aggregating && !p.distinct;
  bool rows_distinct = false;  // DistinctByElement did DISTINCT's work
  if (!aggregating && p.distinct && t.rows.size() > 1) {
    std::vector<const Expr*> item_exprs;
    for (const auto& it : items) item_exprs.push_back(it.expr);
    rows_distinct = DistinctByElement(item_exprs, t);
  }
  if (!aggregating && pending_unwind_ != nullptr) {
    // A fused evidence UNWIND (never with DISTINCT): each row it makes is projected as it is
    // made, without a table of them. An item `ev.key` reads the record's value; the record's
    // map is bound only when another item or the kept input row (ORDER BY, WHERE) may read it.
    const Clause* unwind = pending_unwind_;
    pending_unwind_ = nullptr;
    std::vector<std::string> input_scope(t.scope.begin(), t.scope.end() - 1);
    const std::set<std::string>& keyset = analysis_->evidence_keys.at(unwind);
    std::vector<std::string> keys(keyset.begin(), keyset.end());
    std::vector<int> key_of;  // per item: its key's index when it is `ev.key`, else -1
    for (const auto& it : items) {
      const Expr& e = *it.expr;
      int at = -1;
      if (e.kind == ExprKind::kProperty && e.args.size() == 1 &&
          e.args[0]->kind == ExprKind::kVar && e.args[0]->name == unwind->alias) {
        auto found = std::lower_bound(keys.begin(), keys.end(), e.name);
        if (found != keys.end() && *found == e.name) at = static_cast<int>(found - keys.begin());
      }
      key_of.push_back(at);
    }
    bool map_per_record = keep_sources;
    for (size_t i = 0; i < items.size(); ++i) {
      map_per_record =
          map_per_record || (key_of[i] < 0 && VariesWith(*items[i].expr, unwind->alias));
    }
    auto project = [&](Row& row, const Value* values) {
      Row out;
      out.reserve(items.size());
      for (size_t i = 0; i < items.size(); ++i) {
        if (values != nullptr && key_of[i] >= 0) out.push_back(values[key_of[i]]);
        else out.push_back(EvalIn(*items[i].expr, row, t.scope));
      }
      projected.push_back(std::move(out));
      if (keep_sources) sources.push_back(row);
    };
    size_t made = UnwindEvidenceEach(
        *unwind, keys, t.rows, input_scope, [&](Row& row, bool) { project(row, nullptr); },
        [&](Row& row, const Value* values, bool) {
          if (map_per_record) row.back() = EvidenceKeysMap(keys, values);
          project(row, values);
        });
    plan_[pending_unwind_plan_].rows = static_cast<int64_t>(made);
  } else if (!aggregating) {
    projected.reserve(t.rows.size());
    for (auto& row : t.rows) {
      Row out;
      out.reserve(items.size());
      for (const auto& it : items) out.push_back(EvalIn(*it.expr, row, t.scope));
      projected.push_back(std::move(out));
      if (keep_sources) sources.push_back(row);
      Tick();
    }
  } else {
    std::vector<const Expr*> agg_calls;
    for (const auto& it : items) {
      if (it.aggregate) CollectAggregates(*it.expr, agg_calls);
    }
    struct Group {
      Row key;
      Row rep;
      std::vector<Aggregator> aggs;
    };
    std::vector<Group> groups;
    std::unordered_map<Row, size_t, RowHash, RowEq> index;
    auto new_group = [&](Row key, const Row& rep) {
      Group g;
      g.key = std::move(key);
      g.rep = rep;
      for (const Expr* call : agg_calls) g.aggs.emplace_back(call);
      groups.push_back(std::move(g));
      return groups.size() - 1;
    };
    Row key;  // reused: most rows join an existing group
    auto group_of = [&](Row& row) {
      key.clear();
      for (const auto& it : items) {
        if (!it.aggregate) key.push_back(EvalIn(*it.expr, row, t.scope));
      }
      auto found = index.find(key);
      if (found != index.end()) return found->second;
      size_t g = new_group(key, row);
      index.emplace(key, g);
      return g;
    };
    // The argument of aggregate call `call` (not count(*)) over `row`.
    auto arg_of = [&](const Expr* call, Row& row) {
      if (call->args.size() != 1) {
        throw QueryError("SyntaxError", "InvalidNumberOfArguments",
                         call->name + "() takes one argument", call->begin);
      }
      return EvalIn(*call->args[0], row, t.scope);
    };
    auto add = [&](size_t g, Row& row) {
      for (size_t a = 0; a < agg_calls.size(); ++a) {
        const Expr* call = agg_calls[a];
        if (call->kind == ExprKind::kCountStar) {
          groups[g].aggs[a].Add(Value(true));
        } else {
          groups[g].aggs[a].Add(arg_of(call, row));
        }
      }
      Tick();
    };
    if (pending_unwind_ != nullptr) {
      const Clause* unwind = pending_unwind_;
      pending_unwind_ = nullptr;
      std::vector<std::string> input_scope(t.scope.begin(), t.scope.end() - 1);
      // A key that cannot vary with the unwound item is the same for all rows made from one
      // input row: found once, when that input row makes its first row (as the row-by-row
      // path would first evaluate it; the group's representative row is that row).
      bool key_per_input = std::none_of(items.begin(), items.end(), [&](const Item& it) {
        return !it.aggregate && VariesWith(*it.expr, unwind->alias);
      });
      size_t input_group = 0;
      auto item = [&](Row& row, bool first) {
        if (!key_per_input) {
          add(group_of(row), row);
          return;
        }
        if (first) input_group = group_of(row);
        add(input_group, row);
      };
      // How each aggregate's argument is read from a streamed evidence record: a constant
      // non-null (count(*), count(ev): a record's map is never null), the value of `ev.key`
      // (values[k]), or evaluated over the row with the record's map bound.
      const std::set<std::string>& keyset = analysis_->evidence_keys.at(unwind);
      std::vector<std::string> keys(keyset.begin(), keyset.end());
      enum class ArgFrom { kNonNull, kKey, kRow };
      std::vector<std::pair<ArgFrom, size_t>> arg_from;
      auto is_alias = [&](const Expr& x) {
        return x.kind == ExprKind::kVar && x.name == unwind->alias;
      };
      for (const Expr* call : agg_calls) {
        ArgFrom from = ArgFrom::kRow;
        size_t at = 0;
        if (call->kind == ExprKind::kCountStar) {
          from = ArgFrom::kNonNull;
        } else if (call->args.size() == 1) {
          const Expr& arg = *call->args[0];
          if (is_alias(arg) && !call->distinct && call->function == FunctionKey("count")) {
            from = ArgFrom::kNonNull;
          } else if (arg.kind == ExprKind::kProperty && arg.args.size() == 1 &&
                     is_alias(*arg.args[0])) {
            at = static_cast<size_t>(std::lower_bound(keys.begin(), keys.end(), arg.name) -
                                     keys.begin());
            if (at < keys.size() && keys[at] == arg.name) from = ArgFrom::kKey;
          }
        }
        arg_from.emplace_back(from, at);
      }
      bool map_per_record = !key_per_input;
      for (size_t a = 0; a < agg_calls.size(); ++a) {
        map_per_record = map_per_record ||
                         (arg_from[a].first == ArgFrom::kRow &&
                          std::any_of(agg_calls[a]->args.begin(), agg_calls[a]->args.end(),
                                      [&](const ExprPtr& x) {
                                        return x && VariesWith(*x, unwind->alias);
                                      }));
      }
      const Value non_null(true);
      auto record = [&](Row& row, const Value* values, bool first) {
        // The first record's map goes into the group's representative row, as the row-by-row
        // path would have it.
        if (first || map_per_record) row.back() = EvidenceKeysMap(keys, values);
        size_t g = input_group;
        if (!key_per_input || first) g = group_of(row);
        if (first) input_group = g;
        auto& aggs = groups[g].aggs;
        for (size_t a = 0; a < agg_calls.size(); ++a) {
          switch (arg_from[a].first) {
            case ArgFrom::kNonNull: aggs[a].Add(non_null); break;
            case ArgFrom::kKey: aggs[a].Add(values[arg_from[a].second]); break;
            case ArgFrom::kRow: aggs[a].Add(arg_of(agg_calls[a], row)); break;
          }
        }
      };
      size_t made = UnwindEvidenceEach(*unwind, keys, t.rows, input_scope, item, record);
      plan_[pending_unwind_plan_].rows = static_cast<int64_t>(made);
    } else {
      for (auto& row : t.rows) add(group_of(row), row);
    }
    bool has_keys = std::any_of(items.begin(), items.end(),
                                [](const Item& it) { return !it.aggregate; });
    if (groups.empty() && !has_keys) new_group({}, Row(t.scope.size()));
    for (auto& g : groups) {
      std::unordered_map<const Expr*, Value> results;
      for (size_t a = 0; a < agg_calls.size(); ++a) results[agg_calls[a]] = g.aggs[a].Finish();
      ctx_.aggregates = &results;
      Row out;
      size_t key_idx = 0;
      for (const auto& it : items) {
        if (!it.aggregate) out.push_back(g.key[key_idx++]);
        else out.push_back(EvalIn(*it.expr, g.rep, t.scope));
      }
      ctx_.aggregates = nullptr;
      projected.push_back(std::move(out));
    }
  }
  std::vector<const Expr*> exprs;
  for (const auto& it : items) exprs.push_back(it.expr);
  FinishProjection(p, exprs, aliases, std::move(projected), std::move(sources), keep_sources,
                   t, is_return, rows_distinct);
}

// DISTINCT, ORDER BY, SKIP/LIMIT and WITH ... WHERE over projected rows; `sources` holds the
// input row behind each projected row when `keep_sources`.
void Executor::FinishProjection(const Projection& p, const std::vector<const Expr*>& item_exprs,
                                const std::vector<std::string>& aliases,
                                std::vector<Row> projected, std::vector<Row> sources,
                                bool keep_sources, Table& t, bool is_return,
                                bool rows_distinct) {
  if (p.distinct && !rows_distinct) {
    // Indices into `projected` of the first row of each class.
    struct IndexHash {
      const std::vector<Row>* rows;
      size_t operator()(size_t i) const { return RowHash()((*rows)[i]); }
    };
    struct IndexEq {
      const std::vector<Row>* rows;
      bool operator()(size_t i, size_t j) const { return RowEq()((*rows)[i], (*rows)[j]); }
    };
    std::unordered_set<size_t, IndexHash, IndexEq> seen(projected.size(),
                                                        IndexHash{&projected},
                                                        IndexEq{&projected});
    std::vector<bool> keep(projected.size());
    for (size_t i = 0; i < projected.size(); ++i) keep[i] = seen.insert(i).second;
    std::vector<Row> unique;
    for (size_t i = 0; i < projected.size(); ++i) {
      if (keep[i]) unique.push_back(std::move(projected[i]));
    }
    projected = std::move(unique);
  }
  if (!p.order.empty()) {
    // Sort keys: a projected column when the sort expression is one, else evaluated over
    // input variables + projected aliases (aliases shadow).
    std::vector<std::string> sort_scope = keep_sources ? t.scope : std::vector<std::string>{};
    sort_scope.insert(sort_scope.end(), aliases.begin(), aliases.end());
    // Which column each sort key is, found once (not per row): the item written the same
    // way, else the alias a bare variable names (what evaluating it over sort_scope finds, as
    // aliases come last and are distinct); -1: evaluated per row.
    std::vector<int> columns;
    bool all_columns = true;
    for (const auto& s : p.order) {
      int column = -1;
      std::string text = Text(*s.expr);
      for (size_t i = 0; i < item_exprs.size(); ++i) {
        if (item_exprs[i]->begin < item_exprs[i]->end && Text(*item_exprs[i]) == text) {
          column = static_cast<int>(i);
        }
      }
      if (column < 0 && s.expr->kind == ExprKind::kVar) {
        auto alias = std::find(aliases.begin(), aliases.end(), s.expr->name);
        if (alias != aliases.end()) column = static_cast<int>(alias - aliases.begin());
      }
      columns.push_back(column);
      all_columns = all_columns && column >= 0;
    }
    std::vector<std::pair<Row, size_t>> keyed;
    keyed.reserve(projected.size());
    for (size_t r = 0; r < projected.size(); ++r) {
      Row ext;
      if (!all_columns) {
        ext = keep_sources ? sources[r] : Row{};
        ext.insert(ext.end(), projected[r].begin(), projected[r].end());
      }
      Row key;  // empty when every sort key is a column: read in place by `before`
      if (!all_columns) {
        key.reserve(p.order.size());
        for (size_t k = 0; k < p.order.size(); ++k) {
          if (columns[k] >= 0) key.push_back(projected[r][columns[k]]);
          else key.push_back(EvalIn(*p.order[k].expr, ext, sort_scope));
        }
      }
      keyed.emplace_back(std::move(key), r);
    }
    // With a LIMIT only the first SKIP + LIMIT rows of the sorted order are kept: select them
    // (ties broken by input position, which makes it exactly the stable sort's prefix).
    size_t keep = keyed.size();
    if (p.limit) {
      int64_t limit = ConstCount(*p.limit, "LIMIT");
      int64_t skip = p.skip ? ConstCount(*p.skip, "SKIP") : 0;
      if (static_cast<uint64_t>(limit) + static_cast<uint64_t>(skip) < keep) {
        keep = static_cast<size_t>(limit + skip);
      }
    }
    auto before = [&](const auto& a, const auto& b) {
      for (size_t i = 0; i < p.order.size(); ++i) {
        int c = all_columns ? OrderCompare(projected[a.second][columns[i]],
                                           projected[b.second][columns[i]])
                            : OrderCompare(a.first[i], b.first[i]);
        if (c != 0) return p.order[i].descending ? c > 0 : c < 0;
      }
      return a.second < b.second;
    };
    if (keep < keyed.size()) {
      std::partial_sort(keyed.begin(), keyed.begin() + keep, keyed.end(), before);
      keyed.resize(keep);
    } else {
      std::sort(keyed.begin(), keyed.end(), before);
    }
    std::vector<Row> sorted, sorted_sources;
    sorted.reserve(projected.size());
    for (auto& k : keyed) {
      sorted.push_back(std::move(projected[k.second]));
      if (keep_sources) sorted_sources.push_back(std::move(sources[k.second]));
    }
    projected = std::move(sorted);
    sources = std::move(sorted_sources);
  }
  int64_t skip = p.skip ? ConstCount(*p.skip, "SKIP") : 0;
  int64_t limit = p.limit ? ConstCount(*p.limit, "LIMIT") : -1;
  if (skip > 0 || limit >= 0) {
    size_t from = std::min<size_t>(skip, projected.size());
    size_t to = limit < 0 ? projected.size()
                          : std::min<size_t>(projected.size(), from + static_cast<size_t>(limit));
    projected = std::vector<Row>(std::make_move_iterator(projected.begin() + from),
                                 std::make_move_iterator(projected.begin() + to));
    if (keep_sources) {
      sources = std::vector<Row>(std::make_move_iterator(sources.begin() + from),
                                 std::make_move_iterator(sources.begin() + to));
    }
  }
  if (p.where) {
    std::vector<std::string> where_scope = keep_sources ? t.scope : std::vector<std::string>{};
    where_scope.insert(where_scope.end(), aliases.begin(), aliases.end());
    std::vector<Row> kept;
    for (size_t r = 0; r < projected.size(); ++r) {
      Row ext = keep_sources ? std::move(sources[r]) : Row{};
      ext.insert(ext.end(), projected[r].begin(), projected[r].end());
      if (IsTrue(EvalIn(*p.where, ext, where_scope))) kept.push_back(std::move(projected[r]));
    }
    projected = std::move(kept);
  }
  t.scope = aliases;
  t.rows = std::move(projected);
  if (is_return) {
    columns_ = aliases;
    ordered_ = !p.order.empty();
  }
}

}  // namespace kg::query::exec
