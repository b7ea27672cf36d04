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
