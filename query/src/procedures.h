#pragma once
// Procedures callable with CALL name(args) YIELD ...: search() over the name/alias index and the
// graph algorithms algo.* (Boost.Graph). Throws QueryError (ProcedureError for unknown names,
// ArgumentError for bad arguments).

#include <string>
#include <vector>

#include "kg/query/engine.h"
#include "kg/query/graph.h"

namespace kg::query {

struct ProcedureResult {
  std::vector<std::string> fields;
  std::vector<std::vector<Value>> rows;
};

ProcedureResult CallProcedure(GraphAccess& graph, const std::string& name,
                              const std::vector<Value>& args, const QueryOptions& options);
// The output fields of `name` (rows empty). Throws for unknown procedures.
ProcedureResult CallProcedureSignature(const std::string& name);

}  // namespace kg::query
