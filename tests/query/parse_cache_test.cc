// Execute keeps the parsed form of recent query texts per thread. Running a text again must give
// what a first run gives: parameters and the graph are read anew, options are part of the key,
// and a text that fails to parse fails every time.
#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "kg/query/engine.h"
#include "kg/query/memory_graph.h"
#include "query_test_util.h"

namespace {

using kg::testing::RowStrings;

}  // namespace

TEST_CASE("a repeated query text reads new parameters and new data", "[query][cache]") {
  kg::query::MemoryGraph graph;
  const std::string count = "MATCH (n:Person) WITH count(n) AS n RETURN n, $tag AS tag";
  CHECK(RowStrings(graph, count, {{"tag", kg::query::Value("a")}}) ==
        std::vector<std::string>{"0|'a'|"});
  RowStrings(graph, "CREATE (:Person {name: 'Ada'})");
  CHECK(RowStrings(graph, count, {{"tag", kg::query::Value(int64_t{2})}}) ==
        std::vector<std::string>{"1|2|"});
  // Same text, different row layouts never happen; different texts share nothing.
  CHECK(RowStrings(graph, "MATCH (n:Person) RETURN n.name AS x") == std::vector<std::string>{"'Ada'|"});
  CHECK(RowStrings(graph, "MATCH (n:Person) WITH n.name AS y, n RETURN y AS x") ==
        std::vector<std::string>{"'Ada'|"});
  CHECK(RowStrings(graph, "MATCH (n:Person) RETURN n.name AS x") == std::vector<std::string>{"'Ada'|"});
}

TEST_CASE("the parse depth limit is part of the cached text's key", "[query][cache]") {
  kg::query::MemoryGraph graph;
  std::string deep = "RETURN " + std::string(60, '(') + "1" + std::string(60, ')') + " AS x";
  kg::query::QueryOptions shallow;
  shallow.max_parse_depth = 20;
  for (int round = 0; round < 2; ++round) {
    auto failed = kg::query::Execute(graph, deep, {}, shallow);
    CHECK_FALSE(failed.has_value());
    CHECK(RowStrings(graph, deep) == std::vector<std::string>{"1|"});
  }
  for (int round = 0; round < 2; ++round) {
    auto bad = kg::query::Execute(graph, "RETURN x AS y", {});
    REQUIRE_FALSE(bad.has_value());
    CHECK(kg::query::ErrorType(bad.error()) == "SyntaxError");
  }
}

TEST_CASE("threads running the same text concurrently each get the right rows",
          "[query][cache]") {
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &ok] {
      kg::query::MemoryGraph graph;
      for (int i = 0; i < 200; ++i) {
        kg::query::Map params{{"x", kg::query::Value(int64_t{t * 1000 + i})}};
        auto result = kg::query::Execute(graph, "UNWIND [$x, $x + 1] AS v RETURN sum(v) AS s",
                                         params);
        if (result && result->rows.size() == 1 &&
            result->rows[0][0].as_int() == 2 * (t * 1000 + i) + 1) {
          ++ok[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(ok == std::vector<int>(4, 200));
}

// The analysis of what a query never reads (query_analysis.h) is made once per cached text and
// reused: every run of the text must read and describe the same way as the first.
TEST_CASE("a cached text runs and explains itself the same way every time", "[query][cache]") {
  kg::query::MemoryGraph graph;
  RowStrings(graph,
             "CREATE (a:Person {name: 'Ada', born: 1815})-[:KNOWS]->(:Person {name: 'Bob'}), "
             "(a)-[:KNOWS]->(:Person {name: 'Cy'})");
  const std::string text =
      "MATCH (a {name: 'Ada'})-[r:KNOWS]->(b) RETURN b.name AS friend, type(r) AS t "
      "ORDER BY friend";
  const std::vector<std::string> rows{"'Bob'|'KNOWS'|", "'Cy'|'KNOWS'|"};
  std::vector<std::pair<std::string, std::string>> first_plan;
  for (int round = 0; round < 3; ++round) {
    CHECK(RowStrings(graph, text) == rows);
    auto profiled = kg::query::Execute(graph, "PROFILE " + text, {});
    REQUIRE(profiled.has_value());
    std::vector<std::pair<std::string, std::string>> plan;
    for (const auto& op : profiled->plan) plan.emplace_back(op.name, op.detail);
    REQUIRE_FALSE(plan.empty());
    CHECK_FALSE(plan[0].first.empty());
    if (round == 0) first_plan = plan;
    CHECK(plan == first_plan);
  }
  // Without EXPLAIN or PROFILE nobody reads the plan lines: they are not built.
  for (const std::string& q :
       {text, std::string("MATCH (a)-[r]->() RETURN a.name AS n, count(r) AS c"),
        std::string("MATCH (n:Person) WHERE n.born = 1815 RETURN n.name AS n")}) {
    auto plain = kg::query::Execute(graph, q, {});
    REQUIRE(plain.has_value());
    REQUIRE_FALSE(plain->rows.empty());
    for (const auto& op : plain->plan) {
      CHECK(op.name.empty());
      CHECK(op.detail.empty());
    }
    auto explained = kg::query::Execute(graph, "EXPLAIN " + q, {});
    REQUIRE(explained.has_value());
    REQUIRE_FALSE(explained->plan.empty());
    CHECK_FALSE(explained->plan[0].name.empty());
  }
}
