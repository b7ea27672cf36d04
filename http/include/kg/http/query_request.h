#pragma once
// The body of POST /query ({"query": "...", "parameters": {...}}) turned into a query and its
// parameters. Separate from the route so tests and the fuzzer (tests/fuzz) can feed it bytes.

#include <string>
#include <string_view>

#include "kg/core/status.h"
#include "kg/query/value.h"

namespace kg::http {

// Parses `body`. InvalidArgument ("request body: ...") when it is not JSON, not an object, has
// no string "query", or has "parameters" that are neither null nor an object.
Status ParseQueryRequest(std::string_view body, std::string* query, kg::query::Map* params);

}  // namespace kg::http
