#pragma once
// Parser: tokens -> Query (recursive descent). Throws QueryError (SyntaxError with the offset of
// the offending token). Nesting deeper than `max_depth` is a SyntaxError, not a stack overflow.

#include <string_view>

#include "ast.h"

namespace kg::query {

Query Parse(std::string_view query, int max_depth);

}  // namespace kg::query
