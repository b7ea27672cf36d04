#pragma once
// QueryError: how the stages of one query report a failure internally. Thrown inside the
// lexer/parser/executor and turned into a kg::Status by Engine (query/src/engine.cc) only; it
// never crosses the layer's public API.

#include <cstddef>
#include <stdexcept>
#include <string>

namespace kg::query {

struct QueryError : std::runtime_error {
  // `type` is the openCypher TCK error name (SyntaxError, SemanticError, TypeError,
  // ArgumentError, ParameterMissing, ...); `detail` its TCK detail (UndefinedVariable, ...).
  // `offset` is the byte offset in the query text, npos when unknown.
  QueryError(std::string type_in, std::string detail_in, std::string message,
             size_t offset_in = std::string::npos)
      : std::runtime_error(message),
        type(std::move(type_in)),
        detail(std::move(detail_in)),
        offset(offset_in) {}
  std::string type;
  std::string detail;
  size_t offset;
};

// A clause or feature the kg subset does not implement (FOREACH, LOAD CSV, ...).
inline QueryError Unsupported(const std::string& what, size_t offset = std::string::npos) {
  return QueryError("Unsupported", "", what + " is outside the kg subset", offset);
}

}  // namespace kg::query
