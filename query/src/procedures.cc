#include "procedures.h"

#include <algorithm>

#include "algorithms.h"
#include "eval.h"
#include "query_error.h"

namespace kg::query {
namespace {

QueryError ArgError(const std::string& name, const std::string& msg) {
  return QueryError("ArgumentError", "InvalidArgumentValue", name + "(): " + msg);
}

NodeRef NodeArg(const std::string& name, const std::vector<Value>& args, size_t i) {
  if (i >= args.size() || args[i].type() != Value::Type::kNode) {
    throw ArgError(name, "argument " + std::to_string(i + 1) + " must be a node");
  }
  return args[i].as_node();
}

}  // namespace

ProcedureResult CallProcedureSignature(const std::string& raw_name) {
  std::string name = Lower(raw_name);
  if (name == "search") return {{"node", "score"}, {}};
  if (name == "algo.degree") return {{"node", "degree", "in", "out"}, {}};
  if (name == "algo.pagerank") return {{"node", "score"}, {}};
  if (name == "algo.components") return {{"node", "component"}, {}};
  if (name == "algo.shortestpath") return {{"path", "length"}, {}};
  throw QueryError("ProcedureError", "ProcedureNotFound",
                   "unknown procedure " + raw_name +
                       " (known: search, algo.shortestPath, algo.pageRank, algo.components, "
                       "algo.degree)");
}

ProcedureResult CallProcedure(GraphAccess& graph, const std::string& raw_name,
                              const std::vector<Value>& args, const QueryOptions& options) {
  ProcedureResult result = CallProcedureSignature(raw_name);
  std::string name = Lower(raw_name);
  if (name == "search") {
    if (args.empty() || args[0].type() != Value::Type::kString) {
      throw ArgError(raw_name, "expects search('text' [, limit])");
    }
    size_t limit = 10;
    if (args.size() > 1) {
      if (args[1].type() != Value::Type::kInt || args[1].as_int() < 1) {
        throw ArgError(raw_name, "limit must be a positive integer");
      }
      limit = static_cast<size_t>(args[1].as_int());
    }
    auto found = graph.Search(args[0].as_string(), limit);
    if (!found) {
      // No index: a case-insensitive substring scan of names.
      found.emplace();
      std::string needle = Lower(args[0].as_string());
      for (uint64_t id : graph.AllNodeIds()) {
        NodeRef n = graph.GetNode(id);
        auto it = n->props.find("name");
        if (it != n->props.end() && it->is_string() &&
            Lower(it->get<std::string>()).find(needle) != std::string::npos) {
          found->push_back(id);
          if (found->size() >= limit) break;
        }
      }
    }
    double score = 1.0;
    for (uint64_t id : *found) {
      NodeRef n = graph.GetNode(id);
      if (n) result.rows.push_back({Value(n), Value(score)});
      score *= 0.99;
    }
    return result;
  }
  if (name == "algo.degree") {
    for (uint64_t id : graph.AllNodeIds()) {
      int64_t in = graph.Degree(id, Direction::kIn);
      int64_t out = graph.Degree(id, Direction::kOut);
      result.rows.push_back({Value(graph.GetNode(id)), Value(in + out), Value(in), Value(out)});
    }
    return result;
  }
  if (name == "algo.pagerank") {
    double damping = 0.85;
    int64_t iterations = 20;
    if (!args.empty() && args[0].is_number()) damping = args[0].as_number();
    if (args.size() > 1 && args[1].type() == Value::Type::kInt) iterations = args[1].as_int();
    for (const auto& [id, score] : PageRank(graph, damping, static_cast<int>(iterations))) {
      result.rows.push_back({Value(graph.GetNode(id)), Value(score)});
    }
    return result;
  }
  if (name == "algo.components") {
    for (const auto& [id, component] : Components(graph)) {
      result.rows.push_back({Value(graph.GetNode(id)), Value(component)});
    }
    return result;
  }
  if (name == "algo.shortestpath") {
    NodeRef a = NodeArg(raw_name, args, 0);
    NodeRef b = NodeArg(raw_name, args, 1);
    (void)options;
    auto path = ShortestPath(graph, a->id, b->id);
    if (path) {
      result.rows.push_back({Value(PathRef(*path)),
                             Value(static_cast<int64_t>((*path)->rels.size()))});
    }
    return result;
  }
  return result;
}

}  // namespace kg::query
