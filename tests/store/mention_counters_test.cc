// The per-node mention counters (schema 2, docs/STORAGE.md "Counters"): what
// ReadView::ForEachNodeMentions answers must be what the edges and their evidence say, after
// every kind of write, after the upgrade of a schema-1 store, and verify must name a wrong one.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>
#include <tuple>

#include "kg/store/csv_import.h"
#include "kg/store/graph_store.h"
#include "store_test_util.h"
#include "test_support.h"

namespace {

using kg::store::Direction;
using kg::store::GraphStore;
using kg::store::NodeId;
using kg::testing::OpenStore;
using kg::testing::RequireVerified;
using kg::testing::TempDir;

// node -> (relationships, evidence) in `dir`, counted from the adjacency and edge records.
using MentionMap = std::map<NodeId, std::pair<uint64_t, uint64_t>>;

MentionMap MentionsByScan(GraphStore& store, Direction dir) {
  auto view = store.NewReadView();
  MentionMap out;
  for (NodeId node : view->NodeIds()) {
    std::set<kg::store::EdgeId> seen;  // kBoth lists a self-loop twice
    for (const auto& e : view->Edges(node, dir)) {
      if (!seen.insert(e.id).second) continue;
      auto& m = out[node];
      ++m.first;
      m.second += e.evidence_count;
    }
  }
  return out;
}

// nullopt when the store answers "no counters".
std::optional<MentionMap> MentionsByCounters(GraphStore& store, Direction dir) {
  auto view = store.NewReadView();
  MentionMap out;
  NodeId last = 0;
  bool ascending = true;
  bool ok = view->ForEachNodeMentions(dir, [&](const kg::store::ReadView::NodeMentions& m) {
    ascending = ascending && m.node > last;
    last = m.node;
    out[m.node] = {m.relationships, m.evidence};
    return true;
  });
  REQUIRE(view->status().ok());
  CHECK(ascending);
  if (!ok) return std::nullopt;
  return out;
}

void RequireMentionsMatch(GraphStore& store) {
  for (Direction dir : {Direction::kOut, Direction::kIn, Direction::kBoth}) {
    INFO("direction " << static_cast<int>(dir));
    auto counted = MentionsByCounters(store, dir);
    REQUIRE(counted.has_value());
    CHECK(*counted == MentionsByScan(store, dir));
  }
}

kg::store::Evidence EdgeEvidence(kg::store::EdgeId edge, const std::string& sentence) {
  kg::store::Evidence ev;
  ev.edge_or_node = edge;
  ev.sentence = sentence;
  ev.rule = "test";
  return ev;
}

}  // namespace

TEST_CASE("mention counters follow evidence, self-loops and deletions", "[store][mentions]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "db");
  NodeId a, b, c;
  kg::store::EdgeId ab, aa, ca;
  {
    auto batch = store->NewBatch();
    a = batch->CreateNode({"Person"}, {{"name", "A"}});
    b = batch->CreateNode({"Person"}, {{"name", "B"}});
    c = batch->CreateNode({"Place"}, {{"name", "C"}});
    ab = *batch->MergeEdge(a, "KNOWS", b, kg::EmptyProperties());
    aa = *batch->MergeEdge(a, "KNOWS", a, kg::EmptyProperties());
    ca = *batch->CreateEdge(c, "NEAR", a, kg::EmptyProperties());
    for (int i = 0; i < 2; ++i) REQUIRE(batch->AddEvidence(EdgeEvidence(ab, "a-b")).ok());
    for (int i = 0; i < 3; ++i) REQUIRE(batch->AddEvidence(EdgeEvidence(aa, "a-a")).ok());
    REQUIRE(batch->AddEvidence(EdgeEvidence(ca, "c-a")).ok());
    REQUIRE(store->Commit(*batch).ok());
  }
  RequireMentionsMatch(*store);
  RequireVerified(*store);
  // Undirected: the self-loop once, with its three records once.
  auto both = MentionsByCounters(*store, Direction::kBoth);
  REQUIRE(both.has_value());
  CHECK((*both)[a] == std::pair<uint64_t, uint64_t>{3, 6});
  CHECK((*both)[b] == std::pair<uint64_t, uint64_t>{1, 2});

  SECTION("evidence added later, an edge created and deleted in one batch") {
    auto batch = store->NewBatch();
    REQUIRE(batch->AddEvidence(EdgeEvidence(aa, "a-a again")).ok());
    auto bc = *batch->CreateEdge(b, "KNOWS", c, kg::EmptyProperties());
    REQUIRE(batch->AddEvidence(EdgeEvidence(bc, "b-c")).ok());
    REQUIRE(batch->DeleteEdge(bc).ok());
    REQUIRE(store->Commit(*batch).ok());
    RequireMentionsMatch(*store);
    RequireVerified(*store);
  }
  SECTION("a deleted self-loop and a detached node") {
    auto batch = store->NewBatch();
    REQUIRE(batch->DeleteEdge(aa).ok());
    REQUIRE(store->Commit(*batch).ok());
    RequireMentionsMatch(*store);
    RequireVerified(*store);
    auto batch2 = store->NewBatch();
    REQUIRE(batch2->DeleteNode(a, /*detach=*/true).ok());
    REQUIRE(store->Commit(*batch2).ok());
    RequireMentionsMatch(*store);
    RequireVerified(*store);
    CHECK(MentionsByCounters(*store, Direction::kBoth)->empty());
  }
  SECTION("extracted documents") {
    REQUIRE(store->WriteExtraction(kg::testing::MakeExtraction("d1", "A", "Person", "B",
                                                                "Person", "KNOWS"))
                .has_value());
    REQUIRE(store->WriteExtraction(kg::testing::MakeExtraction("d2", "B", "Person", "B",
                                                                "Person", "MEETS"))
                .has_value());
    RequireMentionsMatch(*store);
    RequireVerified(*store);
  }
}

TEST_CASE("bulk and batch imports write the same mention counters", "[store][mentions]") {
  TempDir dir;
  kg::testing::WriteFile(dir.path() / "nodes.csv",
                         "id,name,type\n0,A,Person\n1,B,Person\n2,C,Place\n3,Lonely,Place\n");
  kg::testing::WriteFile(dir.path() / "edges.csv",
                         "src,dst,type,polarity,weight,doc_id\n0,1,KNOWS,0,1,d1\n"
                         "0,1,KNOWS,0,1,d2\n0,0,KNOWS,0,1,d3\n0,0,KNOWS,0,1,d4\n"
                         "2,0,NEAR,0,1,d5\n1,0,KNOWS,0,1,d6\n");
  for (bool batches : {false, true}) {
    INFO((batches ? "batches" : "bulk"));
    auto store = OpenStore(dir.path() / (batches ? "batch.db" : "bulk.db"));
    kg::store::CsvImportOptions options;
    options.bulk = !batches;
    REQUIRE(kg::store::ImportCsv(*store, (dir.path() / "nodes.csv").string(),
                                 (dir.path() / "edges.csv").string(), options)
                .has_value());
    RequireMentionsMatch(*store);
    RequireVerified(*store);
    auto both = MentionsByCounters(*store, Direction::kBoth);
    CHECK((*both)[1] == std::pair<uint64_t, uint64_t>{4, 6});  // A: A-B 2, A-A 2, C-A, B-A
  }
}

TEST_CASE("verify names a wrong mention counter", "[store][mentions][verify]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "db");
  REQUIRE(store->WriteExtraction(
                   kg::testing::MakeExtraction("d1", "A", "Person", "B", "Person", "KNOWS"))
              .has_value());
  RequireVerified(*store);
  namespace in = kg::store::internal;
  auto* impl = dynamic_cast<in::StoreImpl*>(store.get());
  REQUIRE(impl != nullptr);
  NodeId a = store->NewReadView()->FindByName("A").at(0);
  in::MentionLanes extra{};
  extra[in::kInEvidence] = 2;
  REQUIRE(impl->db()
              ->Merge(rocksdb::WriteOptions(), impl->cf(in::kCounters), in::MentionKey(a),
                      in::MentionValue(extra))
              .ok());
  auto report = kg::store::VerifyStore(*store);
  REQUIRE(report.has_value());
  CHECK_FALSE(report->ok());
  REQUIRE(report->problems.size() == 1);
  CHECK(report->problems[0] == "counter mentions of node " + std::to_string(a) +
                                   " in-edge evidence: stored 2, counted 0");
}

TEST_CASE("a schema-1 store is read without mention counters and upgraded by a writer",
          "[store][mentions][open]") {
  TempDir dir;
  auto path = dir.path() / "db";
  {
    auto store = OpenStore(path);
    REQUIRE(store->WriteExtraction(
                     kg::testing::MakeExtraction("d1", "A", "Person", "B", "Person", "KNOWS"))
                .has_value());
    REQUIRE(store->WriteExtraction(
                     kg::testing::MakeExtraction("d2", "A", "Person", "A", "Person", "KNOWS"))
                .has_value());
    REQUIRE(store->WriteExtraction(
                     kg::testing::MakeExtraction("d3", "C", "Place", "A", "Person", "NEAR"))
                .has_value());
  }
  kg::testing::DowngradeToSchema1(path);
  {
    auto store = OpenStore(path, kg::store::OpenMode::kReadOnly);
    CHECK_FALSE(MentionsByCounters(*store, Direction::kBoth).has_value());
    RequireVerified(*store);  // a schema-1 store has no mention counters to check
  }
  {
    auto store = OpenStore(path);  // upgrades
    RequireMentionsMatch(*store);
    RequireVerified(*store);
    auto both = MentionsByCounters(*store, Direction::kBoth);
    NodeId a = store->NewReadView()->FindByName("A").at(0);
    CHECK((*both)[a] == std::pair<uint64_t, uint64_t>{3, 3});
  }
  auto store = OpenStore(path, kg::store::OpenMode::kReadOnly);
  RequireMentionsMatch(*store);
}

TEST_CASE("a damaged edge record fails the upgrade and leaves the store as it was",
          "[store][mentions][open]") {
  namespace in = kg::store::internal;
  TempDir dir;
  auto path = dir.path() / "db";
  {
    auto store = OpenStore(path);
    REQUIRE(store->WriteExtraction(
                     kg::testing::MakeExtraction("d1", "A", "Person", "B", "Person", "KNOWS"))
                .has_value());
    // The edge's target (bytes 12-19 of its record) now points far past the node counter:
    // growing the upgrade's per-node table to it would ask for exabytes.
    auto* impl = dynamic_cast<in::StoreImpl*>(store.get());
    REQUIRE(impl != nullptr);
    std::string record;
    REQUIRE(impl->db()->Get(rocksdb::ReadOptions(), impl->cf(in::kEdges), in::U64Key(1), &record)
                .ok());
    REQUIRE(record.size() >= 20);
    std::string damaged = record.substr(0, 12) + in::U64Key(uint64_t{1} << 62) + record.substr(20);
    REQUIRE(impl->db()
                ->Put(rocksdb::WriteOptions(), impl->cf(in::kEdges), in::U64Key(1), damaged)
                .ok());
  }
  kg::testing::DowngradeToSchema1(path);
  kg::store::OpenOptions options;
  auto failed = GraphStore::Open(path.string(), options);
  REQUIRE_FALSE(failed.has_value());
  CHECK_THAT(failed.error().message(),
             Catch::Contains("edge 1 names a node past the node counter while upgrading"));
  // Nothing was written: still schema 1 (no counters), still readable.
  auto reader = OpenStore(path, kg::store::OpenMode::kReadOnly);
  CHECK(reader->NewReadView()->Stats().documents == 1);
  CHECK_FALSE(MentionsByCounters(*reader, Direction::kBoth).has_value());
}
