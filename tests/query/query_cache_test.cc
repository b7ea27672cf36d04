// QueryCache (engine.h): a text run through a cache gives the rows a fresh parse gives, whatever
// the parameters, the data and the threads; the cache keeps at most its capacity, dropping the
// least recently used text first.
#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "kg/query/engine.h"
#include "kg/query/memory_graph.h"
#include "query_test_util.h"

namespace {

kg::query::QueryOptions WithCache(kg::query::QueryCache& cache) {
  kg::query::QueryOptions options;
  options.cache = &cache;
  return options;
}

// A small graph: three people, two of them KNOWS the third. No Catch macro (threads call it).
bool AddPeople(kg::query::GraphAccess& graph) {
  return kg::query::Execute(graph,
                            "CREATE (a:Person {name: 'Ada', age: 36}), (b:Person {name: 'Bob', "
                            "age: 41}), (c:Person {name: 'Cy', age: 29}), (a)-[:KNOWS]->(c), "
                            "(b)-[:KNOWS]->(c)",
                            {})
      .has_value();
}

}  // namespace

TEST_CASE("a cached query gives the rows of an uncached one, with new parameters each run",
          "[query][cache]") {
  kg::query::MemoryGraph graph;
  REQUIRE(AddPeople(graph));
  kg::query::QueryCache cache(8), off(0);
  const std::string text =
      "MATCH (p:Person)-[:KNOWS]->(q {name: $who}) WHERE p.age > $min "
      "RETURN p.name AS name, q.name AS knows ORDER BY name";
  for (int round = 0; round < 3; ++round) {
    for (int64_t min : {0, 37, 50}) {
      kg::query::Map params{{"who", kg::query::Value("Cy")}, {"min", kg::query::Value(min)}};
      auto cached = kg::testing::RowStrings(graph, text, params, WithCache(cache));
      auto fresh = kg::testing::RowStrings(graph, text, params, WithCache(off));
      CHECK(cached == fresh);
      CHECK(cached.size() == (min == 0 ? 2u : min == 37 ? 1u : 0u));
    }
  }
  auto stats = cache.stats();
  CHECK(stats.misses == 1);  // parsed once, then reused eight times
  CHECK(stats.hits == 8);
  CHECK(stats.entries == 1);
  CHECK(off.stats().entries == 0);
  CHECK(off.stats().misses == 9);
}

TEST_CASE("a cached query sees what a CREATE wrote since its last run", "[query][cache]") {
  kg::query::MemoryGraph graph;
  REQUIRE(AddPeople(graph));
  kg::query::QueryCache cache(4);
  const std::string count =
      "MATCH (p:Person) OPTIONAL MATCH (p)-[:KNOWS]->(q) RETURN count(DISTINCT p) AS people, "
      "count(q) AS knows";
  CHECK(kg::testing::RowStrings(graph, count, {}, WithCache(cache)) ==
        std::vector<std::string>{"3|2|"});
  kg::testing::RowStrings(graph,
                          "MATCH (c {name: 'Cy'}) CREATE (c)-[:KNOWS]->(:Person {name: 'Di'})",
                          {}, WithCache(cache));
  CHECK(kg::testing::RowStrings(graph, count, {}, WithCache(cache)) ==
        std::vector<std::string>{"4|3|"});
  CHECK(cache.stats().hits == 1);
}

TEST_CASE("the cache keeps its capacity, least recently used out first", "[query][cache]") {
  kg::query::MemoryGraph graph;
  kg::query::QueryCache cache(3);
  auto run = [&](int i) {
    return kg::testing::RowStrings(graph, "RETURN " + std::to_string(i) + " AS x", {},
                                   WithCache(cache));
  };
  for (int i = 0; i < 3; ++i) run(i);
  run(0);  // 0 is now the most recent; 1 the least
  run(3);  // drops 1
  CHECK(cache.stats().entries == 3);
  auto before = cache.stats();
  run(0);
  run(2);
  run(3);
  CHECK(cache.stats().hits == before.hits + 3);
  run(1);
  CHECK(cache.stats().misses == before.misses + 1);
  cache.set_capacity(1);
  CHECK(cache.stats().entries == 1);
  CHECK(run(1) == std::vector<std::string>{"1|"});  // the one kept
  CHECK(cache.stats().hits == before.hits + 4);
  cache.set_capacity(0);
  CHECK(cache.stats().entries == 0);
  CHECK(run(1) == std::vector<std::string>{"1|"});
  CHECK(cache.stats().entries == 0);
  // Texts that fail to parse or bind are not kept, and fail every time.
  cache.set_capacity(4);
  for (int round = 0; round < 2; ++round) {
    auto bad = kg::query::Execute(graph, "RETURN y AS x", {}, WithCache(cache));
    REQUIRE_FALSE(bad.has_value());
    CHECK(kg::query::ErrorType(bad.error()) == "SyntaxError");
  }
  CHECK(cache.stats().entries == 0);
}

TEST_CASE("threads sharing one cache each get their own rows", "[query][cache]") {
  // Two texts through a cache of one: the threads share parsed trees and also evict each
  // other's, so both paths (a shared tree, a fresh parse) run concurrently.
  kg::query::QueryCache cache(1);
  const std::vector<std::string> texts = {
      "UNWIND range($x, $x + 3) AS v WITH v WHERE v % 2 = 0 RETURN sum(v) AS s, count(*) AS n",
      "MATCH (p:Person) RETURN sum(p.age) + $x AS s, count(*) AS n"};
  std::vector<int> ok(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &ok, &cache, &texts] {
      kg::query::MemoryGraph graph;  // one graph per thread: MemoryGraph is not thread-safe
      if (!AddPeople(graph)) return;
      for (int i = 0; i < 300; ++i) {
        int64_t x = t * 1000 + i;
        size_t which = static_cast<size_t>(i + t) % 2;
        kg::query::Map params{{"x", kg::query::Value(x)}};
        auto result = kg::query::Execute(graph, texts[which], params, WithCache(cache));
        int64_t want = which == 0 ? (x % 2 == 0 ? 2 * x + 2 : 2 * x + 4) : 106 + x;
        int64_t want_n = which == 0 ? 2 : 3;
        if (result && result->rows.size() == 1 && result->rows[0][0].as_int() == want &&
            result->rows[0][1].as_int() == want_n) {
          ++ok[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(ok == std::vector<int>(4, 300));
  auto stats = cache.stats();
  CHECK(stats.hits + stats.misses == 4 * 300);
  CHECK(stats.entries == 1);
}
