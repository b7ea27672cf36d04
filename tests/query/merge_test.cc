// MERGE with ON CREATE SET / ON MATCH SET, on the in-memory graph and on a real store (whose
// consistency check runs after every scenario).

#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include "kg/query/engine.h"
#include "kg/query/memory_graph.h"
#include "kg/query/store_graph.h"
#include "kg/store/graph_store.h"
#include "kg/store/verify.h"
#include "query_test_util.h"
#include "test_support.h"

namespace kg::query::merge_test {
namespace {

using kg::testing::CountOf;
using kg::testing::OnMemoryAndStore;
using kg::testing::QueryErrorOf;
using kg::testing::RowStrings;
using kg::testing::RunQuery;

// Abe -MEMBER_OF-> NATO, and Paris alone.
constexpr const char* kMergeSeed =
    "CREATE (abe:Person {name: 'Abe'}), (nato:Organization {name: 'NATO'}), "
    "(:Place {name: 'Paris'}), (abe)-[:MEMBER_OF]->(nato)";

TEST_CASE("MERGE of a node creates it once and then finds it", "[query][merge]") {
  OnMemoryAndStore(kMergeSeed, [](GraphAccess& g) {
    auto first = RunQuery(g, "MERGE (n:Country {name: 'France'}) RETURN n.name");
    CHECK(first.nodes_created == 1);
    REQUIRE(first.rows.size() == 1);
    CHECK(ToCypherString(first.rows[0][0]) == "'France'");
    auto second = RunQuery(g, "MERGE (n:Country {name: 'France'}) RETURN n.name");
    CHECK(second.nodes_created == 0);
    CHECK(second.rows.size() == 1);
    CHECK(CountOf(g, "MATCH (n:Country) RETURN count(n)") == 1);
    // An existing node is found by label and properties; a missing label makes a new one.
    CHECK(RunQuery(g, "MERGE (n:Person {name: 'Abe'})").nodes_created == 0);
    CHECK(RunQuery(g, "MERGE (n:Place {name: 'Abe'})").nodes_created == 1);
    CHECK(CountOf(g, "MATCH (n) RETURN count(n)") == 5);
  });
}

TEST_CASE("MERGE runs ON CREATE SET when it creates and ON MATCH SET for each match",
          "[query][merge]") {
  OnMemoryAndStore(kMergeSeed, [](GraphAccess& g) {
    const std::string q =
        "MERGE (n:Group {name: 'G7'}) ON CREATE SET n.created = true "
        "ON MATCH SET n.seen = coalesce(n.seen, 0) + 1, n:Known ON CREATE SET n.size = 7 "
        "RETURN n.created, n.seen, n.size";
    auto first = RunQuery(g, q);
    CHECK(first.nodes_created == 1);
    CHECK(first.properties_set == 2);
    CHECK(first.labels_added == 0);
    REQUIRE(first.rows.size() == 1);
    CHECK(ToCypherString(first.rows[0][0]) == "true");
    CHECK(first.rows[0][1].is_null());
    CHECK(ToCypherString(first.rows[0][2]) == "7");
    auto second = RunQuery(g, q);
    CHECK(second.nodes_created == 0);
    CHECK(second.properties_set == 1);
    CHECK(second.labels_added == 1);
    REQUIRE(second.rows.size() == 1);
    CHECK(ToCypherString(second.rows[0][1]) == "1");
    CHECK(RowStrings(g, "MATCH (n:Known) RETURN n.name, n.seen") ==
          std::vector<std::string>{"'G7'|1|"});
    // Several matches: one row each, each gets the ON MATCH items.
    CHECK(RunQuery(g, "CREATE (:Group {name: 'G20'})").nodes_created == 1);
    auto both = RunQuery(g, "MERGE (n:Group) ON MATCH SET n.hit = true RETURN n.name");
    CHECK(both.rows.size() == 2);
    CHECK(both.nodes_created == 0);
    CHECK(both.properties_set == 2);
  });
}

TEST_CASE("MERGE of a relationship between bound nodes creates it once", "[query][merge]") {
  OnMemoryAndStore(kMergeSeed, [](GraphAccess& g) {
    const std::string q =
        "MATCH (a {name: 'Abe'}), (p {name: 'Paris'}) MERGE (a)-[r:VISITED]->(p) RETURN type(r)";
    auto first = RunQuery(g, q);
    CHECK(first.rels_created == 1);
    CHECK(first.nodes_created == 0);
    CHECK(first.rows.size() == 1);
    CHECK(RunQuery(g, q).rels_created == 0);
    CHECK(CountOf(g, "MATCH ()-[r:VISITED]->() RETURN count(r)") == 1);
    // Undirected: the existing MEMBER_OF matches from either end; a new one goes left to right.
    CHECK(RunQuery(g, "MATCH (n {name: 'NATO'}), (a {name: 'Abe'}) MERGE (n)-[:MEMBER_OF]-(a)")
              .rels_created == 0);
    CHECK(RunQuery(g, "MATCH (n {name: 'NATO'}), (a {name: 'Abe'}) MERGE (n)-[:LISTS]-(a)")
              .rels_created == 1);
    CHECK(RowStrings(g, "MATCH (x)-[:LISTS]->(y) RETURN x.name, y.name") ==
          std::vector<std::string>{"'NATO'|'Abe'|"});
    // An unbound end is created with the relationship when the whole pattern does not match.
    const std::string born =
        "MATCH (a {name: 'Abe'}) MERGE (a)-[:BORN_IN]->(c:Place {name: 'Oslo'})";
    auto made = RunQuery(g, born);
    CHECK(made.nodes_created == 1);
    CHECK(made.rels_created == 1);
    CHECK(RunQuery(g, born).nodes_created == 0);
  });
}

TEST_CASE("later rows of one MERGE see what earlier rows created", "[query][merge]") {
  OnMemoryAndStore(kMergeSeed, [](GraphAccess& g) {
    auto nums = RunQuery(g, "UNWIND [1, 1, 2] AS x MERGE (n:Num {v: x}) RETURN n.v");
    CHECK(nums.nodes_created == 2);
    CHECK(nums.rows.size() == 3);
    // Through the name index (the store's own overlay of created nodes).
    auto named = RunQuery(g, "UNWIND ['X', 'X', 'Y'] AS nm MERGE (o:Organization {name: nm})");
    CHECK(named.nodes_created == 2);
    // A constant name on the far end of a path: the matcher's name lookups are not stale.
    auto far = RunQuery(g, "UNWIND [1, 2, 3] AS i MATCH (a {name: 'Abe'}) "
                           "MERGE (a)-[:KNOWS]->(b:Person {name: 'Zed'})");
    CHECK(far.nodes_created == 1);
    CHECK(far.rels_created == 1);
    CHECK(CountOf(g, "MATCH (n) RETURN count(n)") == 3 + 2 + 2 + 1);
  });
}

TEST_CASE("a failed MERGE query writes nothing", "[query][merge]") {
  OnMemoryAndStore(kMergeSeed, [](GraphAccess& g) {
    CHECK(QueryErrorOf(g, "MERGE (n:Temp {v: 'a'}) ON CREATE SET n.w = 1 "
                          "WITH n RETURN n.v / 2") == "TypeError/InvalidArgumentType");
    CHECK(QueryErrorOf(g, "UNWIND [1, null] AS x MERGE (n:Temp {v: x})") ==
          "SemanticError/MergeReadOwnWrites");
    CHECK(CountOf(g, "MATCH (n:Temp) RETURN count(n)") == 0);
    CHECK(CountOf(g, "MATCH (n) RETURN count(n)") == 3);
  });
}

TEST_CASE("MERGE parses and binds with clear errors", "[query][merge]") {
  MemoryGraph g;
  CHECK(QueryErrorOf(g, "MERGE (a)-[:A|B]->(b)") == "SyntaxError/NoSingleRelationshipType");
  CHECK(QueryErrorOf(g, "MERGE (a)-[]->(b)") == "SyntaxError/NoSingleRelationshipType");
  CHECK(QueryErrorOf(g, "MERGE (a)-[:T*]->(b)") == "SyntaxError/CreatingVarLength");
  CHECK(QueryErrorOf(g, "MATCH (a) MERGE (a)") == "SyntaxError/VariableAlreadyBound");
  CHECK(QueryErrorOf(g, "MATCH ()-[r]->() MERGE (a)-[r:T]->(b)") ==
        "SyntaxError/VariableAlreadyBound");
  CHECK(QueryErrorOf(g, "MERGE (a) ON CREATE SET b.x = 1") == "SyntaxError/UndefinedVariable");
  CHECK(QueryErrorOf(g, "MERGE (a) ON DELETE SET a.x = 1") == "SyntaxError/UnexpectedSyntax");
  CHECK(QueryErrorOf(g, "MERGE (a), (b)") == "SyntaxError/UnexpectedSyntax");
  CHECK(MayWrite("MERGE (n)"));
  CHECK(MayWrite("UNWIND [1] AS x MERGE (n {v: x}) RETURN n"));
  auto explained = RunQuery(g, "EXPLAIN MERGE (n:Num {v: 1}) RETURN n");
  REQUIRE_FALSE(explained.plan.empty());
  CHECK(explained.plan[0].name.rfind("Merge (n:Num {..})", 0) == 0);
  CHECK(explained.nodes_created == 0);
  CHECK(CountOf(g, "MATCH (n) RETURN count(n)") == 0);
}

}  // namespace
}  // namespace kg::query::merge_test
