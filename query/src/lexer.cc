#include "lexer.h"

#include <cctype>

#include "query_error.h"

namespace kg::query {
namespace {

bool IsIdentStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool IsIdentChar(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::vector<Token> Lex(std::string_view q) {
  std::vector<Token> tokens;
  size_t i = 0;
  auto syntax = [&](const std::string& msg, size_t at, const char* detail = "UnexpectedSyntax") {
    return QueryError("SyntaxError", detail, msg, at);
  };
  while (true) {
    while (i < q.size()) {
      if (std::isspace(static_cast<unsigned char>(q[i]))) {
        ++i;
      } else if (q.substr(i, 2) == "//") {
        while (i < q.size() && q[i] != '\n') ++i;
      } else if (q.substr(i, 2) == "/*") {
        size_t close = q.find("*/", i + 2);
        if (close == std::string_view::npos) throw syntax("unterminated comment", i);
        i = close + 2;
      } else {
        break;
      }
    }
    Token t;
    t.begin = i;
    if (i >= q.size()) {
      t.kind = Token::Kind::kEnd;
      t.end = i;
      tokens.push_back(t);
      return tokens;
    }
    unsigned char c = q[i];
    if (IsIdentStart(c)) {
      size_t j = i;
      while (j < q.size() && IsIdentChar(q[j])) ++j;
      t.kind = Token::Kind::kIdent;
      t.text = std::string(q.substr(i, j - i));
      i = j;
    } else if (c == '`') {
      size_t j = i + 1;
      std::string text;
      while (true) {
        if (j >= q.size()) throw syntax("unterminated `identifier`", i);
        if (q[j] == '`') {
          if (j + 1 < q.size() && q[j + 1] == '`') {
            text += '`';
            j += 2;
            continue;
          }
          break;
        }
        text += q[j++];
      }
      t.kind = Token::Kind::kIdent;
      t.quoted = true;
      t.text = text;
      i = j + 1;
    } else if (std::isdigit(c) || (c == '.' && i + 1 < q.size() && std::isdigit(q[i + 1]) &&
                                   !(i > 0 && q[i - 1] == '.'))) {
      size_t j = i;
      bool is_float = false;
      if (c == '0' && j + 1 < q.size() && (q[j + 1] == 'x' || q[j + 1] == 'X')) {
        j += 2;
        while (j < q.size() && std::isxdigit(q[j])) ++j;

      } else if (c == '0' && j + 1 < q.size() && q[j + 1] == 'o') {
        j += 2;
        while (j < q.size() && q[j] >= '0' && q[j] <= '7') ++j;

      } else {
        while (j < q.size() && std::isdigit(q[j])) ++j;
        if (j < q.size() && q[j] == '.' && j + 1 < q.size() && std::isdigit(q[j + 1])) {
          is_float = true;
          ++j;
          while (j < q.size() && std::isdigit(q[j])) ++j;
        }
        if (j < q.size() && (q[j] == 'e' || q[j] == 'E')) {
          size_t k = j + 1;
          if (k < q.size() && (q[k] == '+' || q[k] == '-')) ++k;
          if (k < q.size() && std::isdigit(q[k])) {
            is_float = true;
            j = k;
            while (j < q.size() && std::isdigit(q[j])) ++j;
          }
        }
      }
      bool bad = (j == i + 2 && !std::isdigit(static_cast<unsigned char>(q[i + 1])) &&
                  q[i + 1] != '.');  // "0x" or "0o" without digits
      if (bad || (j < q.size() && IsIdentChar(q[j]))) {
        while (j < q.size() && IsIdentChar(q[j])) ++j;
        t.kind = Token::Kind::kBadNumber;
        t.text = std::string(q.substr(i, j - i));
        t.end = j;
        i = j;
        tokens.push_back(std::move(t));
        continue;
      }
      t.kind = is_float ? Token::Kind::kFloat : Token::Kind::kInt;
      t.text = std::string(q.substr(i, j - i));
      i = j;
    } else if (c == '\'' || c == '"') {
      size_t j = i + 1;
      std::string text;
      while (true) {
        if (j >= q.size()) throw syntax("unterminated string literal", i);
        char d = q[j];
        if (d == char(c)) break;
        if (d == '\\') {
          if (j + 1 >= q.size()) throw syntax("unterminated string literal", i);
          char e = q[j + 1];
          j += 2;
          switch (e) {
            case '\\': text += '\\'; break;
            case '\'': text += '\''; break;
            case '"': text += '"'; break;
            case 'n': text += '\n'; break;
            case 't': text += '\t'; break;
            case 'r': text += '\r'; break;
            case 'b': text += '\b'; break;
            case 'f': text += '\f'; break;
            case 'u':
            case 'U': {
              size_t len = e == 'u' ? 4 : 8;
              if (j + len > q.size()) {
                throw syntax("invalid unicode escape", j - 2, "InvalidUnicodeLiteral");
              }
              uint32_t cp = 0;
              for (size_t k = 0; k < len; ++k) {
                char h = q[j + k];
                if (!std::isxdigit(static_cast<unsigned char>(h))) {
                  throw syntax("invalid unicode escape", j - 2, "InvalidUnicodeLiteral");
                }
                cp = cp * 16 + (std::isdigit(static_cast<unsigned char>(h))
                                    ? h - '0'
                                    : std::tolower(static_cast<unsigned char>(h)) - 'a' + 10);
              }
              if (cp > 0x10FFFF) {
                throw syntax("invalid unicode escape", j - 2, "InvalidUnicodeLiteral");
              }
              AppendUtf8(text, cp);
              j += len;
              break;
            }
            default: throw syntax(std::string("invalid escape \\") + e, j - 2);
          }
          continue;
        }
        text += d;
        ++j;
      }
      t.kind = Token::Kind::kString;
      t.text = text;
      i = j + 1;
    } else if (c == '$') {
      size_t j = i + 1;
      if (j < q.size() && q[j] == '`') {
        size_t close = q.find('`', j + 1);
        if (close == std::string_view::npos) throw syntax("unterminated parameter name", i);
        t.text = std::string(q.substr(j + 1, close - j - 1));
        j = close + 1;
      } else {
        while (j < q.size() && IsIdentChar(q[j])) ++j;
        if (j == i + 1) throw syntax("expected a parameter name after $", i);
        t.text = std::string(q.substr(i + 1, j - i - 1));
      }
      t.kind = Token::Kind::kParam;
      i = j;
    } else {
      static const char* kTwo[] = {"<=", ">=", "<>", "!=", "=~", "..", "+="};
      t.kind = Token::Kind::kSymbol;
      bool two = false;
      for (const char* s : kTwo) {
        if (q.substr(i, 2) == s) {
          t.text = s;
          i += 2;
          two = true;
          break;
        }
      }
      if (!two) {
        static const std::string kOne = "()[]{},.:|;+-*/%^=<>";
        if (kOne.find(char(c)) == std::string::npos) {
          throw syntax(std::string("unexpected character '") + char(c) + "'", i);
        }
        t.text = std::string(1, char(c));
        ++i;
      }
    }
    t.end = i;
    tokens.push_back(std::move(t));
  }
}

}  // namespace kg::query
