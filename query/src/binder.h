#pragma once
// Binder: static checks of a parsed query before anything runs: undefined variables, variables
// bound twice or used as two kinds (node/relationship/path/value), CREATE's restrictions,
// aggregation placement. Throws QueryError (SyntaxError/SemanticError with the TCK detail).

#include "ast.h"

namespace kg::query {

void Bind(const Query& query);

}  // namespace kg::query
