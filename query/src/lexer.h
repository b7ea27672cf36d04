#pragma once
// Lexer: query text -> tokens (byte offsets into the text). Throws QueryError (SyntaxError).

#include <string>
#include <string_view>
#include <vector>

namespace kg::query {

struct Token {
  enum class Kind : unsigned char { kIdent, kInt, kFloat, kString, kParam, kSymbol, kBadNumber, kEnd };
  Kind kind = Kind::kEnd;
  std::string text;    // identifier/symbol/number text, decoded string, parameter name
  size_t begin = 0;    // byte offsets in the query
  size_t end = 0;
  bool quoted = false;  // `escaped identifier`: never a keyword
  // kBadNumber: digits run into letters (12abc, 0x1G); an error only where a literal is expected.
};

std::vector<Token> Lex(std::string_view query);

}  // namespace kg::query
