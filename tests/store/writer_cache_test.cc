// The writer remembers committed names and nodes between batches (store/src/graph_batch_cache.h).
// These tests pin what it must never do: remember a batch that did not commit, or keep a name
// a committed batch removed.

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "kg/store/graph_store.h"
#include "kg/store/names.h"
#include "kg/store/verify.h"
#include "store_test_util.h"
#include "test_support.h"

namespace {

using kg::store::GraphStore;
using kg::store::NodeId;
using kg::testing::MakeExtraction;
using kg::testing::OpenStore;
using kg::testing::RequireVerified;
using kg::testing::TempDir;

uint64_t NodeCount(GraphStore& store) { return store.NewReadView()->Stats().nodes; }

TEST_CASE("An entity from a batch that failed to commit is not found by later batches",
          "[store][writer_cache]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "db");
  auto first = store->WriteExtraction(MakeExtraction("d1", "Alice", "Person", "Acme", "Organization",
                                                     "WORKS_FOR"));
  REQUIRE(first.has_value());
  REQUIRE(first->nodes_created == 2);

  store->TEST_FailNextCommit();
  auto failed = store->WriteExtraction(
      MakeExtraction("d2", "Bob", "Person", "Acme", "Organization", "WORKS_FOR"));
  REQUIRE_FALSE(failed.has_value());
  CHECK(NodeCount(*store) == 2);

  // Bob is new again (the failed batch created him only in memory); Acme is still the node the
  // first document made.
  auto again = store->WriteExtraction(
      MakeExtraction("d2", "Bob", "Person", "Acme", "Organization", "WORKS_FOR"));
  REQUIRE(again.has_value());
  CHECK_FALSE(again->duplicate);
  CHECK(again->nodes_created == 1);
  CHECK(again->nodes_merged == 1);
  CHECK(again->entity_nodes[1] == first->entity_nodes[1]);
  CHECK(NodeCount(*store) == 3);

  // And a third mention of Bob resolves to the node that did commit.
  auto third = store->WriteExtraction(
      MakeExtraction("d3", "Bob", "Person", "Alice", "Person", "KNOWS"));
  REQUIRE(third.has_value());
  CHECK(third->nodes_created == 0);
  CHECK(third->entity_nodes[0] == again->entity_nodes[0]);
  CHECK(third->entity_nodes[1] == first->entity_nodes[0]);
  RequireVerified(*store);
}

TEST_CASE("A renamed or deleted node stops matching its old name in later batches",
          "[store][writer_cache]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "db");
  auto first = store->WriteExtraction(MakeExtraction("d1", "Alice", "Person", "Acme", "Organization",
                                                     "WORKS_FOR"));
  REQUIRE(first.has_value());
  NodeId alice = first->entity_nodes[0];
  NodeId acme = first->entity_nodes[1];

  {
    auto batch = store->NewBatch();
    REQUIRE(batch->SetNodeProperties(alice, {{"name", "Alicia"}, {"aliases", nlohmann::json::array()}})
                .ok());
    REQUIRE(store->Commit(*batch).ok());
  }
  auto renamed = store->WriteExtraction(
      MakeExtraction("d2", "Alicia", "Person", "Alice", "Person", "KNOWS"));
  REQUIRE(renamed.has_value());
  CHECK(renamed->entity_nodes[0] == alice);  // the new name resolves to the node
  CHECK(renamed->entity_nodes[1] != alice);  // the old one no longer does
  NodeId new_alice = renamed->entity_nodes[1];

  {
    auto batch = store->NewBatch();
    REQUIRE(batch->DeleteNode(acme, /*detach=*/true).ok());
    REQUIRE(store->Commit(*batch).ok());
  }
  auto after_delete = store->WriteExtraction(
      MakeExtraction("d3", "Alice", "Person", "Acme", "Organization", "WORKS_FOR"));
  REQUIRE(after_delete.has_value());
  CHECK(after_delete->entity_nodes[0] == new_alice);
  CHECK(after_delete->entity_nodes[1] != acme);
  CHECK(after_delete->nodes_created == 1);
  RequireVerified(*store);
}

TEST_CASE("A batch that is dropped without commit leaves later batches resolving as before",
          "[store][writer_cache]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "db");
  REQUIRE(store->WriteExtraction(
                   MakeExtraction("d1", "Alice", "Person", "Acme", "Organization", "WORKS_FOR"))
              .has_value());
  {
    auto batch = store->NewBatch();
    bool created = false;
    auto bob = batch->UpsertEntity({"Bob", "Person", {"Robert"}, kg::EmptyProperties(), 1},
                                   &created);
    REQUIRE(bob.has_value());
    CHECK(created);
    auto acme = batch->UpsertEntity({"Acme", "Organization", {"Acme Corp"}, kg::EmptyProperties(),
                                     1},
                                    &created);
    REQUIRE(acme.has_value());
    CHECK_FALSE(created);
  }  // dropped
  auto next = store->WriteExtraction(
      MakeExtraction("d2", "Robert", "Person", "Acme Corp", "Organization", "WORKS_FOR"));
  REQUIRE(next.has_value());
  CHECK(next->nodes_created == 2);  // neither alias was ever stored
  CHECK(NodeCount(*store) == 4);
  RequireVerified(*store);
}

TEST_CASE("The writer's resolution is the same after reopening the store",
          "[store][writer_cache]") {
  TempDir dir;
  NodeId alice = 0;
  {
    auto store = OpenStore(dir.path() / "db");
    auto first = store->WriteExtraction(
        MakeExtraction("d1", "Alice", "Person", "Acme", "Organization", "WORKS_FOR"));
    REQUIRE(first.has_value());
    alice = first->entity_nodes[0];
  }
  auto store = OpenStore(dir.path() / "db");
  auto second = store->WriteExtraction(
      MakeExtraction("d2", "ALICE", "Person", "Zed", "Person", "KNOWS"));
  REQUIRE(second.has_value());
  CHECK(second->entity_nodes[0] == alice);
  CHECK(second->nodes_created == 1);
}

TEST_CASE("NormalizeName gives ASCII text the same key as the Unicode path would",
          "[store][names]") {
  using kg::store::NormalizeName;
  // A trailing non-ASCII letter sends the text down the utf8proc path; "é" folds to itself.
  const std::string e_acute = "\xC3\xA9";
  for (int c = 0; c < 128; ++c) {
    std::string text = std::string("Ab") + static_cast<char>(c) + "  Cd";
    INFO("byte " << c);
    CHECK(NormalizeName(text) + e_acute == NormalizeName(text + e_acute));
  }
  CHECK(NormalizeName("  The  WHITE\tHouse \n") == "the white house");
  CHECK(NormalizeName("\t \n") == "");
  CHECK(NormalizeName("O'Neill-SMITH (Jr.)") == "o'neill-smith (jr.)");
}

}  // namespace
