// UNWIND evidence(r) AS ev followed by an aggregation streams the evidence records into the
// aggregates (no list of maps, no row per record): every answer must be what the row-by-row
// executor gives with whole maps. `[e IN evidence(s) | e]` hides evidence() from that analysis,
// so each query is also run in that form and both must agree; some answers are pinned as well.
// Run on a MemoryGraph given evidence records and on a store holding the same ones.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "kg/query/engine.h"
#include "kg/query/memory_graph.h"
#include "kg/query/store_graph.h"
#include "kg/store/graph_store.h"
#include "query_test_util.h"
#include "test_support.h"

namespace {

using kg::query::EvidenceRow;
using kg::query::GraphAccess;
using kg::testing::RowStrings;

// A MemoryGraph whose nodes and relationships have the evidence records given to AddEvidence
// (MemoryGraph itself has none).
class EvidenceMemoryGraph : public kg::query::MemoryGraph {
 public:
  std::vector<EvidenceRow> Evidence(bool is_rel, uint64_t id) override {
    auto it = evidence_.find({is_rel, id});
    return it == evidence_.end() ? std::vector<EvidenceRow>{} : it->second;
  }
  void AddEvidence(bool is_rel, uint64_t id, EvidenceRow row) {
    evidence_[{is_rel, id}].push_back(std::move(row));
  }

 private:
  std::map<std::pair<bool, uint64_t>, std::vector<EvidenceRow>> evidence_;
};

// The graph of every scenario: the members A, B, C, D of G, relationships to R, evidence
// records with a weight (integer or float) and a polarity (present, stored as null, absent).
// C's relationship to R has no evidence record of ours, D none to R at all; node A has two.
const char* const kSeed =
    "CREATE (g {name: 'G'}), (r {name: 'R'}), (a {name: 'A'}), (b {name: 'B'}), "
    "(c {name: 'C'}), (d {name: 'D'}), (a)-[:MEMBER_OF]->(g), (b)-[:MEMBER_OF]->(g), "
    "(c)-[:MEMBER_OF]->(g), (d)-[:MEMBER_OF]->(g), (a)-[:CRITICIZES]->(r), "
    "(b)-[:SUPPORTS]->(r), (c)-[:CRITICIZES]->(r), (a)-[:SUPPORTS]->(r)";

struct Record {
  std::string from;  // node name; `to` empty: evidence of that node
  std::string type;
  std::string to;
  const char* properties;
};
const Record kRecords[] = {
    {"A", "CRITICIZES", "R", R"({"weight": 1, "polarity": -1, "doc_id": "d1"})"},
    {"A", "CRITICIZES", "R", R"({"weight": 0.5, "polarity": null})"},
    {"A", "CRITICIZES", "R", R"({"weight": 2})"},
    {"A", "CRITICIZES", "R", R"({"weight": 1, "polarity": -1, "doc_id": "d2"})"},
    {"B", "SUPPORTS", "R", R"({"weight": 3, "polarity": 1})"},
    {"B", "SUPPORTS", "R", R"({"weight": 3, "polarity": 1})"},
    {"B", "SUPPORTS", "R", R"({"weight": 0.25, "polarity": 2, "doc_id": "d1"})"},
    {"A", "SUPPORTS", "R", R"({"polarity": 1})"},
    {"A", "", "", R"({"weight": 5})"},
    {"A", "", "", R"({"weight": 7, "polarity": 1})"},
};

// What a Cypher CREATE stores as a relationship's evidence in a store (StoreGraph::CreateRel):
// the memory graph is given the same first record.
EvidenceRow ManualRecord() {
  EvidenceRow row;
  row.rule = "manual";
  row.confidence = 1.0;
  return row;
}

EvidenceRow RecordRow(const Record& r, int i) {
  EvidenceRow row;
  row.sentence = "sentence " + std::to_string(i);
  row.start = i;
  row.end = i + 10;
  row.rule = "test";
  row.confidence = 0.5 + 0.125 * i;
  row.properties = nlohmann::json::parse(r.properties);
  return row;
}

// Id of node `name`, or of the relationship (from)-[:type]->(to).
uint64_t IdOf(GraphAccess& graph, const Record& r) {
  std::string q = r.to.empty()
                      ? "MATCH (n {name: '" + r.from + "'}) RETURN id(n)"
                      : "MATCH ({name: '" + r.from + "'})-[s:" + r.type + "]->({name: '" + r.to +
                            "'}) RETURN id(s)";
  auto rows = RowStrings(graph, q);
  REQUIRE(rows.size() == 1);
  return std::stoull(rows[0]);
}

// Runs `scenario` on the memory graph and on a store, both holding kSeed and kRecords.
void OnBothGraphs(const std::function<void(GraphAccess&)>& scenario) {
  SECTION("in memory") {
    EvidenceMemoryGraph graph;
    RowStrings(graph, kSeed);
    for (const auto& rel : RowStrings(graph, "MATCH ()-[s]->() RETURN id(s)")) {
      graph.AddEvidence(true, std::stoull(rel), ManualRecord());
    }
    int i = 0;
    for (const auto& r : kRecords) {
      graph.AddEvidence(!r.to.empty(), IdOf(graph, r), RecordRow(r, i++));
    }
    scenario(graph);
  }
  SECTION("in a store") {
    kg::testing::TempDir dir;
    auto opened = kg::store::GraphStore::Open((dir.path() / "kg.db").string());
    REQUIRE(opened.has_value());
    auto& store = **opened;
    {
      kg::query::StoreGraph graph(store);
      RowStrings(graph, kSeed);
    }
    std::vector<std::pair<bool, uint64_t>> owners;
    {
      kg::query::StoreGraph graph(store);
      for (const auto& r : kRecords) owners.emplace_back(!r.to.empty(), IdOf(graph, r));
    }
    auto batch = store.NewBatch();
    int i = 0;
    for (const auto& r : kRecords) {
      EvidenceRow row = RecordRow(r, i);
      kg::store::Evidence ev;
      ev.on_node = !owners[i].first;
      ev.edge_or_node = owners[i].second;
      ev.sentence = row.sentence;
      ev.start = static_cast<uint32_t>(row.start);
      ev.end = static_cast<uint32_t>(row.end);
      ev.rule = row.rule;
      ev.confidence = row.confidence;
      ev.properties = row.properties;
      REQUIRE(batch->AddEvidence(ev).ok());
      ++i;
    }
    REQUIRE(store.Commit(*batch).ok());
    batch.reset();
    kg::query::StoreGraph graph(store);
    scenario(graph);
  }
}

// `query` with its `evidence(s)` (the first one) hidden in a list comprehension.
std::string Hidden(std::string query) {
  auto at = query.find("evidence(");
  REQUIRE(at != std::string::npos);
  auto close = query.find(')', at);
  std::string call = query.substr(at, close + 1 - at);
  query.replace(at, call.size(), "[e IN " + call + " | e]");
  return query;
}

// The answer of `query`, checked to equal the answer of its Hidden form.
std::vector<std::string> Checked(GraphAccess& graph, const std::string& query) {
  auto streamed = RowStrings(graph, query);
  auto whole = RowStrings(graph, Hidden(query));
  INFO(query);
  CHECK(streamed == whole);
  return streamed;
}

const std::string kMembers =
    "MATCH (m)-[:MEMBER_OF]->({name: 'G'}) OPTIONAL MATCH (m)-[s]->({name: 'R'}) ";

}  // namespace

TEST_CASE("an evidence UNWIND feeding aggregates counts, sums and averages every record",
          "[query][evidence_unwind]") {
  OnBothGraphs([](GraphAccess& graph) {
    // count(ev) counts the [null] branch's row as no record; absent and null polarities are
    // skipped by avg and count; weights mixing integers and floats sum to a float, polarities
    // (integers only) to an integer.
    auto rows = Checked(graph,
                        kMembers +
                            "UNWIND CASE WHEN s IS NULL THEN [null] ELSE evidence(s) END AS ev "
                            "RETURN m.name AS m, type(s) AS t, count(ev) AS n, count(*) AS rows, "
                            "avg(ev.polarity) AS p, count(ev.polarity) AS np, "
                            "sum(ev.polarity) AS sp, sum(ev.weight) AS w, "
                            "min(ev.weight) AS lo, max(ev.weight) AS hi ORDER BY m, t");
    CHECK(rows == std::vector<std::string>{
                      "'A'|'CRITICIZES'|5|5|-1.0|2|-2|4.5|0.5|2|",
                      "'A'|'SUPPORTS'|2|2|1.0|1|1|0|null|null|",
                      "'B'|'SUPPORTS'|4|4|1.3333333333333333|3|4|6.25|0.25|3|",
                      "'C'|'CRITICIZES'|1|1|null|0|0|0|null|null|",
                      "'D'|null|0|1|null|0|0|0|null|null|",
                  });
  });
}

TEST_CASE("an evidence UNWIND feeding DISTINCT aggregates and collect keeps each value once",
          "[query][evidence_unwind]") {
  OnBothGraphs([](GraphAccess& graph) {
    auto rows = Checked(graph, kMembers +
                                   "UNWIND evidence(s) AS ev RETURN m.name AS m, "
                                   "count(DISTINCT ev.weight) AS n, sum(DISTINCT ev.weight) AS w, "
                                   "collect(DISTINCT ev.polarity) AS ps, collect(ev.doc_id) AS ds "
                                   "ORDER BY m");
    CHECK(rows == std::vector<std::string>{
                      "'A'|3|3.5|[-1, 1]|['d1', 'd2']|",
                      "'B'|2|3.25|[1, 2]|['d1']|",
                      "'C'|0|0|[]|[]|",
                  });
  });
}

TEST_CASE("an evidence UNWIND gives grouping keys and computed arguments the record's map",
          "[query][evidence_unwind]") {
  OnBothGraphs([](GraphAccess& graph) {
    // Grouped by a property of the record: a map per record.
    auto by_polarity = Checked(graph, kMembers +
                                          "UNWIND evidence(s) AS ev RETURN ev.polarity AS p, "
                                          "count(*) AS n, sum(ev.weight) AS w ORDER BY p");
    CHECK(by_polarity == std::vector<std::string>{"-1|2|2|", "1|3|6|", "2|1|0.25|",
                                                  "null|6|2.5|"});
    // Arguments computed from the record's properties.
    Checked(graph, kMembers +
                       "UNWIND evidence(s) AS ev RETURN m.name AS m, "
                       "sum(coalesce(ev.polarity, 10)) AS p, sum(ev.weight * 2) AS w, "
                       "count(ev.weight > 1) AS big, collect(ev.doc_id + '!') AS d ORDER BY m");
    // A grouping key that reads the same evidence again, while the records stream.
    Checked(graph, kMembers +
                       "UNWIND evidence(s) AS ev RETURN m.name AS m, "
                       "[x IN evidence(s) | x.weight] AS ws, size(evidence(s)) AS n, "
                       "count(ev) AS c, sum(ev.weight) AS w ORDER BY m, ws");
    // The built-in fields (the records are then read whole).
    auto fields = Checked(graph, kMembers +
                                     "UNWIND evidence(s) AS ev RETURN m.name AS m, "
                                     "collect(ev.rule) AS rules, sum(ev.confidence) AS c, "
                                     "sum(ev.end - ev.start) AS len, count(ev.doc) AS docs "
                                     "ORDER BY m");
    REQUIRE(fields.size() == 3);
    CHECK(fields[0] == "'A'|['manual', 'test', 'test', 'test', 'test', 'manual', 'test']|"
                       "6.125|50|7|");
  });
}

TEST_CASE("evidence maps returned whole hold the built-in fields and every property",
          "[query][evidence_unwind]") {
  OnBothGraphs([](GraphAccess& graph) {
    auto rows = Checked(graph,
                        "MATCH ({name: 'A'})-[s:CRITICIZES]->() UNWIND evidence(s) AS ev "
                        "RETURN ev, keys(ev) AS k");
    REQUIRE(rows.size() == 5);
    CHECK(rows[1] ==
          "{confidence: 0.5, doc: '', doc_id: 'd1', end: 10, polarity: -1, rule: 'test', "
          "sentence: 'sentence 0', start: 0, title: '', weight: 1}|['confidence', 'doc', "
          "'doc_id', 'end', 'polarity', 'rule', 'sentence', 'start', 'title', 'weight']|");
    // A property stored as null is a key of the whole map, with a null value.
    CHECK(rows[2].find("polarity: null") != std::string::npos);
    // Read through a key only (count(ev) and ev.key), the same records count.
    auto n = RowStrings(graph,
                        "MATCH ({name: 'A'})-[s:CRITICIZES]->() UNWIND evidence(s) AS ev "
                        "RETURN count(ev) AS n, count(ev.polarity) AS p");
    CHECK(n == std::vector<std::string>{"5|2|"});
  });
}

TEST_CASE("an evidence UNWIND over a node's evidence streams its records",
          "[query][evidence_unwind]") {
  OnBothGraphs([](GraphAccess& graph) {
    auto rows = Checked(graph,
                        "MATCH (a) WHERE a.name IN ['A', 'B'] UNWIND evidence(a) AS ev "
                        "RETURN a.name AS a, count(ev) AS n, sum(ev.weight) AS w, "
                        "collect(ev.polarity) AS p ORDER BY a");
    CHECK(rows == std::vector<std::string>{"'A'|2|12|[1]|"});
  });
}

TEST_CASE("an evidence UNWIND keeps evidence()'s errors and the row cap",
          "[query][evidence_unwind]") {
  OnBothGraphs([](GraphAccess& graph) {
    CHECK(kg::testing::QueryErrorOf(graph, "UNWIND evidence(1) AS ev RETURN count(ev)") ==
          "ArgumentError/InvalidArgumentValue");
    CHECK(kg::testing::QueryErrorOf(
              graph, "MATCH (a {name: 'A'}) UNWIND CASE WHEN a IS NULL THEN [] ELSE "
                     "evidence('x') END AS ev RETURN count(ev)") ==
          "ArgumentError/InvalidArgumentValue");
    // An aggregate's arguments are checked as row by row.
    CHECK(kg::testing::QueryErrorOf(graph, kMembers + "UNWIND evidence(s) AS ev RETURN sum()") ==
          "SyntaxError/InvalidNumberOfArguments");
    CHECK(kg::testing::QueryErrorOf(graph, kMembers + "UNWIND evidence(s) AS ev "
                                                      "RETURN m.name, sum(ev.weight, 1)") ==
          "SyntaxError/InvalidNumberOfArguments");
    CHECK(kg::testing::QueryErrorOf(graph, kMembers + "UNWIND evidence(s) AS ev "
                                                      "RETURN count(ev), avg(1, 2)") ==
          "SyntaxError/InvalidNumberOfArguments");
    // evidence(null) is null: UNWIND makes no row.
    CHECK(RowStrings(graph, "UNWIND evidence(null) AS ev RETURN count(ev) AS n, "
                            "sum(ev.weight) AS w") == std::vector<std::string>{"0|0|"});
    // The cap on intermediate rows ends the query while the records stream (it is raised from
    // inside the graph's scan).
    kg::query::QueryOptions options;
    options.max_intermediate_rows = 3;
    auto result = kg::query::Execute(graph,
                                     "MATCH ({name: 'A'})-[s:CRITICIZES]->() UNWIND evidence(s) "
                                     "AS ev RETURN sum(ev.weight) AS w",
                                     {}, options);
    REQUIRE_FALSE(result.has_value());
    CHECK(kg::query::ErrorDetail(result.error()) == "MemoryCap");
  });
}

TEST_CASE("an evidence UNWIND feeding a plain projection gives each record's row",
          "[query][evidence_unwind]") {
  OnBothGraphs([](GraphAccess& graph) {
    // Items `ev.key` only: read from the records without maps.
    auto rows = Checked(graph, kMembers +
                                   "UNWIND CASE WHEN s IS NULL THEN [null] ELSE evidence(s) END "
                                   "AS ev RETURN m.name AS m, type(s) AS t, ev.weight AS w, "
                                   "ev.polarity AS p");
    CHECK(rows.size() == 13);  // 5 + 2 + 4 + 1 records, and D's null
    CHECK(std::count(rows.begin(), rows.end(), "'A'|'CRITICIZES'|0.5|null|") == 1);
    CHECK(std::count(rows.begin(), rows.end(), "'D'|null|null|null|") == 1);
    // Computed items, ORDER BY and WITH ... WHERE reading ev (the input rows are kept), SKIP and
    // LIMIT.
    auto top = Checked(graph, kMembers +
                                  "UNWIND evidence(s) AS ev RETURN m.name AS m, "
                                  "ev.weight * 2 AS w2, ev.polarity IS NULL AS nopol "
                                  "ORDER BY coalesce(ev.weight, -1) DESC, m, nopol SKIP 1 LIMIT 3");
    CHECK(top == std::vector<std::string>{"'B'|6|false|", "'A'|4|true|", "'A'|2|false|"});
    auto kept = Checked(graph, kMembers +
                                   "UNWIND evidence(s) AS ev WITH m, ev.weight AS w "
                                   "WHERE ev.polarity IS NOT NULL RETURN m.name AS m, "
                                   "sum(w) AS total, count(*) AS n ORDER BY m");
    CHECK(kept == std::vector<std::string>{"'A'|2|3|", "'B'|6.25|3|"});
    // The maps themselves, through a WITH that passes on ev's properties only.
    Checked(graph, kMembers +
                       "UNWIND evidence(s) AS ev WITH m.name AS m, ev.doc_id AS d, "
                       "ev.rule AS r WHERE d IS NOT NULL RETURN m, d, r");
  });
}

TEST_CASE("an evidence UNWIND feeding a plain projection keeps the row cap",
          "[query][evidence_unwind]") {
  OnBothGraphs([](GraphAccess& graph) {
    kg::query::QueryOptions options;
    options.max_intermediate_rows = 3;
    auto result = kg::query::Execute(graph,
                                     "MATCH ({name: 'A'})-[s:CRITICIZES]->() UNWIND evidence(s) "
                                     "AS ev RETURN ev.weight AS w",
                                     {}, options);
    REQUIRE_FALSE(result.has_value());
    CHECK(kg::query::ErrorDetail(result.error()) == "MemoryCap");
  });
}

TEST_CASE("an evidence UNWIND followed by another clause makes a row per record",
          "[query][evidence_unwind]") {
  OnBothGraphs([](GraphAccess& graph) {
    auto rows = Checked(graph, kMembers +
                                   "UNWIND CASE WHEN s IS NULL THEN [null] ELSE evidence(s) END "
                                   "AS ev UNWIND [1, 2] AS k RETURN m.name AS m, k, "
                                   "ev.weight AS w, ev IS NULL AS none");
    CHECK(rows.size() == 26);  // twice 5 + 2 + 4 + 1 records and D's null
    CHECK(std::count(rows.begin(), rows.end(), "'D'|2|null|true|") == 1);
    CHECK(std::count(rows.begin(), rows.end(), "'B'|1|3|false|") == 2);
  });
}

TEST_CASE("comprehensions over evidence() reading only keys see every record",
          "[query][evidence_unwind]") {
  OnBothGraphs([](GraphAccess& graph) {
    auto rows = Checked(graph, kMembers +
                                   "RETURN m.name AS m, type(s) AS t, "
                                   "[x IN evidence(s) | x.weight] AS ws, "
                                   "[x IN evidence(s) WHERE x.polarity IS NOT NULL | "
                                   "x.polarity * 10] AS ps, "
                                   "size([x IN evidence(s) WHERE x.weight > 0.6 | 1]) AS big, "
                                   "any(x IN evidence(s) WHERE x.polarity = 2) AS two, "
                                   "all(x IN evidence(s) WHERE x.rule = 'test') AS tests "
                                   "ORDER BY m, t");
    CHECK(rows == std::vector<std::string>{
                      "'A'|'CRITICIZES'|[null, 1, 0.5, 2, 1]|[-10, -10]|3|null|false|",
                      "'A'|'SUPPORTS'|[null, null]|[10]|0|null|false|",
                      "'B'|'SUPPORTS'|[null, 3, 3, 0.25]|[10, 10, 20]|2|true|false|",
                      "'C'|'CRITICIZES'|[null]|[]|0|null|false|",
                      "'D'|null|null|null|null|null|null|",
                  });
    // Read whole (keys(x), x itself): the maps keep every field. (Checked hides only the
    // first evidence() of a query: one comprehension per query.)
    Checked(graph, kMembers + "RETURN m.name AS m, [x IN evidence(s) | keys(x)] AS k ORDER BY m");
    auto heavy = Checked(graph, kMembers +
                                    "RETURN m.name AS m, [x IN evidence(s) WHERE x.weight > 2] "
                                    "AS heavy ORDER BY m");
    REQUIRE(heavy.size() == 5);
    CHECK(heavy[2].find("sentence: 'sentence 4', start: 4") != std::string::npos);
    auto node = Checked(graph, "MATCH (a {name: 'A'}) RETURN [x IN evidence(a) | x.weight] AS w");
    CHECK(node == std::vector<std::string>{"[5, 7]|"});
  });
}
