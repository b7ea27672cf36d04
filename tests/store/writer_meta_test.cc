// What the writer skips (store/src/graph_batch.cc, docs/STORAGE.md "The writer's cache"): id
// counters a batch did not move are not rewritten in `meta`, and a names index small enough is
// read whole once so that a new name costs no seek. These tests pin that neither changes what is
// stored or how names resolve: ids stay unique over failed commits and reopening, and names
// committed before the open, by earlier batches, or removed since resolve as the index says.

#include <catch2/catch.hpp>

#include <string>

#include "kg/store/graph_store.h"
#include "store_test_util.h"
#include "test_support.h"

namespace {

using kg::store::GraphStore;
using kg::store::NodeId;
using kg::store::internal::StoreImpl;
using kg::testing::MakeExtraction;
using kg::testing::OpenStore;
using kg::testing::RequireVerified;
using kg::testing::TempDir;

// A document that mentions `a` and `b` and no relation between them.
kg::Extraction EntitiesOnly(const std::string& external_id, const std::string& a,
                            const std::string& b) {
  auto x = MakeExtraction(external_id, a, "Person", b, "Organization", "UNUSED");
  x.relations.clear();
  return x;
}

StoreImpl& Impl(GraphStore& store) { return dynamic_cast<StoreImpl&>(store); }

TEST_CASE("Ids a failed batch took are never reused, also when later batches make no edge",
          "[store][writer_meta]") {
  TempDir dir;
  {
    auto store = OpenStore(dir.path() / "db");
    auto first = store->WriteExtraction(
        MakeExtraction("d1", "Alice", "Person", "Acme", "Organization", "WORKS_FOR"));
    REQUIRE(first.has_value());
    REQUIRE(store->WriteExtraction(EntitiesOnly("d2", "Alice", "Acme")).has_value());

    // Takes edge id 2, type id 2 (KNOWS) and a node id, then fails.
    store->TEST_FailNextCommit();
    REQUIRE_FALSE(
        store->WriteExtraction(MakeExtraction("d3", "Alice", "Person", "Bob", "Person", "KNOWS"))
            .has_value());
    // Moves no edge or type counter: what it writes must still carry the skipped ids.
    REQUIRE(store->WriteExtraction(EntitiesOnly("d4", "Alice", "Acme")).has_value());
    RequireVerified(*store);
  }
  auto store = OpenStore(dir.path() / "db");
  auto& impl = Impl(*store);
  CHECK(impl.next_edge_ == 3);
  CHECK(impl.next_type_ == 3);
  auto batch = store->NewBatch();
  bool created = false;
  auto carol = batch->UpsertEntity({"Carol", "Person", {}, kg::EmptyProperties(), 1}, &created);
  REQUIRE(carol.has_value());
  auto dave = batch->UpsertEntity({"Dave", "Person", {}, kg::EmptyProperties(), 1}, &created);
  REQUIRE(dave.has_value());
  auto edge = batch->MergeEdge(*carol, "KNOWS", *dave, kg::EmptyProperties(), &created);
  REQUIRE(edge.has_value());
  CHECK(*edge == 3);
  REQUIRE(store->Commit(*batch).ok());
  CHECK(impl.TypeId("KNOWS") == std::optional<uint32_t>(3));
  RequireVerified(*store);
}

TEST_CASE("Every id counter a batch moved is stored by that batch", "[store][writer_meta]") {
  TempDir dir;
  uint64_t next_node = 0, next_edge = 0, next_doc = 0, next_evidence = 0;
  uint32_t next_type = 0;
  {
    auto store = OpenStore(dir.path() / "db");
    for (int i = 0; i < 6; ++i) {
      auto x = i % 2 == 0 ? MakeExtraction("d" + std::to_string(i), "Alice", "Person",
                                           "Org" + std::to_string(i), "Organization",
                                           "TYPE" + std::to_string(i % 4))
                          : EntitiesOnly("d" + std::to_string(i), "Alice", "Acme");
      REQUIRE(store->WriteExtraction(x).has_value());
    }
    auto& impl = Impl(*store);
    next_node = impl.next_node_;
    next_edge = impl.next_edge_;
    next_doc = impl.next_doc_;
    next_evidence = impl.next_evidence_;
    next_type = impl.next_type_;
  }
  auto store = OpenStore(dir.path() / "db");
  auto& impl = Impl(*store);
  CHECK(impl.next_node_ == next_node);
  CHECK(impl.next_edge_ == next_edge);
  CHECK(impl.next_doc_ == next_doc);
  CHECK(impl.next_evidence_ == next_evidence);
  CHECK(impl.next_type_ == next_type);
  RequireVerified(*store);
}

TEST_CASE("A writer that read the whole names index resolves old, new and removed names",
          "[store][writer_meta]") {
  TempDir dir;
  NodeId alice = 0, acme = 0;
  {
    auto store = OpenStore(dir.path() / "db");
    auto first = store->WriteExtraction(
        MakeExtraction("d1", "Alice", "Person", "Acme", "Organization", "WORKS_FOR"));
    REQUIRE(first.has_value());
    alice = first->entity_nodes[0];
    acme = first->entity_nodes[1];
  }
  auto store = OpenStore(dir.path() / "db");
  auto& cache = Impl(*store).writer_cache_;
  CHECK_FALSE(cache.names_complete());

  // Names stored before this open resolve to their nodes; a new one makes a node.
  auto second = store->WriteExtraction(
      MakeExtraction("d2", "Alice", "Person", "Carol", "Person", "KNOWS"));
  REQUIRE(second.has_value());
  CHECK(cache.names_complete());
  CHECK(second->entity_nodes[0] == alice);
  CHECK(second->nodes_created == 1);
  NodeId carol = second->entity_nodes[1];

  // A name a batch of this writer added is found without the index.
  auto third = store->WriteExtraction(
      MakeExtraction("d3", "Carol", "Person", "Acme", "Organization", "WORKS_FOR"));
  REQUIRE(third.has_value());
  CHECK(third->entity_nodes[0] == carol);
  CHECK(third->entity_nodes[1] == acme);
  CHECK(third->nodes_created == 0);

  // A failed commit empties the cache; the next batch reads the index again, without the names
  // of the failed batch.
  store->TEST_FailNextCommit();
  REQUIRE_FALSE(store->WriteExtraction(
                         MakeExtraction("d4", "Erin", "Person", "Acme", "Organization", "KNOWS"))
                    .has_value());
  CHECK_FALSE(cache.names_complete());
  auto fifth = store->WriteExtraction(
      MakeExtraction("d4", "Erin", "Person", "Carol", "Person", "KNOWS"));
  REQUIRE(fifth.has_value());
  CHECK(cache.names_complete());
  CHECK(fifth->nodes_created == 1);
  CHECK(fifth->entity_nodes[1] == carol);

  // A deleted node's name is gone from the complete cache too.
  {
    auto batch = store->NewBatch();
    REQUIRE(batch->DeleteNode(acme, /*detach=*/true).ok());
    REQUIRE(store->Commit(*batch).ok());
  }
  auto sixth = store->WriteExtraction(
      MakeExtraction("d6", "Alice", "Person", "Acme", "Organization", "WORKS_FOR"));
  REQUIRE(sixth.has_value());
  CHECK(sixth->entity_nodes[0] == alice);
  CHECK(sixth->entity_nodes[1] != acme);
  CHECK(sixth->nodes_created == 1);
  RequireVerified(*store);
}

TEST_CASE("The complete names cache takes the names commits add and ends when emptied",
          "[store][writer_meta]") {
  kg::store::internal::GraphBatchCache cache;
  CHECK(cache.ShouldLoadAllNames());
  cache.NoteNamesLoadTried();
  CHECK_FALSE(cache.ShouldLoadAllNames());
  // Not complete: a name it does not hold is not added (the index may list more ids for it).
  cache.ApplyNameAdded("bob", 7);
  CHECK(cache.FindName("bob") == nullptr);

  cache.SetAllNames({{"alice", {1}}});
  CHECK(cache.names_complete());
  cache.ApplyNameAdded("bob", 7);
  REQUIRE(cache.FindName("bob") != nullptr);
  CHECK(*cache.FindName("bob") == std::vector<NodeId>{7});
  cache.ApplyNameRemoved("alice", 1);
  REQUIRE(cache.FindName("alice") != nullptr);
  CHECK(cache.FindName("alice")->empty());

  cache.Clear();
  CHECK_FALSE(cache.names_complete());
  CHECK(cache.ShouldLoadAllNames());
  CHECK(cache.FindName("bob") == nullptr);
}

}  // namespace

namespace {

// What EncodeNode wrote before it was written piece by piece: to_cbor of the whole map.
std::string NodeCborAsMap(const kg::store::internal::NodeRecord& node) {
  nlohmann::json j = nlohmann::json::object();
  j["l"] = node.labels;
  j["p"] = node.properties.is_object() ? node.properties : kg::EmptyProperties();
  if (!node.label_votes.empty()) j["w"] = node.label_votes;
  auto bytes = nlohmann::json::to_cbor(j);
  return std::string(bytes.begin(), bytes.end());
}

TEST_CASE("A node record is encoded as the CBOR of its whole map, byte for byte",
          "[store][writer_meta]") {
  using kg::store::internal::NodeRecord;
  std::vector<NodeRecord> records;
  records.push_back({{"Person"}, {{"name", "Alice"}, {"aliases", {"Al", "A. Smith"}}},
                     {{"Person", 3}, {"Organization", 1}}});
  records.push_back({{}, kg::EmptyProperties(), {}});
  records.push_back({{"A", "B"}, {{"n", 1}, {"x", {{"deep", {1.5, nullptr, true}}}}}, {}});
  records.push_back({{"Place"}, nlohmann::json::array(), {{"Place", 1}}});  // not a map
  std::string long_name(300, 'x');
  records.push_back({{"Other"}, {{"name", long_name}}, {{"Other", 1ull << 40}}});
  for (const auto& r : records) {
    auto encoded = kg::store::internal::EncodeNode(r);
    CHECK(encoded == NodeCborAsMap(r));
    auto decoded = kg::store::internal::DecodeNode(encoded);
    REQUIRE(decoded.has_value());
    CHECK(decoded->labels == r.labels);
    CHECK(decoded->label_votes == r.label_votes);
  }
}

}  // namespace
