#pragma once
// The one entry point of the query layer: text -> Lexer -> Parser -> Binder -> Executor -> rows.
// Each call reads one snapshot (the GraphAccess given) and applies its writes only when the whole
// query succeeded. Errors come back as a Status whose message starts with the openCypher error
// name: "SyntaxError at 1:15: expected ')' (UnexpectedSyntax)" followed, for errors with a
// position, by the query line and a caret on the next two lines.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kg/core/status.h"
#include "kg/query/graph.h"
#include "kg/query/value.h"

namespace kg::query {

struct QueryOptions {
  // Upper bound of a variable-length pattern written without one (`*`, `*2..`).
  int64_t default_max_hops = 15;
  // Wall-clock limit of one query; 0 = none.
  int64_t timeout_ms = 60'000;
  // Most rows a result may have.
  int64_t max_result_rows = 10'000'000;
  // Most rows any intermediate stage may hold (bounds memory).
  int64_t max_intermediate_rows = 20'000'000;
  // Deepest syntax nesting accepted (parentheses, lists, NOT, unary minus...).
  int max_parse_depth = 400;
};

struct OperatorProfile {
  std::string name;     // "Match (a:Person)-[:KNOWS]->(b)"
  std::string detail;   // how it runs: "start: name index on a", ...
  int64_t rows = 0;     // rows out (PROFILE)
  double millis = 0;    // time spent (PROFILE)
};

struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
  bool ordered = false;  // the query ends with ORDER BY
  // Filled for EXPLAIN (no execution, no rows) and PROFILE (executed).
  bool explain = false;
  bool profile = false;
  std::vector<OperatorProfile> plan;
  int64_t nodes_created = 0;
  int64_t rels_created = 0;
};

// Runs `query` against `graph` with parameters `params`. Writes go through graph.CreateNode/
// CreateRel and are committed (graph.Commit) only on success, rolled back otherwise.
Result<QueryResult> Execute(GraphAccess& graph, std::string_view query, const Map& params,
                            const QueryOptions& options = {});

// The openCypher error name at the start of a message Execute returned ("SyntaxError", ...).
std::string ErrorType(const Status& status);
// The detail code of such a message ("UndefinedVariable", ...), empty when none.
std::string ErrorDetail(const Status& status);

// Renders the plan of an EXPLAIN/PROFILE result as text lines.
std::string FormatPlan(const QueryResult& result);

}  // namespace kg::query
