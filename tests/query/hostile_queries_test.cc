// Hostile queries (issue #8): each must end with a clear error or a right answer, within the
// engine's limits (QueryOptions in kg/query/engine.h), never by exhausting memory, the stack or
// the clock. The limits here are small so the tests stay fast; the message of each error is
// checked word for word.

#include <catch2/catch.hpp>

#include <string>

#include "kg/query/engine.h"
#include "kg/query/memory_graph.h"

namespace kg::query {
namespace {

// A 12-node clique (every ordered pair linked: 132 relationships, so the trails of up to 15 hops
// number in the billions) beside a hub with 2,000 leaves.
void BuildHubs(MemoryGraph& graph) {
  auto clique = Execute(graph,
                        "UNWIND range(0, 11) AS i CREATE (:K {i: i}) WITH count(*) AS made "
                        "MATCH (a:K), (b:K) WHERE a.i <> b.i CREATE (a)-[:R]->(b)",
                        {});
  REQUIRE(clique.has_value());
  auto hub = Execute(graph,
                     "CREATE (h:Hub {name: 'hub'}) WITH h UNWIND range(1, 2000) AS i "
                     "CREATE (h)-[:L]->(:Leaf {i: i})",
                     {});
  REQUIRE(hub.has_value());
  REQUIRE(graph.node_count() == 2013);
  REQUIRE(graph.rel_count() == 2132);
}

QueryOptions SmallLimits() {
  QueryOptions options;
  options.timeout_ms = 0;  // the row caps must stop these, not the clock
  options.max_intermediate_rows = 200'000;
  options.max_result_rows = 100'000;
  return options;
}

std::string Message(const Result<QueryResult>& r) {
  return r.has_value() ? std::string("(no error)") : r.error().message();
}

TEST_CASE("an unbounded variable-length pattern over a clique stops at the row cap",
          "[query][hostile]") {
  MemoryGraph graph;
  BuildHubs(graph);
  for (const char* q : {"MATCH p = (a:K)-[*]-(b) RETURN count(p)",
                        "MATCH (a:K)-[*]->(b:K) RETURN a, b",
                        "MATCH (a:K {i: 0})-[*0..]-(x) RETURN count(x)"}) {
    INFO(q);
    auto r = Execute(graph, q, {}, SmallLimits());
    REQUIRE_FALSE(r.has_value());
    CHECK(ErrorType(r.error()) == "LimitExceeded");
    CHECK(ErrorDetail(r.error()) == "MemoryCap");
    CHECK_THAT(Message(r), Catch::Contains("an intermediate result exceeded 200000 rows"));
  }
}

TEST_CASE("a variable-length pattern over a hub with a bound answers", "[query][hostile]") {
  MemoryGraph graph;
  BuildHubs(graph);
  auto r = Execute(graph, "MATCH (h:Hub)-[*1..3]-(x:Leaf) RETURN count(DISTINCT x) AS n", {},
                   SmallLimits());
  REQUIRE(r.has_value());
  REQUIRE(r->rows.size() == 1);
  CHECK(r->rows[0][0].as_int() == 2000);
}

TEST_CASE("a cartesian product of all nodes stops at the row cap", "[query][hostile]") {
  MemoryGraph graph;
  BuildHubs(graph);
  auto r = Execute(graph, "MATCH (a), (b), (c) RETURN count(*)", {}, SmallLimits());
  REQUIRE_FALSE(r.has_value());
  CHECK(ErrorDetail(r.error()) == "MemoryCap");
  CHECK_THAT(Message(r), Catch::Contains("an intermediate result exceeded 200000 rows"));
  auto rows = Execute(graph, "MATCH (a:K), (b:Leaf) RETURN a.i, b.i", {}, SmallLimits());
  // 24,000 rows fit under both caps.
  REQUIRE(rows.has_value());
  CHECK(rows->rows.size() == 24000);
}

TEST_CASE("a result over the row cap names the cap", "[query][hostile]") {
  MemoryGraph graph;
  BuildHubs(graph);
  QueryOptions options = SmallLimits();
  options.max_result_rows = 1000;
  auto r = Execute(graph, "MATCH (x:Leaf) RETURN x.i", {}, options);
  REQUIRE_FALSE(r.has_value());
  CHECK(ErrorDetail(r.error()) == "RowCap");
  CHECK_THAT(Message(r), Catch::Contains(
                             "the result has more than 1000 rows (raise the row cap or add LIMIT)"));
}

TEST_CASE("huge SKIP and LIMIT values are exact, not overflowed", "[query][hostile]") {
  MemoryGraph graph;
  BuildHubs(graph);
  const std::string max = "9223372036854775807";
  struct Case {
    std::string query;
    size_t rows;
  } cases[] = {
      {"MATCH (x:Leaf) RETURN x.i SKIP " + max, 0},
      {"MATCH (x:Leaf) RETURN x.i LIMIT " + max, 2000},
      {"MATCH (x:Leaf) RETURN x.i SKIP 1 LIMIT " + max, 1999},
      {"MATCH (x:Leaf) RETURN x.i ORDER BY x.i SKIP " + max + " LIMIT " + max, 0},
      {"MATCH (x:Leaf) RETURN x.i ORDER BY x.i DESC SKIP 1 LIMIT " + max, 1999},
      {"MATCH (a:K)-[r]->() RETURN a.i, count(r) AS c ORDER BY c DESC SKIP 1 LIMIT " + max, 11},
      {"MATCH (a:K)-[r]->() RETURN a, count(r) AS c ORDER BY c DESC SKIP 1 LIMIT " + max, 11},
      {"MATCH (a:K)-[r]->() RETURN a, count(r) AS c ORDER BY c DESC SKIP " + max + " LIMIT " +
           max,
       0},
  };
  for (const auto& c : cases) {
    INFO(c.query);
    auto r = Execute(graph, c.query, {}, SmallLimits());
    INFO(Message(r));
    REQUIRE(r.has_value());
    CHECK(r->rows.size() == c.rows);
  }
  auto too_big = Execute(graph, "MATCH (x) RETURN x SKIP 99999999999999999999", {});
  REQUIRE_FALSE(too_big.has_value());
  CHECK_THAT(Message(too_big),
             Catch::StartsWith("SyntaxError at 1:25: integer literal too large: "
                               "99999999999999999999 (IntegerOverflow)"));
  auto negative = Execute(graph, "MATCH (x) RETURN x LIMIT -1", {});
  REQUIRE_FALSE(negative.has_value());
  CHECK(ErrorType(negative.error()) == "SyntaxError");
}

TEST_CASE("10,000-deep nested expressions are refused before they reach the stack",
          "[query][hostile]") {
  MemoryGraph graph;
  std::string parens = "RETURN " + std::string(10000, '(') + "1" + std::string(10000, ')');
  std::string lists = "RETURN " + std::string(10000, '[') + std::string(10000, ']');
  std::string maps = "RETURN ";
  for (int i = 0; i < 10000; ++i) maps += "{a: ";
  maps += "1" + std::string(10000, '}');
  std::string sums = "RETURN 1";
  for (int i = 0; i < 10000; ++i) sums += " + 1";  // left-deep, but long
  for (const std::string* q : {&parens, &lists, &maps}) {
    auto r = Execute(graph, *q, {});
    REQUIRE_FALSE(r.has_value());
    CHECK(ErrorDetail(r.error()) == "NestingTooDeep");
    CHECK_THAT(Message(r), Catch::StartsWith("SyntaxError at 1:"));
  }
  auto sum = Execute(graph, sums, {});
  // A flat chain of 10,000 operators is not nesting by syntax; it either answers or is refused
  // the same way, never crashes.
  if (sum.has_value()) {
    REQUIRE(sum->rows.size() == 1);
    CHECK(sum->rows[0][0].as_int() == 10001);
  } else {
    CHECK(ErrorDetail(sum.error()) == "NestingTooDeep");
  }
}

TEST_CASE("a giant string literal is a value like any other", "[query][hostile]") {
  MemoryGraph graph;
  std::string big(4 << 20, 'x');
  auto r = Execute(graph, "RETURN size('" + big + "') AS n", {});
  REQUIRE(r.has_value());
  CHECK(r->rows[0][0].as_int() == 4 << 20);
  auto unterminated = Execute(graph, "RETURN '" + big, {});
  REQUIRE_FALSE(unterminated.has_value());
  CHECK(ErrorType(unterminated.error()) == "SyntaxError");
  // The caret context of the error quotes a window of the line, not 4 MB of it.
  CHECK(Message(unterminated).size() < 400);
  // Also around a caret far into a long line of multi-byte characters: whole characters only.
  std::string accents;
  for (int i = 0; i < 1000; ++i) accents += "\xC3\xA9";
  auto late = Execute(graph, "RETURN '" + accents + "' + ", {});
  REQUIRE_FALSE(late.has_value());
  std::string message = Message(late);
  CHECK(message.size() < 400);
  CHECK_THAT(message, Catch::Contains("\n  ...\xC3\xA9"));
  CHECK_THAT(message, Catch::EndsWith("\xC3\xA9' + \n" + std::string(2 + 3 + 80, ' ') + "^"));
}

TEST_CASE("invalid regular expressions are a clear error", "[query][hostile]") {
  MemoryGraph graph;
  struct Case {
    const char* pattern;
    const char* message;
  } cases[] = {
      {"(", "ArgumentError at 1:8: invalid regular expression '(': missing ): ("},
      {"[a-", "ArgumentError at 1:8: invalid regular expression '[a-': missing ]: [a-"},
      {"a{2,1}", "ArgumentError at 1:8: invalid regular expression 'a{2,1}': invalid repetition "
                 "size: {2,1}"},
      {"(a)\\1", "ArgumentError at 1:8: invalid regular expression '(a)\\1': invalid escape "
                 "sequence: \\1"},
  };
  for (const auto& c : cases) {
    INFO(c.pattern);
    Map params{{"p", Value(std::string(c.pattern))}};
    auto r = Execute(graph, "RETURN 'x' =~ $p AS m", params);
    REQUIRE_FALSE(r.has_value());
    CHECK(ErrorDetail(r.error()) == "InvalidArgumentValue");
    CHECK_THAT(Message(r), Catch::StartsWith(c.message));
  }
}

TEST_CASE("regular expressions match in linear time, on long strings too", "[query][hostile]") {
  MemoryGraph graph;
  // std::regex needed 2^n steps for '(a*)*b' (beyond any timeout: the matcher cannot be
  // interrupted) and one stack frame per character of '(a|b)*' (a 100 kB string crashed kg).
  Map params{{"s", Value(std::string(40, 'a') + "!")},
             {"long", Value(std::string(1 << 20, 'a'))}};
  auto r = Execute(graph,
                   "RETURN $s =~ '(a*)*b' AS exp, $long =~ '(a|b)*' AS deep, "
                   "$long =~ '(a*)*' AS both, 'Straße' =~ 'Stra.e' AS utf8",
                   params);
  INFO(Message(r));
  REQUIRE(r.has_value());
  CHECK_FALSE(r->rows[0][0].as_bool());
  CHECK(r->rows[0][1].as_bool());
  CHECK(r->rows[0][2].as_bool());
  CHECK(r->rows[0][3].as_bool());
}

TEST_CASE("a giant pattern is refused, not compiled into gigabytes", "[query][hostile]") {
  MemoryGraph graph;
  std::string pattern;
  for (int i = 0; i < 2000; ++i) pattern += "(a{1,1000})";
  Map params{{"p", Value(pattern)}};
  auto r = Execute(graph, "RETURN 'a' =~ $p AS m", params);
  REQUIRE_FALSE(r.has_value());
  CHECK(ErrorDetail(r.error()) == "InvalidArgumentValue");
  CHECK_THAT(Message(r), Catch::Contains("invalid regular expression '(a{1,1000})(a{1,1000})"));
}

}  // namespace
}  // namespace kg::query
