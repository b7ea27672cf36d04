// Lexer and parser behaviour seen through Execute: accepted syntax and errors with positions.
#include <catch2/catch.hpp>

#include <string>

#include "kg/query/engine.h"
#include "kg/query/memory_graph.h"

namespace kg::query {
namespace {

struct ErrorCase {
  const char* query;
  const char* type;
  const char* detail;
  const char* where;  // "line:column"
};

TEST_CASE("syntax errors name the line and column of the offending token", "[query][parser]") {
  const ErrorCase cases[] = {
      {"MATCH (n RETURN n", "SyntaxError", "UnexpectedSyntax", "1:10"},
      {"MATCH (n)\nRETURN n.", "SyntaxError", "UnexpectedSyntax", "2:10"},
      {"RETURN 'abc", "SyntaxError", "UnexpectedSyntax", "1:8"},
      {"RETURN 1 +", "SyntaxError", "UnexpectedSyntax", "1:11"},
      {"RETURN 12abc", "SyntaxError", "InvalidNumberLiteral", "1:8"},
      {"RETURN '\\uZZZZ'", "SyntaxError", "InvalidUnicodeLiteral", "1:9"},
      {"MATCH (a)-[:T..2]->(b) RETURN a", "SyntaxError", "InvalidRelationshipPattern", "1:14"},
      {"RETURN 1 # 2", "SyntaxError", "UnexpectedSyntax", "1:10"},
      {"FOO (n)", "SyntaxError", "UnexpectedSyntax", "1:1"},
      {"MATCH (n) RETURN n UNION", "SyntaxError", "UnexpectedSyntax", "1:25"},
  };
  for (const auto& c : cases) {
    MemoryGraph graph;
    INFO(c.query);
    auto r = Execute(graph, c.query, {});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code() == Status::Code::kParseError);
    CHECK(ErrorType(r.error()) == c.type);
    CHECK(ErrorDetail(r.error()) == c.detail);
    CHECK(r.error().message().find(std::string(" at ") + c.where + ":") != std::string::npos);
  }
}

TEST_CASE("a syntax error shows the query line and a caret under the column", "[query][parser]") {
  MemoryGraph graph;
  auto r = Execute(graph, "MATCH (n)\nRETURN n..x", {});
  REQUIRE_FALSE(r.has_value());
  const std::string& m = r.error().message();
  CHECK(m.find("\n  RETURN n..x\n") != std::string::npos);
  CHECK(m.substr(m.rfind('\n') + 1) == "          ^");  // 2 spaces of indent + column 9
}

TEST_CASE("accepted syntax: comments, keywords in any case, backticks, parameters",
          "[query][parser]") {
  const char* queries[] = {
      "match (n) return n",
      "MATCH (n) // comment\nRETURN n /* block */",
      "MATCH (`weird name`:`Label With Space`) RETURN `weird name`",
      "MATCH (a)-->(b)<--(c), (d)--(e) RETURN a, b, c, d, e",
      "MATCH (a)-[r:A|:B|C*..3 {x: 1}]-(b) RETURN a",
      "UNWIND $list AS x WITH x WHERE x > 1 RETURN x ORDER BY x DESC SKIP 0 LIMIT 3",
      "RETURN [x IN [1,2] | x] AS a, all(x IN [] WHERE x) AS b, {a: 1, `b c`: 2} AS c",
      "EXPLAIN MATCH (n:Person {name: 'x'}) RETURN n",
      "RETURN 1 AS x UNION ALL RETURN 2 AS x",
      "CALL search('x') YIELD node RETURN node",
  };
  for (const char* q : queries) {
    MemoryGraph graph;
    Map params;
    params["list"] = Value(List{Value(1), Value(2)});
    INFO(q);
    auto r = Execute(graph, q, params);
    INFO((r ? std::string() : r.error().message()));
    CHECK(r.has_value());
  }
}

TEST_CASE("deeply nested expressions give an error, not a stack overflow", "[query][parser]") {
  MemoryGraph graph;
  for (const char* open : {"(", "[", "-", "NOT "}) {
    std::string q = "RETURN ";
    for (int i = 0; i < 10000; ++i) q += open;
    q += "1";
    INFO(open);
    auto r = Execute(graph, q, {});
    REQUIRE_FALSE(r.has_value());
    CHECK(ErrorDetail(r.error()) == "NestingTooDeep");
  }
}

TEST_CASE("unsupported clauses say so", "[query][parser]") {
  MemoryGraph graph;
  for (const char* q : {"MATCH (n) FOREACH (x IN [1] | CREATE ())",
                        "LOAD CSV FROM 'f' AS l RETURN l"}) {
    auto r = Execute(graph, q, {});
    REQUIRE_FALSE(r.has_value());
    CHECK(ErrorType(r.error()) == "Unsupported");
    CHECK(r.error().message().find("outside the kg subset") != std::string::npos);
  }
}

}  // namespace
}  // namespace kg::query
