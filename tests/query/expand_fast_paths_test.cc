// The expansion fast paths (relationships nobody reads expanded as (id, other end) hops, targets
// read for a few properties through one forward walk of the node records, evidence maps built
// from just the properties read) must give what the row-by-row path gives. Each query runs as
// written and in a form that defeats the fast path without changing the answer; and once more
// through a graph that answers Hops and EvidenceProperties with GraphAccess's defaults.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kg/query/engine.h"
#include "kg/query/forwarding_graph.h"
#include "kg/query/store_graph.h"
#include "kg/store/csv_import.h"
#include "kg/store/graph_store.h"
#include "query_test_util.h"
#include "test_support.h"

namespace {

using kg::testing::TempDir;
using kg::testing::WriteFile;

// The store's graph with Hops and EvidenceProperties from GraphAccess's defaults.
class DefaultHopsGraph final : public kg::query::ForwardingGraph {
 public:
  using ForwardingGraph::ForwardingGraph;
  std::vector<Hop> Hops(uint64_t node, kg::query::Direction dir,
                        const std::vector<std::string>& types) override {
    return GraphAccess::Hops(node, dir, types);
  }
  std::vector<kg::Properties> EvidenceProperties(bool is_rel, uint64_t id,
                                                 const std::vector<std::string>& keys) override {
    return GraphAccess::EvidenceProperties(is_rel, id, keys);
  }
  void ForEachEvidenceValues(bool is_rel, uint64_t id, const std::vector<std::string>& keys,
                             const std::function<void(const kg::query::Value*)>& fn) override {
    GraphAccess::ForEachEvidenceValues(is_rel, id, keys, fn);
  }
};

std::vector<std::string> ExpandRows(kg::store::GraphStore& store, const std::string& query,
                                    bool defaults = false) {
  kg::query::StoreGraph graph(store);
  DefaultHopsGraph with_defaults(graph);
  std::vector<std::string> rows = defaults ? kg::testing::RowStrings(with_defaults, query)
                                           : kg::testing::RowStrings(graph, query);
  std::sort(rows.begin(), rows.end());
  return rows;
}

// A hub (id 0) with 40 neighbours spread so that the node walk both steps and seeks, some
// reached by two relationship types (repeated targets), a self-loop, evidence with properties.
void WriteHubGraph(const TempDir& dir) {
  std::string nodes = "id,name,type\n";
  for (int i = 0; i < 400; ++i) {
    nodes += std::to_string(i) + ",N" + std::to_string(i) + (i % 3 ? ",Person\n" : ",Place\n");
  }
  std::string edges = "src,dst,type,polarity,weight,doc_id\n";
  std::vector<int> targets;
  for (int i = 1; i < 12; ++i) targets.push_back(i);                  // consecutive
  for (int i = 20; i < 400; i += 23) targets.push_back(i);            // far apart
  for (int i = 300; i < 312; i += 2) targets.push_back(i);            // a step or two
  for (size_t k = 0; k < targets.size(); ++k) {
    int t = targets[k];
    edges += "0," + std::to_string(t) + ",KNOWS," + std::to_string(int(k % 3) - 1) + "," +
             std::to_string(0.25 * double(k % 5)) + ",d" + std::to_string(k) + "\n";
    if (k % 4 == 0) edges += "0," + std::to_string(t) + ",MEETS,1,0.5,e" + std::to_string(k) + "\n";
    if (k % 7 == 0) edges += std::to_string(t) + ",0,KNOWS,0,1.5,f" + std::to_string(k) + "\n";
  }
  edges += "0,0,MEETS,1,2.0,loop\n0,5,KNOWS,1,0.75,d5again\n";
  WriteFile(dir.path() / "nodes.csv", nodes);
  WriteFile(dir.path() / "edges.csv", edges);
}

}  // namespace

TEST_CASE("expansion fast paths answer like the row-by-row executor",
          "[query][expand_fast_paths]") {
  TempDir dir;
  WriteHubGraph(dir);
  auto imported = kg::testing::ImportedStore(dir.path());
  auto& store = *imported;

  struct Case {
    std::string fast, slow;
  };
  // The slow forms: a relationship variable makes the matcher read relationship records;
  // `WHERE b = b` reads b whole; `WITH *` keeps whole evidence maps.
  std::vector<Case> cases = {
      {"MATCH (a {name: 'N0'})-->(b) RETURN DISTINCT id(b) - 1 AS id, b.name AS name",
       "MATCH (a {name: 'N0'})-[r]->(b) WHERE b = b RETURN DISTINCT id(b) - 1 AS id, "
       "b.name AS name"},
      {"MATCH (a {name: 'N0'})-->(b) RETURN id(b) AS id, b.name AS name",
       "MATCH (a {name: 'N0'})-[r]->(b) WHERE b = b RETURN id(b) AS id, b.name AS name"},
      {"MATCH (a {name: 'N0'})--(b) RETURN b.name AS name, count(*) AS n",
       "MATCH (a {name: 'N0'})-[r]-(b) WHERE b = b RETURN b.name AS name, count(*) AS n"},
      {"MATCH (a {name: 'N0'})<-[:KNOWS]-(b) RETURN b.name AS name, b.missing AS m",
       "MATCH (a {name: 'N0'})<-[r:KNOWS]-(b) WHERE b = b RETURN b.name AS name, b.missing AS m"},
      {"MATCH (a {name: 'N0'})-[:MEETS|KNOWS]->(b) RETURN b.name AS name",
       "MATCH (a {name: 'N0'})-[r:MEETS|KNOWS]->(b) WHERE b = b RETURN b.name AS name"},
      {"MATCH (a {name: 'N0'})-->(b)-->(c) RETURN b.name AS b, c.name AS c",
       "MATCH (a {name: 'N0'})-[r]->(b)-[q]->(c) RETURN b.name AS b, c.name AS c"},
      {"MATCH (a {name: 'N0'})-->()<--(c) RETURN c.name AS c, count(*) AS n",
       "MATCH (a {name: 'N0'})-[r]->()<-[q]-(c) RETURN c.name AS c, count(*) AS n"},
      {"MATCH (a {name: 'N1'})-->(b) RETURN b.name AS name",
       "MATCH (a {name: 'N1'})-[r]->(b) WHERE b = b RETURN b.name AS name"},
      {"MATCH (a {name: 'N0'})-[s:KNOWS]->(b) UNWIND evidence(s) AS ev "
       "RETURN b.name AS b, count(ev) AS n, avg(ev.polarity) AS p, sum(ev.weight) AS w",
       "MATCH (a {name: 'N0'})-[s:KNOWS]->(b) UNWIND evidence(s) AS ev WITH * "
       "RETURN b.name AS b, count(ev) AS n, avg(ev.polarity) AS p, sum(ev.weight) AS w"},
      {"MATCH (a {name: 'N0'})-[s]->(b) UNWIND CASE WHEN s IS NULL THEN [null] ELSE "
       "evidence(s) END AS ev RETURN b.name AS b, type(s) AS t, collect(ev.doc_id) AS docs, "
       "sum(ev.nothing) AS none",
       "MATCH (a {name: 'N0'})-[s]->(b) UNWIND CASE WHEN s IS NULL THEN [null] ELSE "
       "evidence(s) END AS ev WITH * RETURN b.name AS b, type(s) AS t, "
       "collect(ev.doc_id) AS docs, sum(ev.nothing) AS none"},
      // An evidence UNWIND feeding an aggregation directly (no table of unwound rows): the
      // G-7 question's shape (some s missing), and an aggregating WITH with a WHERE after it.
      {"MATCH (m)-[:KNOWS]->({name: 'N0'}) OPTIONAL MATCH (m)<-[s:MEETS]-({name: 'N0'}) "
       "UNWIND CASE WHEN s IS NULL THEN [null] ELSE evidence(s) END AS ev "
       "RETURN m.name AS member, type(s) AS rel, count(ev) AS n, avg(ev.polarity) AS p, "
       "sum(ev.weight) AS w ORDER BY member, rel",
       "MATCH (m)-[:KNOWS]->({name: 'N0'}) OPTIONAL MATCH (m)<-[s:MEETS]-({name: 'N0'}) "
       "UNWIND CASE WHEN s IS NULL THEN [null] ELSE evidence(s) END AS ev WITH * "
       "RETURN m.name AS member, type(s) AS rel, count(ev) AS n, avg(ev.polarity) AS p, "
       "sum(ev.weight) AS w ORDER BY member, rel"},
      {"MATCH (a {name: 'N0'})-[s]->(b) UNWIND evidence(s) AS ev "
       "WITH b, count(*) AS n, sum(ev.weight) AS w WHERE w > 0.5 RETURN b.name AS b, n, w",
       "MATCH (a {name: 'N0'})-[s]->(b) UNWIND evidence(s) AS ev WITH * "
       "WITH b, count(*) AS n, sum(ev.weight) AS w WHERE w > 0.5 RETURN b.name AS b, n, w"},
      // A grouping key that varies with the unwound map (found per row, not per input row), and
      // input rows that make no rows (their key must not make a group).
      {"MATCH (a {name: 'N0'})-[s]->(b) UNWIND evidence(s) AS ev "
       "RETURN type(s) AS t, ev.polarity AS pol, count(*) AS n, sum(ev.weight) AS w",
       "MATCH (a {name: 'N0'})-[s]->(b) UNWIND evidence(s) AS ev WITH * "
       "RETURN type(s) AS t, ev.polarity AS pol, count(*) AS n, sum(ev.weight) AS w"},
      {"MATCH (m)-[:KNOWS]->({name: 'N0'}) OPTIONAL MATCH (m)<-[s:MEETS]-({name: 'N0'}) "
       "UNWIND CASE WHEN s IS NULL THEN [] ELSE evidence(s) END AS ev "
       "RETURN m.name AS member, count(ev) AS n, max(ev.weight) AS w",
       "MATCH (m)-[:KNOWS]->({name: 'N0'}) OPTIONAL MATCH (m)<-[s:MEETS]-({name: 'N0'}) "
       "UNWIND CASE WHEN s IS NULL THEN [] ELSE evidence(s) END AS ev WITH * "
       "RETURN m.name AS member, count(ev) AS n, max(ev.weight) AS w"},
      // Relationship variables read only through type/id/evidence/count/IS NULL: no records.
      {"MATCH (a {name: 'N0'}) OPTIONAL MATCH (a)-[s:KNOWS|MEETS]->({name: 'N5'}) "
       "RETURN type(s) AS t, id(s) IS NULL AS n, size(evidence(s)) AS e, s IS NULL AS missing",
       "MATCH (a {name: 'N0'}) OPTIONAL MATCH (a)-[s:KNOWS|MEETS]->({name: 'N5'}) WHERE s = s "
       "RETURN type(s) AS t, id(s) IS NULL AS n, size(evidence(s)) AS e, s IS NULL AS missing"},
      {"MATCH (a {name: 'N0'}) OPTIONAL MATCH (a)-[s:KNOWS]->({name: 'N399'}) "
       "RETURN type(s) AS t, s IS NULL AS missing",
       "MATCH (a {name: 'N0'}) OPTIONAL MATCH (a)-[s:KNOWS]->({name: 'N399'}) WHERE s = s "
       "RETURN type(s) AS t, s IS NULL AS missing"},
      {"MATCH (a {name: 'N0'})-[s]-(b) RETURN type(s) AS t, count(s) AS n, "
       "sum(size(evidence(s))) AS e",
       "MATCH (a {name: 'N0'})-[s]-(b) WHERE s = s RETURN type(s) AS t, count(s) AS n, "
       "sum(size(evidence(s))) AS e"},
  };
  for (const auto& c : cases) {
    INFO(c.fast);
    auto fast = ExpandRows(store, c.fast);
    CHECK_FALSE(fast.empty());
    CHECK(fast == ExpandRows(store, c.slow));
    CHECK(fast == ExpandRows(store, c.fast, /*defaults=*/true));
  }
}

TEST_CASE("Hops lists what RelsWithoutProperties lists, a self-loop once",
          "[query][expand_fast_paths]") {
  TempDir dir;
  WriteHubGraph(dir);
  auto imported = kg::testing::ImportedStore(dir.path());
  auto& store = *imported;
  kg::query::StoreGraph graph(store);
  auto hub = graph.NodeIdsByName("N0");
  REQUIRE(hub.has_value());
  REQUIRE(hub->size() == 1);
  uint64_t node = hub->front();
  using kg::query::Direction;
  for (Direction direction : {Direction::kOut, Direction::kIn, Direction::kBoth}) {
    for (const std::vector<std::string>& types :
         {std::vector<std::string>{}, std::vector<std::string>{"MEETS"},
          std::vector<std::string>{"KNOWS", "MEETS", "KNOWS"}}) {
      auto hops = graph.Hops(node, direction, types);
      auto expected = graph.GraphAccess::Hops(node, direction, types);
      REQUIRE(hops.size() == expected.size());
      CHECK_FALSE(hops.empty());
      for (size_t i = 0; i < hops.size(); ++i) {
        CHECK(hops[i].rel == expected[i].rel);
        CHECK(hops[i].other == expected[i].other);
      }
      if (direction == Direction::kBoth && types.size() != 1) {
        // The self-loop (a MEETS edge) appears once.
        CHECK(std::count_if(hops.begin(), hops.end(),
                            [&](const auto& h) { return h.other == node; }) == 1);
      }
    }
  }
}

TEST_CASE("DISTINCT over one element's values keeps each element's first row, in order",
          "[query][expand_fast_paths]") {
  TempDir dir;
  WriteHubGraph(dir);
  auto imported = kg::testing::ImportedStore(dir.path());
  auto& store = *imported;
  {
    // Targets without a name, with a null one, with a name that is not a string.
    kg::query::StoreGraph graph(store);
    kg::testing::RowStrings(graph,
                            "MATCH (a {name: 'N0'}) CREATE (a)-[:KNOWS]->(:Person), "
                            "(a)-[:KNOWS]->(:Person {name: null, rank: 3}), "
                            "(a)-[:MEETS]->(:Place {name: 7}), (a)-[:KNOWS]->(:Place)");
  }
  // The slow forms read the same values through CASE, which DistinctByElement does not take:
  // every row is projected and hashed.
  struct Case {
    std::string fast, slow;
  };
  std::vector<Case> cases = {
      {"MATCH (a {name: 'N0'})-->(b) RETURN DISTINCT id(b) - 1 AS id, b.name AS name",
       "MATCH (a {name: 'N0'})-->(b) RETURN DISTINCT id(b) - 1 AS id, "
       "CASE WHEN true THEN b.name END AS name"},
      {"MATCH (a {name: 'N0'})--(b) RETURN DISTINCT b.name AS name",
       "MATCH (a {name: 'N0'})--(b) RETURN DISTINCT CASE WHEN true THEN b.name END AS name"},
      {"MATCH (a {name: 'N0'})-->(b) RETURN DISTINCT b LIMIT 5",
       "MATCH (a {name: 'N0'})-->(b) RETURN DISTINCT CASE WHEN true THEN b END AS b LIMIT 5"},
      {"MATCH (a {name: 'N0'})-->(b) RETURN DISTINCT 1 + id(b) AS id, toString(b.name) AS s",
       "MATCH (a {name: 'N0'})-->(b) RETURN DISTINCT 1 + id(b) AS id, "
       "CASE WHEN true THEN toString(b.name) END AS s"},
      {"MATCH (a {name: 'N0'})-[r]-(b) RETURN DISTINCT type(r) AS t, id(r) AS id",
       "MATCH (a {name: 'N0'})-[r]-(b) RETURN DISTINCT CASE WHEN true THEN type(r) END AS t, "
       "id(r) AS id"},
      {"MATCH (a {name: 'N0'})-[r]-(b) RETURN DISTINCT type(r) AS t",
       "MATCH (a {name: 'N0'})-[r]-(b) RETURN DISTINCT CASE WHEN true THEN type(r) END AS t"},
      {"MATCH (a) WHERE a.name IN ['N0', 'N2', 'N399', 'N5'] OPTIONAL MATCH (a)-[:MEETS]->(b) "
       "RETURN DISTINCT id(b) AS id, b.name AS name",
       "MATCH (a) WHERE a.name IN ['N0', 'N2', 'N399', 'N5'] OPTIONAL MATCH (a)-[:MEETS]->(b) "
       "RETURN DISTINCT id(b) AS id, CASE WHEN true THEN b.name END AS name"},
      {"MATCH (a {name: 'N0'})-->(b) RETURN DISTINCT b.name AS name ORDER BY name DESC "
       "SKIP 2 LIMIT 4",
       "MATCH (a {name: 'N0'})-->(b) RETURN DISTINCT CASE WHEN true THEN b.name END AS name "
       "ORDER BY name DESC SKIP 2 LIMIT 4"},
      {"MATCH (a {name: 'N0'})-->(b) WITH DISTINCT b WHERE b.name STARTS WITH 'N3' "
       "RETURN b.name AS name",
       "MATCH (a {name: 'N0'})-->(b) WITH DISTINCT CASE WHEN true THEN b END AS b "
       "WHERE b.name STARTS WITH 'N3' RETURN b.name AS name"},
      {"MATCH (a {name: 'N0'})-->(b) WITH b, a RETURN DISTINCT b.name AS name, a.name AS hub",
       "MATCH (a {name: 'N0'})-->(b) WITH b, a RETURN DISTINCT "
       "CASE WHEN true THEN b.name END AS name, a.name AS hub"},
      {"UNWIND [1, 1, null, 2, null] AS x RETURN DISTINCT x, x + 1 AS y",
       "UNWIND [1, 1, null, 2, null] AS x RETURN DISTINCT x, CASE WHEN true THEN x + 1 END AS y"},
  };
  kg::query::StoreGraph graph(store);
  for (const auto& c : cases) {
    INFO(c.fast);
    auto fast = kg::testing::RowStrings(graph, c.fast);  // in order: DISTINCT keeps first rows
    CHECK(fast.size() > 1);
    CHECK(fast == kg::testing::RowStrings(graph, c.slow));
  }
  // Duplicates really were there (a target reached twice, several rows without a name).
  CHECK(kg::testing::RowStrings(graph, "MATCH (a {name: 'N0'})-->(b) RETURN count(*) AS n") !=
        kg::testing::RowStrings(graph,
                                "MATCH (a {name: 'N0'})-->(b) RETURN count(DISTINCT b) AS n"));
  // Targets read as values (NodeData::values: names that are strings, a number, null or
  // missing, another property) against whole nodes (`WHERE b = b`), row for row.
  for (std::string ret :
       {"RETURN DISTINCT id(b) - 1 AS id, b.name AS name",
        "RETURN b.name AS name, b.rank AS rank, b.missing AS m, b.name IS NULL AS nameless",
        "RETURN b.name AS name, count(*) AS n"}) {
    for (std::string match : {"MATCH (a {name: 'N0'})-->(b) ",
                              "MATCH (a {name: 'N0'})-[:KNOWS|MEETS]-(b) "}) {
      std::string whole = match + "WHERE b = b " + ret;
      INFO(match + ret);
      auto values = kg::testing::RowStrings(graph, match + ret);
      CHECK(values.size() > 20);
      CHECK(values == kg::testing::RowStrings(graph, whole));
    }
  }
}

namespace {

// Evidence properties of every kind the store's CBOR holds, on a graph with two nodes named
// "Dup", a self-loop and a member without any relationship to the hub: built by the writer API
// (the CSV import writes only numbers and strings).
std::unique_ptr<kg::store::GraphStore> EvidenceKindsStore(const std::filesystem::path& path) {
  auto opened = kg::store::GraphStore::Open(path.string());
  REQUIRE(opened.has_value());
  auto& store = **opened;
  auto batch = store.NewBatch();
  using kg::Properties;
  auto node = [&](const std::string& name) {
    return batch->CreateNode({"Person"}, Properties{{"name", name}});
  };
  uint64_t hub = node("Hub"), dup1 = node("Dup"), dup2 = node("Dup"), lone = node("Lone");
  (void)lone;
  std::vector<Properties> kinds = {
      Properties{{"u", 5}, {"i", -3}, {"f", 0.1}, {"h", 0.5}, {"s", "x"}, {"b", true},
                 {"n", nullptr}, {"l", {1, 2}}, {"m", {{"a", 1}}}},
      Properties::object(),
      Properties{{"u", 18446744073709551615ull}, {"i", -9000000000}, {"f", -2.75}, {"s", ""},
                 {"b", false}, {"l", Properties::array()}},
      Properties{{"s", "longer text than twenty-three bytes, so not inline"}, {"f", 1e300}},
  };
  auto edge = [&](uint64_t src, const char* type, uint64_t dst, size_t first, size_t count) {
    auto id = batch->CreateEdge(src, type, dst, Properties::object());
    REQUIRE(id.has_value());
    for (size_t k = 0; k < count; ++k) {
      kg::store::Evidence ev;
      ev.edge_or_node = *id;
      ev.rule = "test";
      ev.sentence = "s" + std::to_string(k);
      ev.properties = kinds[(first + k) % kinds.size()];
      REQUIRE(batch->AddEvidence(ev).ok());
    }
  };
  edge(dup1, "MEMBER_OF", hub, 0, 1);
  edge(dup2, "MEMBER_OF", hub, 0, 1);
  edge(hub, "MEMBER_OF", hub, 0, 1);
  edge(dup1, "SUPPORTS", hub, 0, 4);
  edge(dup1, "OPPOSES", hub, 1, 3);
  edge(dup2, "SUPPORTS", hub, 2, 5);
  edge(hub, "SUPPORTS", hub, 3, 2);  // a self-loop
  edge(hub, "OPPOSES", dup2, 0, 0);  // no evidence at all
  REQUIRE(store.Commit(*batch).ok());
  return std::move(*opened);
}

}  // namespace

TEST_CASE("evidence values read without json are what the evidence records hold",
          "[query][expand_fast_paths]") {
  TempDir dir;
  auto store = EvidenceKindsStore(dir.path() / "kg.db");
  auto view = store->NewReadView();
  std::vector<std::string> keys = {"b", "f", "h", "i", "l", "m", "missing", "n", "s", "u"};
  size_t records = 0;
  for (uint64_t edge = 1; edge <= 8; ++edge) {
    INFO("edge " << edge);
    auto whole = view->EdgeEvidenceProperties(edge, keys);
    size_t i = 0;
    view->ForEachEdgeEvidenceValues(edge, keys, [&](const kg::store::ReadView::PropertyRef* v) {
      REQUIRE(i < whole.size());
      using Kind = kg::store::ReadView::PropertyRef::Kind;
      for (size_t k = 0; k < keys.size(); ++k) {
        INFO("record " << i << " key " << keys[k]);
        auto it = whole[i].find(keys[k]);
        kg::Properties got;
        switch (v[k].kind) {
          case Kind::kAbsent: CHECK(it == whole[i].end()); continue;
          case Kind::kNull: got = nullptr; break;
          case Kind::kBool: got = v[k].boolean; break;
          case Kind::kInt: got = v[k].integer; break;
          case Kind::kUint: got = v[k].uinteger; break;
          case Kind::kDouble: got = v[k].number; break;
          case Kind::kText: got = std::string(v[k].text); break;
          case Kind::kJson: got = *v[k].json; break;
        }
        REQUIRE(it != whole[i].end());
        CHECK(got == *it);
        CHECK(got.type() == it->type());
      }
      ++i;
      ++records;
    });
    CHECK(i == whole.size());
  }
  CHECK(records == 17);
  CHECK(view->status().ok());
}

TEST_CASE("the G-7 question's evidence aggregation answers like the row-by-row executor",
          "[query][expand_fast_paths]") {
  TempDir dir;
  auto store = EvidenceKindsStore(dir.path() / "kg.db");
  struct Case {
    std::string fast, slow;
  };
  // Members named alike (one group for both), a member without any stance (s null), a
  // self-loop, a relationship without evidence, every kind of property value.
  const std::string g7 =
      "MATCH (m)-[:MEMBER_OF]->({name: 'Hub'}) "
      "OPTIONAL MATCH (m)-[s:OPPOSES|SUPPORTS|CRITICIZES]->({name: 'Hub'}) "
      "UNWIND CASE WHEN s IS NULL THEN [null] ELSE evidence(s) END AS ev ";
  std::vector<Case> cases = {
      {g7 + "RETURN m.name AS member, type(s) AS rel, count(ev) AS n, avg(ev.f) AS f, "
            "sum(ev.i) AS i, collect(ev.u) AS u ORDER BY member, rel",
       g7 + "WITH * RETURN m.name AS member, type(s) AS rel, count(ev) AS n, avg(ev.f) AS f, "
            "sum(ev.i) AS i, collect(ev.u) AS u ORDER BY member, rel"},
      {g7 + "RETURN id(m) AS m, collect(ev.s) AS s, collect(ev.b) AS b, collect(ev.l) AS l, "
            "collect(ev.m) AS mp, collect(ev.n) AS n, count(ev.missing) AS x, "
            "min(ev.h) AS h ORDER BY m",
       g7 + "WITH * RETURN id(m) AS m, collect(ev.s) AS s, collect(ev.b) AS b, "
            "collect(ev.l) AS l, collect(ev.m) AS mp, collect(ev.n) AS n, "
            "count(ev.missing) AS x, min(ev.h) AS h ORDER BY m"},
      {"MATCH (a {name: 'Hub'})-[s]->(b) UNWIND evidence(s) AS ev "
       "RETURN b.name AS b, type(s) AS t, ev.s IS NULL AS nos, count(*) AS n, sum(ev.u) AS u "
       "ORDER BY b, t, nos",
       "MATCH (a {name: 'Hub'})-[s]->(b) UNWIND evidence(s) AS ev WITH * "
       "RETURN b.name AS b, type(s) AS t, ev.s IS NULL AS nos, count(*) AS n, sum(ev.u) AS u "
       "ORDER BY b, t, nos"},
  };
  kg::query::StoreGraph graph(*store);
  DefaultHopsGraph with_defaults(graph);
  for (const auto& c : cases) {
    INFO(c.fast);
    auto fast = kg::testing::RowStrings(graph, c.fast);
    CHECK(fast.size() >= 2);
    CHECK(fast == kg::testing::RowStrings(graph, c.slow));
    CHECK(fast == kg::testing::RowStrings(with_defaults, c.fast));
  }
  // One group for the two members named alike, one row for the member without a stance.
  auto rows = kg::testing::RowStrings(
      graph, g7 + "RETURN m.name AS member, count(ev) AS n ORDER BY member");
  CHECK(rows == std::vector<std::string>{"'Dup'|12|", "'Hub'|2|"});
}

TEST_CASE("the evidence aggregation after a CREATE in the same query answers like the "
          "row-by-row executor",
          "[query][expand_fast_paths]") {
  TempDir dir;
  // One store per form: each query writes.
  auto fast_store = EvidenceKindsStore(dir.path() / "fast.db");
  auto slow_store = EvidenceKindsStore(dir.path() / "slow.db");
  const std::string create =
      "MATCH (h {name: 'Hub'}) CREATE (:Person {name: 'Dup'})-[:MEMBER_OF]->(h), "
      "(h)-[:SUPPORTS]->(h) WITH DISTINCT h "
      "MATCH (m)-[:MEMBER_OF]->(h) OPTIONAL MATCH (m)-[s:SUPPORTS]->(h) "
      "UNWIND CASE WHEN s IS NULL THEN [null] ELSE evidence(s) END AS ev ";
  const std::string ret =
      "RETURN m.name AS member, count(s) AS rels, count(ev) AS n, sum(ev.i) AS i, "
      "collect(ev.s) AS s ORDER BY member";
  kg::query::StoreGraph fast_graph(*fast_store);
  kg::query::StoreGraph slow_graph(*slow_store);
  auto fast = kg::testing::RowStrings(fast_graph, create + ret);
  CHECK(fast.size() == 2);
  CHECK(fast == kg::testing::RowStrings(slow_graph, create + "WITH * " + ret));
}

TEST_CASE("sum, avg, min and max folded row by row give what keeping every value gave",
          "[query][expand_fast_paths]") {
  using kg::testing::RowStrings;
  CHECK(RowStrings("UNWIND [1, 2, null, 4] AS x RETURN sum(x), avg(x), min(x), max(x)") ==
        std::vector<std::string>{"7|2.3333333333333335|1|4|"});
  // An integer after a float is summed as a float only (no overflow check), as before.
  CHECK(RowStrings("UNWIND [1.5, 9223372036854775807, 1] AS x RETURN sum(x) > 0 AS s") ==
        std::vector<std::string>{"true|"});
  CHECK(RowStrings("UNWIND [null] AS x RETURN sum(x), avg(x), min(x), max(x)") ==
        std::vector<std::string>{"0|null|null|null|"});
  // Mixed types: the ORDER BY order (strings before numbers), the first of equals kept.
  CHECK(RowStrings("UNWIND [3, 'b', 1, 'a', 1.0] AS x RETURN min(x), max(x)") ==
        std::vector<std::string>{"'a'|3|"});
  CHECK(RowStrings("UNWIND [1, 1.0] AS x RETURN min(x) AS a, max(x) AS b") ==
        std::vector<std::string>{"1|1|"});
  // The first error in row order wins, raised when the group is finished.
  kg::query::MemoryGraph graph;
  auto overflow = kg::query::Execute(
      graph, "UNWIND [9223372036854775807, 1, 'a'] AS x RETURN sum(x)", {}, {});
  REQUIRE_FALSE(overflow.has_value());
  CHECK(overflow.error().message().find("overflow") != std::string::npos);
  auto not_number = kg::query::Execute(
      graph, "UNWIND [1, 'a', 9223372036854775807, 1] AS x RETURN avg(x)", {}, {});
  REQUIRE_FALSE(not_number.has_value());
  CHECK(not_number.error().message().find("expects numbers, got STRING") != std::string::npos);
}

namespace {

// Rows in the order the query gave them, on the store's graph or (defaults) on one answering
// Hops from GraphAccess's default.
std::vector<std::string> InOrderRows(kg::store::GraphStore& store, const std::string& query,
                                     bool defaults = false) {
  kg::query::StoreGraph graph(store);
  DefaultHopsGraph with_defaults(graph);
  const kg::query::Map params = {{"p", kg::query::Value(int64_t{7})}};
  return defaults ? kg::testing::RowStrings(with_defaults, query, params)
                  : kg::testing::RowStrings(graph, query, params);
}

// The error of a query that must fail: its first line without the position (" at 1:38").
std::string ErrorOf(kg::store::GraphStore& store, const std::string& query) {
  kg::query::StoreGraph graph(store);
  auto result = kg::query::Execute(graph, query, {}, {});
  REQUIRE_FALSE(result.has_value());
  std::string message = result.error().message();
  message = message.substr(0, message.find('\n'));
  auto at = message.find(" at ");
  auto colon = message.find(": ");
  if (at != std::string::npos && colon != std::string::npos && at < colon) {
    message.erase(at, colon - at);
  }
  return message;
}

}  // namespace

TEST_CASE("a one-hop MATCH projected from its far end answers like the row-by-row path, in order",
          "[query][expand_fast_paths]") {
  TempDir dir;
  auto opened = kg::store::GraphStore::Open((dir.path() / "kg.db").string());
  REQUIRE(opened.has_value());
  auto& store = **opened;
  // Five start nodes named 'hub'; names of other types, missing (null is not stored), repeated;
  // self-loops (b.i = a.i); targets reached over two types (duplicate ends); nameless nodes.
  const std::vector<std::string> creates = {
      "UNWIND range(0, 29) AS i CREATE (n:N {i: i, name: CASE i % 6 WHEN 0 THEN 'hub' "
      "WHEN 1 THEN 1 WHEN 2 THEN [i, 'x'] WHEN 3 THEN null WHEN 4 THEN 'dup' "
      "ELSE 'n' + toString(i) END})",
      "MATCH (a:N), (b:N) WHERE b.i = (a.i * 7 + 3) % 30 OR b.i = (a.i * a.i) % 30 OR "
      "b.i = a.i CREATE (a)-[:R]->(b)",
      "MATCH (a:N), (b:N) WHERE b.i = (a.i * 7 + 3) % 30 CREATE (a)-[:S]->(b)",
      "MATCH (h:N {i: 0}) CREATE (h)-[:R]->(:Bare), (h)-[:S]->(:Bare), (h)<-[:S]-(:Bare)",
  };
  // The same graph in memory: GraphAccess's default Hops, NodesForProperties and
  // ForEachNodeValues.
  kg::query::MemoryGraph memory;
  const kg::query::Map params = {{"p", kg::query::Value(int64_t{7})}};
  for (const auto& create : creates) {
    InOrderRows(store, create);
    kg::testing::RowStrings(memory, create);
  }

  // The slow form: a WHERE true after the pattern (the rows are then made one by one).
  auto slow_form = [](std::string q) {
    auto at = q.find(" RETURN");
    if (at == std::string::npos || q.find(" WITH") < at) at = q.find(" WITH");
    return q.insert(at, " WHERE true");
  };
  const std::vector<std::string> queries = {
      "MATCH (a {name: 'hub'})-->(b) RETURN DISTINCT id(b) - 1 AS id, b.name AS name",
      "MATCH (a {name: 'hub'})-->(b) RETURN id(b) AS id, b.name AS name, b.missing AS m",
      "MATCH (a {name: 'hub'})--(b) RETURN DISTINCT b.name AS name",
      "MATCH (a {name: 'hub'})<-[:S]-(b) RETURN DISTINCT b.name AS name, 1 + id(b) AS k LIMIT 3",
      "MATCH (a {name: 'hub'})-[:R|S]->(b) RETURN DISTINCT b.name AS name "
      "ORDER BY name DESC SKIP 1 LIMIT 4",
      "MATCH (a:N {name: 'hub'})-->(b) WITH DISTINCT b.i AS i, b.name AS name RETURN i, name",
      "MATCH (a {name: 'hub'})-->(b) RETURN DISTINCT b AS b",
      "MATCH (a {name: 'hub'})-->(b) RETURN DISTINCT labels(b) AS l, b.i - 2 AS x",
      "MATCH (a {name: 'hub'})-->(b) RETURN b.name AS name LIMIT 5",
      "MATCH (a {name: 'hub'})-[:S]->(b) RETURN DISTINCT id(b) AS id, $p AS p",
  };
  for (const auto& q : queries) {
    INFO(q);
    auto fast = InOrderRows(store, q);
    CHECK_FALSE(fast.empty());
    CHECK(fast == InOrderRows(store, slow_form(q)));
    CHECK(fast == InOrderRows(store, q, /*defaults=*/true));
    auto in_memory = kg::testing::RowStrings(memory, q, params);
    CHECK(in_memory == kg::testing::RowStrings(memory, slow_form(q), params));
    // The fast path ran, and EXPLAIN shows it.
    kg::query::StoreGraph graph(store);
    auto profiled = kg::query::Execute(graph, "PROFILE " + q, params, {});
    REQUIRE(profiled.has_value());
    CHECK(kg::query::FormatPlan(*profiled).find("ExpandProject") != std::string::npos);
    auto explained = kg::query::Execute(graph, "EXPLAIN " + q, params, {});
    REQUIRE(explained.has_value());
    CHECK(kg::query::FormatPlan(*explained).find("ExpandProject") != std::string::npos);
    CHECK(explained->rows.empty());
  }
  CHECK(InOrderRows(store, "MATCH (a {name: 'nobody'})-->(b) RETURN DISTINCT b.name AS n")
            .empty());
  // Errors: the same, from the first row that fails.
  for (const std::string q :
       {"MATCH (a {name: 'hub'})-->(b) RETURN DISTINCT id(b) + 9223372036854775807 AS big",
        "MATCH (a {name: 'hub'})-->(b) RETURN b.name * 2 AS twice"}) {
    INFO(q);
    std::string error = ErrorOf(store, q);
    CHECK(error.find("Error") != std::string::npos);
    CHECK(error == ErrorOf(store, slow_form(q)));
  }
}
