// DELETE, DETACH DELETE, SET and REMOVE, on the in-memory graph and on a real store (whose
// consistency check runs after every scenario).

#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kg/query/engine.h"
#include "kg/query/memory_graph.h"
#include "kg/query/store_graph.h"
#include "kg/store/graph_store.h"
#include "kg/store/verify.h"
#include "query_test_util.h"
#include "test_support.h"

namespace {

using kg::query::GraphAccess;
using kg::testing::CountOf;
using kg::testing::OnMemoryAndStore;
using kg::testing::QueryErrorOf;
using kg::testing::RowStrings;
using kg::testing::RunQuery;

// The graph every scenario starts from: Abe -MEMBER_OF-> NATO, Abe -VISITED-> Paris,
// Paris -IN-> France, and Reuters alone.
constexpr const char* kSeed =
    "CREATE (abe:Place {name: 'Abe', age: 67}), (nato:Organization {name: 'NATO'}), "
    "(paris:Place {name: 'Paris'}), (france:Country {name: 'France'}), "
    "(:Organization {name: 'Reuters'}), "
    "(abe)-[:MEMBER_OF {since: 2006}]->(nato), (abe)-[:VISITED]->(paris), "
    "(paris)-[:IN]->(france)";

}  // namespace

TEST_CASE("DELETE removes a relationship and leaves its nodes", "[query][write_clauses]") {
  OnMemoryAndStore(kSeed, [](GraphAccess& g) {
    auto r = RunQuery(g, "MATCH (a {name: 'Abe'})-[r:MEMBER_OF]->(b {name: 'NATO'}) DELETE r");
    CHECK(r.rels_deleted == 1);
    CHECK(r.nodes_deleted == 0);
    CHECK(CountOf(g, "MATCH ()-[r:MEMBER_OF]->() RETURN count(r)") == 0);
    CHECK(CountOf(g, "MATCH ()-[r]->() RETURN count(r)") == 2);
    CHECK(CountOf(g, "MATCH (n) RETURN count(n)") == 5);
    CHECK(RowStrings(g, "MATCH (a {name: 'Abe'}) RETURN degree(a)") ==
          std::vector<std::string>{"1|"});
  });
}

TEST_CASE("DELETE of a node that still has relationships fails and writes nothing",
          "[query][write_clauses]") {
  OnMemoryAndStore(kSeed, [](GraphAccess& g) {
    CHECK(QueryErrorOf(g, "MATCH (n {name: 'Paris'}) DELETE n") ==
          "ConstraintVerificationFailed/DeleteConnectedNode");
    // The relationship deleted before the failing node is back too.
    CHECK(QueryErrorOf(g, "MATCH (a {name: 'Abe'})-[r:VISITED]->() DELETE r "
                     "WITH a MATCH (n {name: 'Paris'}) DELETE n") ==
          "ConstraintVerificationFailed/DeleteConnectedNode");
    CHECK(CountOf(g, "MATCH (n) RETURN count(n)") == 5);
    CHECK(CountOf(g, "MATCH ()-[r]->() RETURN count(r)") == 3);
    // A node whose relationships the same clause deletes may go.
    auto r = RunQuery(g, "MATCH (a {name: 'Paris'})-[r]-() DELETE a, r");
    CHECK(r.nodes_deleted == 1);
    CHECK(r.rels_deleted == 2);
    CHECK(CountOf(g, "MATCH (n) RETURN count(n)") == 4);
  });
}

TEST_CASE("DETACH DELETE removes a node with its relationships both ways",
          "[query][write_clauses]") {
  OnMemoryAndStore(kSeed, [](GraphAccess& g) {
    auto r = RunQuery(g, "MATCH (n {name: 'Paris'}) DETACH DELETE n");
    CHECK(r.nodes_deleted == 1);
    CHECK(r.rels_deleted == 2);  // VISITED in, IN out
    CHECK(RowStrings(g, "MATCH (n {name: 'Paris'}) RETURN n").empty());
    CHECK(RowStrings(g, "MATCH (n) WHERE n.name = 'Paris' RETURN n").empty());
    CHECK(CountOf(g, "MATCH ()-[r]->() RETURN count(r)") == 1);
    CHECK(RowStrings(g, "MATCH (a {name: 'Abe'}) RETURN degree(a)") ==
          std::vector<std::string>{"1|"});
    CHECK(RowStrings(g, "MATCH (f {name: 'France'}) RETURN degree(f)") ==
          std::vector<std::string>{"0|"});
    CHECK(CountOf(g, "MATCH (f {name: 'France'})<-[r]-() RETURN count(r)") == 0);
    // A lone node goes without DETACH; a second DELETE of it is no error and counts nothing.
    r = RunQuery(g, "MATCH (n {name: 'Reuters'}) DELETE n, n WITH n MATCH (m {name: 'France'}) "
               "DETACH DELETE m");
    CHECK(r.nodes_deleted == 2);
    CHECK(CountOf(g, "MATCH (n) RETURN count(n)") == 2);
  });
}

TEST_CASE("DELETE of null deletes nothing; of a path deletes its nodes and relationships",
          "[query][write_clauses]") {
  OnMemoryAndStore(kSeed, [](GraphAccess& g) {
    auto r = RunQuery(g, "OPTIONAL MATCH (n {name: 'Nobody'}) DELETE n");
    CHECK(r.nodes_deleted == 0);
    CHECK(CountOf(g, "MATCH (n) RETURN count(n)") == 5);
    r = RunQuery(g, "MATCH p = ({name: 'Abe'})-[:VISITED]->()-[:IN]->() DETACH DELETE p");
    CHECK(r.nodes_deleted == 3);
    CHECK(r.rels_deleted == 3);  // the MEMBER_OF of Abe too
    CHECK(CountOf(g, "MATCH (n) RETURN count(n)") == 2);
    CHECK(QueryErrorOf(g, "MATCH (n) DELETE n.name") == "TypeError/InvalidArgumentType");
  });
}

TEST_CASE("reading a deleted node's properties is an error; its id and a rel's type are not",
          "[query][write_clauses]") {
  OnMemoryAndStore(kSeed, [](GraphAccess& g) {
    CHECK(QueryErrorOf(g, "MATCH (n {name: 'Reuters'}) DELETE n RETURN n.name") ==
          "EntityNotFound/DeletedEntityAccess");
    CHECK(QueryErrorOf(g, "MATCH (n {name: 'Reuters'}) DELETE n RETURN labels(n)") ==
          "EntityNotFound/DeletedEntityAccess");
    CHECK(RowStrings(g, "MATCH ()-[r:IN]->() DELETE r RETURN type(r)") ==
          std::vector<std::string>{"'IN'|"});
    CHECK(CountOf(g, "MATCH (n) RETURN count(n)") == 5);
  });
}

TEST_CASE("SET and REMOVE change properties and labels that later queries see",
          "[query][write_clauses]") {
  OnMemoryAndStore(kSeed, [](GraphAccess& g) {
    auto r = RunQuery(g, "MATCH (n {name: 'Abe'}) SET n:Person REMOVE n:Place "
                    "SET n.name = 'Shinzo Abe', n.born = 1954 REMOVE n.age");
    CHECK(r.labels_added == 1);
    CHECK(r.labels_removed == 1);
    CHECK(r.properties_set == 3);
    CHECK(RowStrings(g, "MATCH (n {name: 'Abe'}) RETURN n").empty());
    CHECK(RowStrings(g, "MATCH (n {name: 'Shinzo Abe'}) RETURN labels(n), n.born, n.age") ==
          std::vector<std::string>{"['Person']|1954|null|"});
    CHECK(RowStrings(g, "MATCH (n:Person) RETURN n.name") ==
          std::vector<std::string>{"'Shinzo Abe'|"});
    CHECK(RowStrings(g, "MATCH (n:Place) RETURN n.name") == std::vector<std::string>{"'Paris'|"});
    // The clause's own rows show the change.
    CHECK(RowStrings(g, "MATCH (n {name: 'Paris'}) SET n.pop = 2, n.double = n.pop * 2 "
                        "RETURN n.pop, n.double") == std::vector<std::string>{"2|4|"});
    // A null value removes the property.
    RunQuery(g, "MATCH (n {name: 'Paris'}) SET n.pop = null");
    CHECK(RowStrings(g, "MATCH (n {name: 'Paris'}) RETURN keys(n)") ==
          std::vector<std::string>{"['double', 'name']|"});
  });
}

TEST_CASE("SET = replaces and += merges a map on nodes and relationships",
          "[query][write_clauses]") {
  OnMemoryAndStore(kSeed, [](GraphAccess& g) {
    RunQuery(g, "MATCH (n {name: 'NATO'}) SET n += {founded: 1949, name: 'North Atlantic Treaty'}");
    CHECK(RowStrings(g, "MATCH (n:Organization {founded: 1949}) RETURN n.name") ==
          std::vector<std::string>{"'North Atlantic Treaty'|"});
    RunQuery(g, "MATCH (n {name: 'Reuters'}) SET n = {name: 'Reuters News', kind: 'agency'}");
    CHECK(RowStrings(g, "MATCH (n {kind: 'agency'}) RETURN properties(n)") ==
          std::vector<std::string>{"{kind: 'agency', name: 'Reuters News'}|"});
    RunQuery(g, "MATCH ()-[r:MEMBER_OF]->() SET r.role = 'member', r += {since: null, x: 1}");
    CHECK(RowStrings(g, "MATCH ()-[r:MEMBER_OF]->() RETURN properties(r)") ==
          std::vector<std::string>{"{role: 'member', x: 1}|"});
    RunQuery(g, "MATCH ()-[r:MEMBER_OF]->() SET r = {} REMOVE r.x");
    CHECK(RowStrings(g, "MATCH ()-[r:MEMBER_OF]->() RETURN properties(r)") ==
          std::vector<std::string>{"{}|"});
    CHECK(QueryErrorOf(g, "MATCH (n {name: 'Paris'}) SET n = 1") == "TypeError/InvalidArgumentType");
    CHECK(QueryErrorOf(g, "MATCH (n {name: 'Paris'}) SET n.m = {a: 1}") ==
          "TypeError/InvalidPropertyType");
    CHECK(QueryErrorOf(g, "MATCH ()-[r:IN]->() SET r:Label") == "TypeError/InvalidArgumentType");
  });
}

TEST_CASE("SET on a null variable does nothing and a failed SET writes nothing",
          "[query][write_clauses]") {
  OnMemoryAndStore(kSeed, [](GraphAccess& g) {
    auto r = RunQuery(g, "OPTIONAL MATCH (n {name: 'Nobody'}) SET n.x = 1, n:Thing REMOVE n.name");
    CHECK(r.properties_set == 0);
    CHECK(r.labels_added == 0);
    CHECK(QueryErrorOf(g, "MATCH (n {name: 'Paris'}) SET n.name = 'Lutetia', n:City "
                     "WITH n RETURN n.name / 2") == "TypeError/InvalidArgumentType");
    CHECK(RowStrings(g, "MATCH (n {name: 'Lutetia'}) RETURN n").empty());
    CHECK(RowStrings(g, "MATCH (n {name: 'Paris'}) RETURN labels(n)") ==
          std::vector<std::string>{"['Place']|"});
  });
}

TEST_CASE("write clauses parse and bind with clear errors", "[query][write_clauses]") {
  kg::query::MemoryGraph g;
  CHECK(QueryErrorOf(g, "MATCH (n) SET m.x = 1") == "SyntaxError/UndefinedVariable");
  CHECK(QueryErrorOf(g, "MATCH (n) DELETE m") == "SyntaxError/UndefinedVariable");
  CHECK(QueryErrorOf(g, "MATCH (n) REMOVE n") == "SyntaxError/UnexpectedSyntax");
  CHECK(QueryErrorOf(g, "MATCH (n) SET n.x") == "SyntaxError/UnexpectedSyntax");
  CHECK(QueryErrorOf(g, "MATCH (n) DELETE count(n)") == "SyntaxError/InvalidAggregation");
  CHECK(kg::query::MayWrite("MATCH (n) DETACH DELETE n"));
  CHECK(kg::query::MayWrite("MATCH (n) SET n.x = 1"));
  CHECK(kg::query::MayWrite("MATCH (n) REMOVE n:X"));
  CHECK(kg::query::MayWrite("CREATE ()"));
  CHECK_FALSE(kg::query::MayWrite("MATCH (n {name: 'DELETE SET CREATE'}) RETURN n"));
  CHECK_FALSE(kg::query::MayWrite("MATCH (n RETURN"));
}
