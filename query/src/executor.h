#pragma once
// Executor: runs a parsed (and bound) Query against a GraphAccess, clause by clause over
// materialised tables of rows. Throws QueryError; Engine converts.

#include <string_view>

#include "ast.h"
#include "kg/query/engine.h"

namespace kg::query {

QueryResult RunQuery(const Query& query, GraphAccess& graph, const Map& params,
                     const QueryOptions& options, std::string_view text);

}  // namespace kg::query
