// The store-backed fast paths of the executor (relationship aggregation from one edge scan,
// seeks to known targets, batched node reads) must give what the row-by-row path gives. Each
// query is run as written and in a form the fast paths do not recognise (a WHERE true).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "kg/query/engine.h"
#include "kg/query/store_graph.h"
#include "kg/store/csv_import.h"
#include "kg/store/graph_store.h"
#include "../store/store_test_util.h"
#include "query_test_util.h"
#include "test_support.h"

namespace {

using kg::testing::TempDir;
using kg::testing::WriteFile;

std::vector<std::string> Rows(kg::store::GraphStore& store, const std::string& query,
                              bool sort_rows) {
  kg::query::StoreGraph graph(store);
  std::vector<std::string> rows = kg::testing::RowStrings(graph, query);
  if (sort_rows) std::sort(rows.begin(), rows.end());
  return rows;
}

// The plan PROFILE (ran the query) or EXPLAIN (did not) prints.
std::string Plan(kg::store::GraphStore& store, const std::string& query,
                 const std::string& mode = "PROFILE ") {
  kg::query::StoreGraph graph(store);
  auto result = kg::query::Execute(graph, mode + query, {});
  REQUIRE(result.has_value());
  return kg::query::FormatPlan(*result);
}

}  // namespace

TEST_CASE("store fast paths answer like the row-by-row executor", "[query][store]") {
  TempDir dir;
  WriteFile(dir.path() / "nodes.csv",
            "id,name,type\n0,Russia,Country\n1,G-7,Group\n2,Olaf Brandt,Person\n"
            "3,Germany,Country\n4,Japan,Country\n5,Lonely,Place\n6,Germany2,Country\n");
  WriteFile(dir.path() / "edges.csv",
            "src,dst,type,polarity,weight,doc_id\n"
            "3,1,MEMBER_OF,0,1.0,d1\n4,1,MEMBER_OF,0,0.9,d1\n2,3,LEADER_OF,0,0.75,d2\n"
            "2,4,MEETS,0,0.5,d2\n3,0,CRITICIZES,-1,0.5,d3\n3,0,CRITICIZES,-1,0.25,d4\n"
            "3,0,OPPOSES,-1,0.25,d4\n4,0,SUPPORTS,1,0.125,d5\n1,0,CRITICIZES,-1,0.3,d5\n"
            "4,3,MEETS,0,0.2,d6\n3,4,MEETS,0,0.2,d6\n6,0,CRITICIZES,-1,0.5,d7\n");
  auto imported = kg::testing::ImportedStore(dir.path());
  auto& store = *imported;

  struct Case {
    std::string fast, slow;
    bool ordered;
  };
  std::vector<Case> cases = {
      {"MATCH (a)-[r]-() RETURN a.name AS name, sum(size(evidence(r))) AS deg, count(r) AS n",
       "MATCH (a)-[r]-() WHERE true RETURN a.name AS name, sum(size(evidence(r))) AS deg, "
       "count(r) AS n",
       false},
      {"MATCH (a)-[r]-() WITH a, sum(size(evidence(r))) AS deg ORDER BY deg DESC, a.name "
       "LIMIT 2 RETURN a.name AS name, deg",
       "MATCH (a)-[r]-() WHERE true WITH a, sum(size(evidence(r))) AS deg ORDER BY deg DESC, "
       "a.name LIMIT 2 RETURN a.name AS name, deg",
       true},
      {"MATCH (a:Country)-[r:CRITICIZES|MEETS]->() RETURN a, count(*) AS n ORDER BY n, a.name "
       "SKIP 1 LIMIT 2",
       "MATCH (a:Country)-[r:CRITICIZES|MEETS]->() WHERE true RETURN a, count(*) AS n ORDER BY "
       "n, a.name SKIP 1 LIMIT 2",
       true},
      {"MATCH (a)<-[r]-() RETURN labels(a)[0] AS label, count(r) AS n",
       "MATCH (a)<-[r]-() WHERE true RETURN labels(a)[0] AS label, count(r) AS n", false},
      {"MATCH (m)-[:MEMBER_OF]->({name: 'G-7'}) OPTIONAL MATCH (m)-[s:OPPOSES|CRITICIZES]->"
       "({name: 'Russia'}) RETURN m.name, type(s), size(evidence(s))",
       "MATCH (m)-[:MEMBER_OF]->(g) WHERE g.name = 'G-7' OPTIONAL MATCH (m)-[s]->(x) WHERE "
       "x.name = 'Russia' AND type(s) IN ['OPPOSES', 'CRITICIZES'] RETURN m.name, type(s), "
       "size(evidence(s))",
       false},
      {"MATCH (a)-[r]-({name: 'Germany'}) RETURN a.name, type(r)",
       "MATCH (a)-[r]-(b) WHERE b.name = 'Germany' RETURN a.name, type(r)", false},
      {"MATCH (a {name: 'Germany'})-->(b) RETURN DISTINCT b.name",
       "MATCH (a)-->(b) WHERE a.name = 'Germany' RETURN DISTINCT b.name", false},
      // Paths used only through nodes(p) / length(p) keep adjacency refs instead of reading
      // relationship records; `p IS NOT NULL` mentions p itself, which forces full records.
      {"MATCH p = (a {name: 'Olaf Brandt'})-[*1..3]->(b {name: 'Russia'}) "
       "WITH DISTINCT nodes(p) AS ns RETURN size(ns) - 1 AS hops, count(*) AS paths",
       "MATCH p = (a {name: 'Olaf Brandt'})-[*1..3]->(b {name: 'Russia'}) WHERE p IS NOT NULL "
       "WITH DISTINCT nodes(p) AS ns RETURN size(ns) - 1 AS hops, count(*) AS paths",
       false},
      // Undirected, four hops, meeting in the middle: adjacency refs against full records.
      {"MATCH p = (a {name: 'Olaf Brandt'})-[*1..4]-(b {name: 'Russia'}) "
       "WITH DISTINCT nodes(p) AS ns RETURN size(ns) - 1 AS hops, count(*) AS paths",
       "MATCH p = (a {name: 'Olaf Brandt'})-[*1..4]-(b {name: 'Russia'}) WHERE p IS NOT NULL "
       "WITH DISTINCT nodes(p) AS ns RETURN size(ns) - 1 AS hops, count(*) AS paths",
       false},
      // A property map that reads the row is evaluated for each row (constant maps once).
      {"MATCH (a:Country) MATCH (b:Country {name: a.name}) RETURN a.name, b.name",
       "MATCH (a:Country) MATCH (b:Country) WHERE b.name = a.name RETURN a.name, b.name",
       false},
      {"MATCH p = (a {name: 'Olaf Brandt'})-[*..2]-(b) RETURN length(p), "
       "[n IN nodes(p) | n.name]",
       "MATCH p = (a {name: 'Olaf Brandt'})-[*..2]-(b) WHERE p IS NOT NULL RETURN length(p), "
       "[n IN nodes(p) | n.name]",
       false},
      // A path with a known end: walks are collected, their nodes read in one batch, then
      // replayed with their relationships marked used (r must differ from every walk's).
      {"MATCH p = (a {name: 'Olaf Brandt'})-[*1..3]-(b {name: 'Russia'}), (b)-[r]-(x) "
       "RETURN length(p) AS n, x.name AS x, type(r) AS t, count(*) AS c",
       "MATCH (a {name: 'Olaf Brandt'})-[rs*1..3]-(b {name: 'Russia'}), (b)-[r]-(x) "
       "RETURN size(rs) AS n, x.name AS x, type(r) AS t, count(*) AS c",
       false},
      // UNWIND evidence(s) AS ev with ev read only as ev.key / count(ev): maps hold those keys
      // only. The list comprehension hides evidence() from that analysis (whole maps).
      {"MATCH (m)-[:MEMBER_OF]->({name: 'G-7'}) OPTIONAL MATCH (m)-[s:OPPOSES|SUPPORTS|"
       "CRITICIZES]->({name: 'Russia'}) UNWIND CASE WHEN s IS NULL THEN [null] ELSE "
       "evidence(s) END AS ev RETURN m.name AS member, type(s) AS rel, count(ev) AS n, "
       "avg(ev.polarity) AS p, sum(ev.weight) AS w, collect(ev.doc_id) AS docs, "
       "count(ev.nothing) AS none ORDER BY member, rel",
       "MATCH (m)-[:MEMBER_OF]->({name: 'G-7'}) OPTIONAL MATCH (m)-[s:OPPOSES|SUPPORTS|"
       "CRITICIZES]->({name: 'Russia'}) UNWIND CASE WHEN s IS NULL THEN [null] ELSE "
       "[e IN evidence(s) | e] END AS ev RETURN m.name AS member, type(s) AS rel, "
       "count(ev) AS n, avg(ev.polarity) AS p, sum(ev.weight) AS w, "
       "collect(ev.doc_id) AS docs, count(ev.nothing) AS none ORDER BY member, rel",
       true},
      // A bare use of ev later on (keys(ev) after a WITH) keeps whole maps.
      {"MATCH ({name: 'Germany'})-[s:CRITICIZES]->({name: 'Russia'}) UNWIND evidence(s) AS ev "
       "WITH ev.weight AS w, ev WHERE ev IS NOT NULL RETURN w, keys(ev) AS k",
       "MATCH ({name: 'Germany'})-[s:CRITICIZES]->({name: 'Russia'}) UNWIND "
       "[e IN evidence(s) | e] AS ev WITH ev.weight AS w, ev WHERE ev IS NOT NULL "
       "RETURN w, keys(ev) AS k",
       false},
  };
  for (const auto& c : cases) {
    auto fast = Rows(store, c.fast, !c.ordered);
    auto slow = Rows(store, c.slow, !c.ordered);
    INFO(c.fast);
    CHECK(!slow.empty());
    CHECK(fast == slow);
  }
  // The aggregation really took the fast path, and the answer is the expected one.
  CHECK(Plan(store, cases[1].fast).find("RelAggregate") != std::string::npos);
  CHECK(Plan(store, cases[1].slow).find("RelAggregate") == std::string::npos);
  // EXPLAIN names the operator the run uses (it used to print the row-by-row MATCH), with the
  // same columns and no rows.
  CHECK(Plan(store, cases[1].fast, "EXPLAIN ").find("RelAggregate") != std::string::npos);
  CHECK(Plan(store, cases[1].slow, "EXPLAIN ").find("RelAggregate") == std::string::npos);
  {
    kg::query::StoreGraph graph(store);
    auto explained = kg::query::Execute(graph, "EXPLAIN " + cases[1].fast, {});
    auto ran = kg::query::Execute(graph, cases[1].fast, {});
    REQUIRE(explained.has_value());
    REQUIRE(ran.has_value());
    CHECK(explained->columns == ran->columns);
    CHECK(explained->rows.empty());
  }
  CHECK(Rows(store, cases[1].fast, false) ==
        std::vector<std::string>{"'Germany'|7|", "'Russia'|6|"});
  CHECK(Rows(store, cases[7].fast, true) == std::vector<std::string>{"2|2|", "3|4|"});
  auto keys = Rows(store, cases[13].fast, false);
  REQUIRE(keys.size() == 2);
  CHECK(keys[0].find("'sentence'") != std::string::npos);
  CHECK(keys[0].find("'polarity'") != std::string::npos);
}

TEST_CASE("a path whose relationships are looked at still has their full records",
          "[query][store]") {
  TempDir dir;
  auto opened = kg::store::GraphStore::Open((dir.path() / "kg.db").string());
  REQUIRE(opened.has_value());
  auto& store = **opened;
  Rows(store,
       "CREATE (:Person {name: 'A'})-[:KNOWS {since: 1999}]->(:Person {name: 'B'})"
       "-[:KNOWS {since: 2004}]->(:Person {name: 'C'})",
       false);
  // Every mention other than nodes(p) / length(p), in the MATCH or any later clause.
  CHECK(Rows(store,
             "MATCH p = ({name: 'A'})-[*2]->() RETURN [r IN relationships(p) | r.since] AS s",
             false) == std::vector<std::string>{"[1999, 2004]|"});
  CHECK(Rows(store, "MATCH p = ({name: 'A'})-[*2]->() WITH p RETURN p", false) ==
        std::vector<std::string>{"<(:Person {name: 'A'})-[:KNOWS {since: 1999}]->"
                                 "(:Person {name: 'B'})-[:KNOWS {since: 2004}]->"
                                 "(:Person {name: 'C'})>|"});
  CHECK(Rows(store,
             "MATCH p = ({name: 'A'})-[*2]->() WITH nodes(p) AS ns, p "
             "RETURN size(ns) AS n, relationships(p)[1].since AS s",
             false) == std::vector<std::string>{"3|2004|"});
  CHECK(Rows(store, "MATCH p = ({name: 'A'})-[*1..2]->({name: 'C'}) RETURN p", false) ==
        std::vector<std::string>{"<(:Person {name: 'A'})-[:KNOWS {since: 1999}]->"
                                 "(:Person {name: 'B'})-[:KNOWS {since: 2004}]->"
                                 "(:Person {name: 'C'})>|"});
  CHECK(Rows(store, "MATCH p = ({name: 'A'})-[*2]->() WITH length(p) AS n RETURN *", false) ==
        std::vector<std::string>{"2|"});
  CHECK(Rows(store,
             "MATCH p = ({name: 'A'})-[*2]->() WITH [x IN nodes(p) | x.name] AS names "
             "RETURN names",
             false) == std::vector<std::string>{"['A', 'B', 'C']|"});
}

TEST_CASE("grouping relationship ends by node properties reads only those properties",
          "[query][store]") {
  TempDir dir;
  auto opened = kg::store::GraphStore::Open((dir.path() / "kg.db").string());
  REQUIRE(opened.has_value());
  auto& store = **opened;
  // 120 nodes (a dense run: read by one scan), names repeated across nodes, missing, of other
  // types (1 and 1.0 group together), lists; then a few far-apart ids made later.
  Rows(store,
       "UNWIND range(0, 119) AS i CREATE (n:N {i: i, kind: i % 3, name: CASE i % 8 "
       "WHEN 0 THEN 'same' WHEN 1 THEN 'same' WHEN 2 THEN 1 WHEN 3 THEN 1.0 "
       "WHEN 4 THEN [i % 2, 'x'] WHEN 5 THEN null ELSE 'n' + toString(i) END})",
       false);
  Rows(store,
       "MATCH (a:N), (b:N) WHERE b.i = (a.i * 7 + 3) % 120 OR b.i = (a.i * a.i) % 120 "
       "CREATE (a)-[:R {w: a.i}]->(b)",
       false);
  Rows(store, "CREATE (:M {name: 'same', kind: 0})-[:S]->(:M {name: 'far'})", false);
  const std::vector<std::string> fast = {
      "MATCH (a)-[r]-() RETURN a.name AS name, count(r) AS n ORDER BY n DESC, name LIMIT 5",
      "MATCH (a)-[r]->() RETURN a.name AS name, sum(size(evidence(r))) AS deg",
      "MATCH (a)<-[r:R]-() RETURN a.kind AS k, a.name IS NULL AS unnamed, count(*) AS n",
      "MATCH (a:N)-[r]-() RETURN toString(a.kind) + ':' + toString(a.i % 2) AS k, "
      "count(r) AS n",
      "MATCH (a)-[r]-() WITH a.name AS name, count(r) AS n WHERE n > 2 RETURN name, n",
      "MATCH (a)-[r]-() RETURN a.nothing AS x, count(r) AS n",
  };
  for (const auto& q : fast) {
    INFO(q);
    std::string slow = q;
    slow.insert(slow.find(" RETURN") < slow.find(" WITH") ? slow.find(" RETURN")
                                                           : slow.find(" WITH"),
                " WHERE true");
    bool ordered = q.find("ORDER BY") != std::string::npos;
    auto rows = Rows(store, q, !ordered);
    CHECK(!rows.empty());
    CHECK(rows == Rows(store, slow, !ordered));
    CHECK(Plan(store, q).find("properties of a only") != std::string::npos);
  }
  // Grouped by the node: whole nodes.
  CHECK(Plan(store, "MATCH (a)-[r]-() RETURN a, a.name, count(r) AS n")
            .find("properties of a only") == std::string::npos);
  // 'same' gathers nodes 0 and 1 of every eight and the :M node; 1 and 1.0 are one group.
  auto names = Rows(store, "MATCH (a)-[r]-() RETURN a.name AS name, count(r) AS n", true);
  CHECK(std::count_if(names.begin(), names.end(),
                      [](const std::string& r) { return r.starts_with("'same'|"); }) == 1);
  CHECK(std::count_if(names.begin(), names.end(), [](const std::string& r) {
          return r.starts_with("1|") || r.starts_with("1.0|");
        }) == 1);
}

TEST_CASE("nodes reached by an expansion and read only through properties answer as whole ones",
          "[query][store]") {
  TempDir dir;
  auto opened = kg::store::GraphStore::Open((dir.path() / "kg.db").string());
  REQUIRE(opened.has_value());
  auto& store = **opened;
  Rows(store,
       "CREATE (g:Group {name: 'G-7', founded: 1975}), (r:Country {name: 'Russia'}), "
       "(de:Country {name: 'Germany', code: 'DE'}), (jp:Country {name: 'Japan', code: 1}), "
       "(x:Place {code: 1.0}), (de)-[:MEMBER_OF]->(g), (jp)-[:MEMBER_OF]->(g), "
       "(de)-[:CRITICIZES]->(r), (de)-[:MEETS]->(jp), (jp)-[:MEETS]->(de), (jp)-[:MEETS]->(x), "
       "(de)-[:MEETS]->(x)",
       false);
  // Each query as written (the expansion's target read for the keys named only) and with a
  // `WITH *` that passes the variable on whole (whole records).
  const std::vector<std::string> queries = {
      "MATCH (a {name: 'Germany'})-->(b) RETURN DISTINCT id(b) AS id, b.name AS name",
      "MATCH (a:Country) OPTIONAL MATCH (a)-[:MEETS]->(b) RETURN a.name, b.name, b.code, "
      "b IS NULL AS none, count(b) AS n",
      "MATCH (a)-[:MEETS]->(b) WHERE b.code = 1 RETURN a.name AS a, id(b) AS b",
      "MATCH (a)-[:MEETS]-(b) RETURN b.code AS code, count(*) AS n",
      "MATCH (a)-[:MEMBER_OF]->(g)<-[:MEMBER_OF]-(b) RETURN a.name, g.founded, b.name",
      "MATCH (a)-[:MEETS]->(b) WITH b.code AS code, a RETURN code, a.name",
  };
  for (const auto& q : queries) {
    INFO(q);
    std::string whole = q;
    whole.insert(whole.find(" RETURN") < whole.find(" WITH") ? whole.find(" RETURN")
                                                            : whole.find(" WITH"),
                 " WITH *");
    auto rows = Rows(store, q, true);
    CHECK(!rows.empty());
    CHECK(rows == Rows(store, whole, true));
    CHECK(Plan(store, q).find("reading only properties") != std::string::npos);
    CHECK(Plan(store, whole).find("reading only properties") == std::string::npos);
  }
  CHECK(Plan(store, queries[0]).find("reading only properties {name} of b") != std::string::npos);
  // Any whole use keeps whole records: returned, labels(), keys(), a path, a later pattern.
  for (const std::string q : {"MATCH (a {name: 'Germany'})-->(b) RETURN b",
                              "MATCH (a {name: 'Germany'})-->(b) RETURN labels(b), b.name",
                              "MATCH (a {name: 'Germany'})-->(b) RETURN keys(b)",
                              "MATCH p = (a {name: 'Germany'})-->(b) RETURN b.name, p",
                              "MATCH (a {name: 'Germany'})-->(b) MATCH (b)-->(c) RETURN b.name",
                              "MATCH (a {name: 'Germany'})-->(b:Country) RETURN b.name",
                              "MATCH (a {name: 'Germany'})-[*1..2]->(b) RETURN b.name"}) {
    INFO(q);
    CHECK(Plan(store, q).find("} of b") == std::string::npos);
  }
  // c is never read: the expansion only checks that it exists.
  CHECK(Plan(store, "MATCH (a {name: 'Germany'})-->(b) MATCH (b)-->(c) RETURN b.name")
            .find("reading only properties {} of c") != std::string::npos);
  CHECK(Rows(store, "MATCH (a {name: 'Germany'})-[:CRITICIZES]->(b) RETURN b", false) ==
        std::vector<std::string>{"(:Country {name: 'Russia'})|"});
}

namespace {

// A graph with self-loops, both directions, ties and labels, imported (bulk) into `dir`/name.
std::unique_ptr<kg::store::GraphStore> MentionStore(const TempDir& dir, const std::string& name) {
  WriteFile(dir.path() / "m_nodes.csv",
            "id,name,type\n0,A,Country\n1,B,Country\n2,C,Person\n3,D,Person\n4,E,Country\n"
            "5,Lonely,Place\n");
  WriteFile(dir.path() / "m_edges.csv",
            "src,dst,type,polarity,weight,doc_id\n"
            "0,1,MEETS,0,1,d1\n0,1,MEETS,0,1,d2\n0,0,MEETS,0,1,d3\n0,0,MEETS,0,1,d4\n"
            "0,0,PRAISES,0,1,d4\n2,0,LEADS,0,1,d5\n1,0,MEETS,0,1,d6\n3,1,LEADS,0,1,d7\n"
            "3,3,MEETS,0,1,d8\n4,2,MEETS,0,1,d9\n4,2,MEETS,0,1,d10\n2,4,MEETS,0,1,d11\n");
  return kg::testing::ImportedStore(dir.path(), "m_nodes.csv", "m_edges.csv", name);
}

// Each query as written (the counters when no type is given) and with a WHERE true (row by row).
void RequireCountersAnswerLikeRows(kg::store::GraphStore& store,
                                   const std::vector<std::pair<std::string, bool>>& queries) {
  for (const auto& [query, ordered] : queries) {
    std::string slow = query;
    slow.insert(slow.find("() ") + 2, " WHERE true");
    INFO(query);
    auto fast = Rows(store, query, !ordered);
    CHECK(!fast.empty());
    CHECK(fast == Rows(store, slow, !ordered));
  }
}

const std::vector<std::pair<std::string, bool>> kMentionQueries = {
    {"MATCH (a)-[r]-() RETURN a.name AS name, sum(size(evidence(r))) AS deg, count(r) AS n",
     false},
    {"MATCH (a)-[r]->() RETURN a, count(r) AS n, sum(size(evidence(r))) AS deg", false},
    {"MATCH (a)<-[r]-() RETURN a.name AS name, count(*) AS n, sum(size(evidence(r))) AS deg",
     false},
    // Ties at the LIMIT boundary: B and E have 3 evidence records undirected, C has 4.
    {"MATCH (a)-[r]-() WITH a, sum(size(evidence(r))) AS deg ORDER BY deg DESC, a.name "
     "LIMIT 3 RETURN a.name AS name, deg",
     true},
    {"MATCH (a)-[r]-() WITH a, count(r) AS n ORDER BY n DESC, a.name SKIP 1 LIMIT 2 "
     "RETURN a.name AS name, n",
     true},
    {"MATCH (a:Country)-[r]-() RETURN a.name AS name, sum(size(evidence(r))) AS deg "
     "ORDER BY deg DESC, name LIMIT 2",
     true},
    {"MATCH (a:Person)<-[r]-() RETURN labels(a)[0] AS label, count(r) AS n", false},
};

}  // namespace

TEST_CASE("degree aggregates read from the mention counters answer like the row-by-row executor",
          "[query][store][mentions]") {
  TempDir dir;
  auto store = MentionStore(dir, "kg.db");
  RequireCountersAnswerLikeRows(*store, kMentionQueries);
  // A: A-B (2 records), the MEETS and PRAISES self-loops (2 and 1, each counted once), C-A, B-A.
  CHECK(Rows(*store, kMentionQueries[0].first, true).front() == "'A'|7|5|");
  auto plan = Plan(*store, kMentionQueries[3].first);
  CHECK(plan.find("mention counters") != std::string::npos);
  // A type filter is not in the counters: the relationships are scanned.
  auto typed = Plan(*store, "MATCH (a)-[r:MEETS]-() RETURN a, count(r) AS n");
  CHECK(typed.find("one scan of the relationships") != std::string::npos);
}

TEST_CASE("degree aggregates after a CREATE in the same query see the created relationships",
          "[query][store][mentions]") {
  TempDir dir;
  auto fast_store = MentionStore(dir, "fast.db");
  auto slow_store = MentionStore(dir, "slow.db");
  std::string create =
      "CREATE (:Country {name: 'New'})-[:MEETS]->(:Country {name: 'Newer'}) "
      "RETURN 'created' AS name, 0 AS deg UNION ALL ";
  std::string fast = create + "MATCH (a)-[r]-() RETURN a.name AS name, count(r) AS deg";
  std::string slow = create + "MATCH (a)-[r]-() WHERE true RETURN a.name AS name, count(r) AS deg";
  auto fast_rows = Rows(*fast_store, fast, true);
  CHECK(fast_rows == Rows(*slow_store, slow, true));
  CHECK(std::find(fast_rows.begin(), fast_rows.end(), "'Newer'|1|") != fast_rows.end());
  // Committed, the new relationship is in the counters too.
  RequireCountersAnswerLikeRows(*fast_store, kMentionQueries);
}

TEST_CASE("a schema-1 store opened read-only answers degree aggregates by scanning",
          "[query][store][mentions]") {
  TempDir dir;
  { auto store = MentionStore(dir, "old.db"); }
  kg::testing::DowngradeToSchema1(dir.path() / "old.db");
  kg::store::OpenOptions read_only;
  read_only.mode = kg::store::OpenMode::kReadOnly;
  auto old = kg::store::GraphStore::Open((dir.path() / "old.db").string(), read_only);
  REQUIRE(old.has_value());
  auto fresh = MentionStore(dir, "new.db");
  for (const auto& [query, ordered] : kMentionQueries) {
    INFO(query);
    CHECK(Rows(**old, query, !ordered) == Rows(*fresh, query, !ordered));
  }
  CHECK(Plan(**old, kMentionQueries[0].first).find("one scan of the relationships") !=
        std::string::npos);
}

TEST_CASE("degree by name from the mention counters sums the nodes that share a name",
          "[query][store][mentions]") {
  TempDir dir;
  auto store = MentionStore(dir, "dup.db");
  {
    // Committed before the queries below, so they read the counters (not the overlay): a second
    // "B" (1 relationship), two new nodes both named "Cx" and a self-loop on one of them.
    kg::query::StoreGraph graph(*store);
    kg::testing::RowStrings(graph,
                            "MATCH (e {name: 'E'}) CREATE (e)-[:MEETS]->(:Country {name: 'B'}), "
                            "(x:Person {name: 'Cx'})-[:MEETS]->(:Place {name: 'Cx'}), "
                            "(x)-[:LEADS]->(x)");
  }
  const std::vector<std::pair<std::string, bool>> queries = {
      {"MATCH (a)-[r]-() RETURN a.name AS name, sum(size(evidence(r))) AS deg "
       "ORDER BY deg DESC, name LIMIT 3",
       true},
      {"MATCH (a)-[r]-() RETURN a.name AS name, count(r) AS n ORDER BY n DESC, name",
       true},
      {"MATCH (a)-[r]-() RETURN a.name AS name, count(r) AS n, sum(size(evidence(r))) AS deg "
       "ORDER BY n, toLower(name) DESC SKIP 1 LIMIT 4",
       true},
      {"MATCH (a)-[r]->() RETURN a.name AS name, count(*) AS n ORDER BY name", true},
  };
  RequireCountersAnswerLikeRows(*store, queries);
  // B: A-B (2), B-A (1), D-B (1) and the new E-B (1, no evidence counted twice); Cx: the two
  // new nodes' MEETS seen from both ends and the self-loop once.
  auto rows = Rows(*store, queries[1].first, false);
  CHECK(std::find(rows.begin(), rows.end(), "'Cx'|3|") != rows.end());
  CHECK(std::find(rows.begin(), rows.end(), "'B'|4|") != rows.end());
}

TEST_CASE("relationships of any type to a known node are sought per type from a hub",
          "[query][store]") {
  // The hub has far more relationships than (types x targets x directions) seeks cost, so an
  // untyped pattern to a known end seeks each type (StoreGraph::RelsTo); the forms with the end
  // tested in WHERE scan and filter. Both must list the same relationships: out, in, both
  // directions, several types, a repeated mention (one edge) and a self-loop (listed once).
  TempDir dir;
  std::string nodes = "id,name,type\n0,Hub,Country\n1,Target,Country\n";
  std::string edges = "src,dst,type,polarity,weight,doc_id\n";
  const char* types[] = {"MEETS", "SUPPORTS", "OPPOSES"};
  for (int i = 2; i < 152; ++i) {
    nodes += std::to_string(i) + ",N" + std::to_string(i) + ",Person\n";
    edges += "0," + std::to_string(i) + "," + types[i % 3] + ",0,1.0,d" + std::to_string(i) + "\n";
  }
  edges +=
      "0,1,MEETS,0,0.5,x1\n0,1,OPPOSES,-1,0.25,x2\n0,1,OPPOSES,-1,0.5,x3\n1,0,SUPPORTS,1,1.0,x4\n"
      "0,0,MEETS,0,1.0,x5\n";
  WriteFile(dir.path() / "nodes.csv", nodes);
  WriteFile(dir.path() / "edges.csv", edges);
  auto imported = kg::testing::ImportedStore(dir.path());
  auto& store = *imported;

  struct Case {
    std::string fast, slow;
    std::vector<std::string> expected;
  };
  std::vector<Case> cases = {
      {"MATCH ({name: 'Hub'})-[r]->({name: 'Target'}) RETURN type(r), size(evidence(r))",
       "MATCH (a)-[r]->(b) WHERE a.name = 'Hub' AND b.name + '' = 'Target' "
       "RETURN type(r), size(evidence(r))",
       {"'MEETS'|1|", "'OPPOSES'|2|"}},
      {"MATCH ({name: 'Hub'})<-[r]-({name: 'Target'}) RETURN type(r)",
       "MATCH (a)<-[r]-(b) WHERE a.name = 'Hub' AND b.name + '' = 'Target' RETURN type(r)",
       {"'SUPPORTS'|"}},
      {"MATCH ({name: 'Hub'})-[r]-({name: 'Target'}) RETURN type(r), startNode(r).name",
       "MATCH (a)-[r]-(b) WHERE a.name = 'Hub' AND b.name + '' = 'Target' "
       "RETURN type(r), startNode(r).name",
       {"'MEETS'|'Hub'|", "'OPPOSES'|'Hub'|", "'SUPPORTS'|'Target'|"}},
      {"MATCH (a {name: 'Hub'})-[r]-(a) RETURN type(r)",
       "MATCH (a)-[r]-(b) WHERE a.name = 'Hub' AND b = a RETURN type(r)", {"'MEETS'|"}},
      {"MATCH ({name: 'Hub'})-[r]->(b) WHERE b.name IN ['Target', 'N7'] RETURN type(r), b.name",
       "MATCH (a)-[r]->(b) WHERE a.name = 'Hub' AND b.name + '' IN ['Target', 'N7'] "
       "RETURN type(r), b.name",
       {"'MEETS'|'Target'|", "'OPPOSES'|'Target'|", "'SUPPORTS'|'N7'|"}},
  };
  for (const auto& c : cases) {
    INFO(c.fast);
    auto fast = Rows(store, c.fast, true);
    CHECK(fast == Rows(store, c.slow, true));
    CHECK(fast == c.expected);
  }
}
