#include "kg/store/graph_store.h"

#include <catch2/catch.hpp>

#include <rocksdb/db.h>

#include <algorithm>
#include <filesystem>

#include "kg/store/names.h"
#include "kg/store/verify.h"
#include "store_test_util.h"
#include "test_support.h"

namespace {

using kg::store::Direction;
using kg::store::GraphStore;
using kg::store::OpenMode;
using kg::store::OpenOptions;
using kg::testing::MakeExtraction;
using kg::testing::OpenStore;
using kg::testing::RequireVerified;
using kg::testing::TempDir;

}  // namespace

TEST_CASE("names normalise by NFKC, case fold and collapsed spaces", "[store][names]") {
  using kg::store::NormalizeName;
  CHECK(NormalizeName("Shinzo  ABE") == "shinzo abe");
  CHECK(NormalizeName("  shinzo\tabe \n") == "shinzo abe");
  CHECK(NormalizeName("\xEF\xBC\xB3hinzo Abe") == "shinzo abe");  // fullwidth S
  CHECK(NormalizeName("STRASSE") == NormalizeName("Stra\xC3\x9F" "e"));  // ß folds to ss
  CHECK(NormalizeName("") == "");
  CHECK(NormalizeName("\xff\xfe" "AB") == "\xff\xfe" "ab");  // invalid UTF-8 still yields a key
}

TEST_CASE("a written document can be read back whole", "[store][write]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "db");
  auto x = MakeExtraction("d1", "Angela Merkel", "Person", "Germany", "Country", "LEADER_OF");
  auto summary = store->WriteExtraction(x);
  REQUIRE(summary.has_value());
  CHECK_FALSE(summary->duplicate);
  CHECK(summary->nodes_created == 2);
  CHECK(summary->edges_created == 1);
  CHECK(summary->evidence_added == 3);  // two node mentions + one relation sentence

  auto view = store->NewReadView();
  auto doc = view->GetDocument(summary->doc);
  REQUIRE(doc.has_value());
  CHECK(doc->text == x.doc.text);
  CHECK(doc->title == x.doc.title);
  CHECK(view->GetDocumentByExternalId("d1")->id == summary->doc);
  CHECK(view->GetDocumentByHash("hash-d1")->id == summary->doc);

  auto merkel = view->FindByName("angela  MERKEL");
  REQUIRE(merkel.size() == 1);
  auto node = view->GetNode(merkel[0]);
  REQUIRE(node.has_value());
  CHECK(node->name() == "Angela Merkel");
  CHECK(node->labels == std::vector<std::string>{"Person"});

  auto out = view->Edges(merkel[0], Direction::kOut);
  REQUIRE(out.size() == 1);
  CHECK(out[0].type == "LEADER_OF");
  CHECK(out[0].evidence_count == 1);
  auto evidence = view->EdgeEvidence(out[0].id);
  REQUIRE(evidence.size() == 1);
  CHECK(evidence[0].sentence == "Angela Merkel LEADER_OF Germany.");
  CHECK(evidence[0].rule == "test:rule");
  CHECK(evidence[0].doc == summary->doc);
  CHECK(view->Degree(merkel[0], Direction::kOut) == 1);
  CHECK(view->Degree(merkel[0], Direction::kOut, "LEADER_OF") == 1);
  CHECK(view->Degree(merkel[0], Direction::kIn) == 0);
  CHECK(view->NodeEvidence(merkel[0]).size() == 1);
  CHECK(view->NodesWithLabel("Country").size() == 1);
  RequireVerified(*store);
}

TEST_CASE("the same fact twice is one edge with two evidence records", "[store][write]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "db");
  REQUIRE(store->WriteExtraction(MakeExtraction("d1", "France", "Country", "NATO",
                                                "Organization", "MEMBER_OF")));
  auto second = store->WriteExtraction(
      MakeExtraction("d2", "france", "Country", "Nato", "Organization", "MEMBER_OF"));
  REQUIRE(second.has_value());
  CHECK(second->nodes_merged == 2);
  CHECK(second->edges_merged == 1);
  CHECK(second->edges_created == 0);
  auto view = store->NewReadView();
  auto stats = view->Stats();
  CHECK(stats.nodes == 2);
  CHECK(stats.edges == 1);
  CHECK(stats.documents == 2);
  auto france = view->FindByName("France");
  REQUIRE(france.size() == 1);
  auto edges = view->Edges(france[0], Direction::kOut, "MEMBER_OF");
  REQUIRE(edges.size() == 1);
  CHECK(edges[0].evidence_count == 2);
  CHECK(view->EdgeEvidence(edges[0].id).size() == 2);
  // The second spelling became an alias only if it normalises differently: it does not.
  CHECK(view->GetNode(france[0])->aliases().empty());
  RequireVerified(*store);
}

TEST_CASE("a re-written document adds nothing", "[store][write]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "db");
  auto x = MakeExtraction("d1", "A", "Person", "B", "Person", "MEETS");
  auto first = store->WriteExtraction(x);
  REQUIRE(first.has_value());
  auto before = store->NewReadView()->Stats();
  auto again = store->WriteExtraction(x);
  REQUIRE(again.has_value());
  CHECK(again->duplicate);
  CHECK(again->doc == first->doc);
  auto after = store->NewReadView()->Stats();
  CHECK(after.nodes == before.nodes);
  CHECK(after.edges == before.edges);
  CHECK(after.evidence == before.evidence);
  CHECK(after.documents == 1);
  CHECK(store->HasDocument("hash-d1").value());
  CHECK_FALSE(store->HasDocument("hash-other").value());
}

TEST_CASE("aliases accumulate and labels follow the weight of evidence", "[store][resolve]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "db");
  auto x = MakeExtraction("d1", "Shinzo Abe", "Person", "Japan", "Country", "LEADER_OF");
  x.entities[0].aliases = {"Abe", "Mr. Abe"};
  REQUIRE(store->WriteExtraction(x));
  // Found by alias; the alias spelled differently adds nothing new.
  REQUIRE(store->WriteExtraction(MakeExtraction("d2", "ABE", "Person", "Tokyo", "Place",
                                                "LOCATED_IN")));
  // Japan: one vote for Country (d1), then two for Organization (d3, d4).
  REQUIRE(store->WriteExtraction(MakeExtraction("d3", "X", "Person", "Japan", "Organization",
                                                "MEETS")));
  REQUIRE(store->WriteExtraction(MakeExtraction("d4", "Y", "Person", "Japan", "Organization",
                                                "MEETS")));
  auto view = store->NewReadView();
  auto abe = view->FindByName("abe");
  REQUIRE(abe.size() == 1);
  CHECK(view->FindByName("Shinzo Abe") == abe);
  CHECK(view->FindByName("mr. abe") == abe);
  auto node = view->GetNode(abe[0]);
  CHECK(node->aliases() == std::vector<std::string>{"Abe", "Mr. Abe"});
  CHECK(view->Degree(abe[0], Direction::kOut) == 2);
  auto japan = view->FindByName("Japan");
  REQUIRE(japan.size() == 1);
  // Country 1 vote (d1), Organization 2 votes (d3, d4): Organization.
  CHECK(view->GetNode(japan[0])->labels == std::vector<std::string>{"Organization"});
  CHECK(view->Stats().labels.at("Organization") == 1);
  CHECK(view->Stats().labels.count("Country") == 0);
  RequireVerified(*store);
}

TEST_CASE("names that can name one thing: one's words in order among the other's",
          "[store][names][resolve]") {
  using kg::store::NamesMayCorefer;
  CHECK(NamesMayCorefer("abe", "shinzo abe"));
  CHECK(NamesMayCorefer("shinzo abe", "abe"));
  CHECK(NamesMayCorefer("george bush", "george w. bush"));
  CHECK(NamesMayCorefer("george w bush", "george w. bush"));
  CHECK(NamesMayCorefer("united", "manchester united"));
  CHECK_FALSE(NamesMayCorefer("barry ferguson", "alex ferguson"));
  CHECK_FALSE(NamesMayCorefer("manchester united", "newcastle united"));
  CHECK_FALSE(NamesMayCorefer("abe shinzo", "shinzo abe"));  // order counts
  CHECK_FALSE(NamesMayCorefer("", "abe"));
  CHECK_FALSE(NamesMayCorefer("ab", "abe"));  // whole words only
  CHECK(NamesMayCorefer("mr. abe", "shinzo abe"));  // a leading honorific is no given name
  CHECK(NamesMayCorefer("sir alex ferguson", "alex ferguson"));
  CHECK(kg::store::NameWordCount("mr. shinzo abe") == 2);
  CHECK(kg::store::NameWordCount("abe") == 1);
}

TEST_CASE("an alias two people share does not merge them", "[store][resolve]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "db");
  auto alex = MakeExtraction("d1", "Alex Ferguson", "Person", "Manchester United",
                             "Organization", "WORKS_FOR");
  alex.entities[0].aliases = {"Ferguson"};
  REQUIRE(store->WriteExtraction(alex));
  auto barry = MakeExtraction("d2", "Barry Ferguson", "Person", "Rangers", "Organization",
                              "WORKS_FOR");
  barry.entities[0].aliases = {"Ferguson"};
  auto written = store->WriteExtraction(barry);
  REQUIRE(written.has_value());
  CHECK(written->nodes_created == 2);
  // A later article that names him in full with the surname as alias finds him again, and
  // one that says only "Ferguson" is still found through the alias (here: both are).
  auto again = MakeExtraction("d3", "Alex Ferguson", "Person", "Old Trafford", "Place",
                              "LOCATED_IN");
  again.entities[0].aliases = {"Sir Alex Ferguson"};
  REQUIRE(store->WriteExtraction(again));
  auto view = store->NewReadView();
  auto alex_ids = view->FindByName("Alex Ferguson");
  auto barry_ids = view->FindByName("Barry Ferguson");
  REQUIRE(alex_ids.size() == 1);
  REQUIRE(barry_ids.size() == 1);
  CHECK(alex_ids != barry_ids);
  CHECK(view->GetNode(alex_ids[0])->aliases() ==
        std::vector<std::string>{"Ferguson", "Sir Alex Ferguson"});
  CHECK(view->GetNode(barry_ids[0])->aliases() == std::vector<std::string>{"Ferguson"});
  CHECK(view->Degree(alex_ids[0], Direction::kOut) == 2);
  CHECK(view->Degree(barry_ids[0], Direction::kOut) == 1);
  CHECK(view->FindByName("Ferguson").size() == 2);
  // A full name whose surname-only node came first joins it ("Putin", then "Vladimir Putin"),
  // and the node takes the full name; the short one stays an alias.
  REQUIRE(store->WriteExtraction(MakeExtraction("d4", "Putin", "Person", "Russia", "Country",
                                                "LEADER_OF")));
  auto full = MakeExtraction("d5", "Vladimir Putin", "Person", "Kremlin", "Place", "LIVES_IN");
  full.entities[0].aliases = {"Putin"};
  REQUIRE(store->WriteExtraction(full));
  auto putin = store->NewReadView()->FindByName("Vladimir Putin");
  REQUIRE(putin.size() == 1);
  CHECK(store->NewReadView()->FindByName("Putin") == putin);
  auto putin_node = store->NewReadView()->GetNode(putin[0]);
  CHECK(putin_node->name() == "Vladimir Putin");
  CHECK(putin_node->aliases() == std::vector<std::string>{"Putin"});
  CHECK(store->NewReadView()->Degree(putin[0], Direction::kOut) == 2);
  RequireVerified(*store);
}

TEST_CASE("a surname-only node takes one full name, not every one", "[store][resolve]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "db");
  REQUIRE(store->WriteExtraction(MakeExtraction("d1", "Brown", "Person", "Labour",
                                                "Organization", "MEMBER_OF")));
  auto steve = MakeExtraction("d2", "Steve Brown", "Person", "Charlton", "Organization",
                              "WORKS_FOR");
  steve.entities[0].aliases = {"Brown"};
  REQUIRE(store->WriteExtraction(steve));
  auto dan = MakeExtraction("d3", "Dan Brown", "Person", "Random House", "Organization",
                            "WORKS_FOR");
  dan.entities[0].aliases = {"Brown"};
  auto written = store->WriteExtraction(dan);
  REQUIRE(written.has_value());
  auto view = store->NewReadView();
  auto steve_ids = view->FindByName("Steve Brown");
  auto dan_ids = view->FindByName("Dan Brown");
  REQUIRE(steve_ids.size() == 1);
  REQUIRE(dan_ids.size() == 1);
  // Before: one node "Brown" with both full names as aliases and all three articles' edges.
  CHECK(steve_ids != dan_ids);
  CHECK(view->Degree(steve_ids[0], Direction::kOut) == 2);  // the "Brown" article's and d2's
  CHECK(view->Degree(dan_ids[0], Direction::kOut) == 1);
  CHECK(view->FindByName("Brown").size() == 2);
  RequireVerified(*store);
}

TEST_CASE("name prefix search is case-insensitive and ranked by evidence", "[store][names]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "db");
  REQUIRE(store->WriteExtraction(MakeExtraction("d1", "Germany", "Country", "NATO", "Organization",
                                                "MEMBER_OF")));
  REQUIRE(store->WriteExtraction(MakeExtraction("d2", "Germany", "Country", "EU", "Organization",
                                                "MEMBER_OF")));
  REQUIRE(store->WriteExtraction(MakeExtraction("d3", "Gerhard Schroeder", "Person", "SPD",
                                                "Organization", "MEMBER_OF")));
  auto view = store->NewReadView();
  auto matches = view->SearchNames("GER", 10);
  REQUIRE(matches.size() == 2);
  CHECK(view->GetNode(matches[0].node)->name() == "Germany");
  CHECK(view->GetNode(matches[1].node)->name() == "Gerhard Schroeder");
  CHECK(matches[0].score > matches[1].score);
  CHECK(view->SearchNames("ger", 1).size() == 1);
  CHECK(view->SearchNames("zzz", 10).empty());
}

TEST_CASE("reopening a store keeps everything", "[store][open]") {
  TempDir dir;
  uint64_t node_count = 0;
  {
    auto store = OpenStore(dir.path() / "db");
    REQUIRE(store->WriteExtraction(MakeExtraction("d1", "A", "Person", "B", "Country", "VISITS")));
    auto batch = store->NewBatch();
    auto n = batch->CreateNode({"Thing"}, {{"name", "Widget"}, {"size", 3}});
    REQUIRE(batch->CreateEdge(n, "OWNS", n, {{"since", 2020}}));
    REQUIRE(store->Commit(*batch).ok());
    node_count = store->NewReadView()->Stats().nodes;
  }
  auto store = OpenStore(dir.path() / "db");
  auto view = store->NewReadView();
  CHECK(view->Stats().nodes == node_count);
  CHECK(view->Stats().types.at("OWNS") == 1);
  auto widget = view->FindByName("widget");
  REQUIRE(widget.size() == 1);
  CHECK(view->GetNode(widget[0])->properties.at("size") == 3);
  CHECK(view->Edges(widget[0], Direction::kOut, "OWNS").at(0).properties.at("since") == 2020);
  // New ids continue after the old ones.
  auto batch = store->NewBatch();
  auto fresh = batch->CreateNode({"Thing"}, kg::EmptyProperties());
  CHECK(fresh > widget[0]);
  REQUIRE(store->Commit(*batch).ok());
  RequireVerified(*store);
}

TEST_CASE("a failure before the write leaves nothing of the document", "[store][atomic]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "db");
  REQUIRE(store->WriteExtraction(MakeExtraction("d1", "A", "Person", "B", "Person", "MEETS")));
  auto before = store->NewReadView()->Stats();
  store->TEST_FailNextCommit();
  auto failed = store->WriteExtraction(
      MakeExtraction("d2", "A", "Person", "C", "Organization", "MEMBER_OF"));
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().code() == kg::Status::Code::kIOError);
  auto view = store->NewReadView();
  auto after = view->Stats();
  CHECK(after.nodes == before.nodes);
  CHECK(after.edges == before.edges);
  CHECK(after.evidence == before.evidence);
  CHECK(after.documents == before.documents);
  CHECK(after.types.count("MEMBER_OF") == 0);
  CHECK(view->FindByName("C").empty());
  CHECK_FALSE(store->HasDocument("hash-d2").value());
  RequireVerified(*store);
  // The type allocated by the failed batch must still be usable afterwards.
  REQUIRE(store->WriteExtraction(
      MakeExtraction("d2", "A", "Person", "C", "Organization", "MEMBER_OF")));
  CHECK(store->NewReadView()->Stats().types.at("MEMBER_OF") == 1);
  RequireVerified(*store);
}

TEST_CASE("a view opened before a write does not see it", "[store][snapshot]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "db");
  REQUIRE(store->WriteExtraction(MakeExtraction("d1", "A", "Person", "B", "Person", "MEETS")));
  auto old_view = store->NewReadView();
  auto a = old_view->FindByName("A").at(0);
  REQUIRE(store->WriteExtraction(MakeExtraction("d2", "A", "Person", "C", "Person", "MEETS")));
  CHECK(old_view->Stats().documents == 1);
  CHECK(old_view->FindByName("C").empty());
  CHECK(old_view->EdgeRefs(a, Direction::kOut).size() == 1);
  CHECK(old_view->Degree(a, Direction::kOut) == 1);
  auto new_view = store->NewReadView();
  CHECK(new_view->Stats().documents == 2);
  CHECK(new_view->EdgeRefs(a, Direction::kOut).size() == 2);
  CHECK(new_view->Degree(a, Direction::kOut) == 2);
}

TEST_CASE("CREATE makes a new relationship every time", "[store][batch]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "db");
  auto batch = store->NewBatch();
  auto a = batch->CreateNode({"Person"}, {{"name", "Ann"}});
  auto b = batch->CreateNode({"Person"}, {{"name", "Bob"}});
  auto e1 = batch->CreateEdge(a, "KNOWS", b, kg::EmptyProperties());
  auto e2 = batch->CreateEdge(a, "KNOWS", b, kg::EmptyProperties());
  REQUIRE(e1.has_value());
  REQUIRE(e2.has_value());
  CHECK(*e1 != *e2);
  auto merged = batch->MergeEdge(a, "KNOWS", b, {{"w", 1}});
  REQUIRE(merged.has_value());
  CHECK(*merged == *e1);  // MergeEdge picks the lowest id
  CHECK_FALSE(batch->CreateEdge(a, "KNOWS", 9999, kg::EmptyProperties()).has_value());
  CHECK_FALSE(batch->CreateEdge(a, "", b, kg::EmptyProperties()).has_value());
  kg::store::Evidence ev;
  ev.edge_or_node = *e1;
  ev.rule = "manual";
  REQUIRE(batch->AddEvidence(ev).ok());
  REQUIRE(store->Commit(*batch).ok());
  auto view = store->NewReadView();
  CHECK(view->EdgesBetween(a, b, "KNOWS").size() == 2);
  CHECK(view->EdgesBetween(a, b).size() == 2);
  CHECK(view->EdgesBetween(b, a).empty());
  CHECK(view->GetEdge(*e1)->properties.at("w") == 1);
  CHECK(view->GetEdge(*e1)->evidence_count == 1);
  CHECK(view->Degree(b, Direction::kIn, "KNOWS") == 2);
  RequireVerified(*store);
}

TEST_CASE("deleting edges and nodes keeps indexes and counters right", "[store][batch]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "db");
  REQUIRE(store->WriteExtraction(MakeExtraction("d1", "A", "Person", "B", "Person", "MEETS")));
  REQUIRE(store->WriteExtraction(MakeExtraction("d2", "A", "Person", "C", "Person", "MEETS")));
  auto view = store->NewReadView();
  auto a = view->FindByName("A").at(0);
  auto b = view->FindByName("B").at(0);
  view.reset();
  {
    auto batch = store->NewBatch();
    auto s = batch->DeleteNode(a, /*detach=*/false);
    CHECK(s.code() == kg::Status::Code::kInvalidArgument);
  }
  {
    auto batch = store->NewBatch();
    REQUIRE(batch->DeleteNode(a, /*detach=*/true).ok());
    REQUIRE(batch->SetNodeProperties(b, {{"name", "Bee"}}).ok());
    REQUIRE(batch->SetNodeLabels(b, {"Insect", "Animal"}).ok());
    REQUIRE(store->Commit(*batch).ok());
  }
  view = store->NewReadView();
  CHECK(view->FindByName("A").empty());
  CHECK(view->FindByName("B").empty());
  CHECK(view->FindByName("Bee") == std::vector<kg::store::NodeId>{b});
  CHECK(view->Stats().edges == 0);
  CHECK(view->Stats().nodes == 2);
  CHECK(view->Stats().labels.at("Insect") == 1);
  CHECK(view->Degree(b, Direction::kIn) == 0);
  RequireVerified(*store);
}

TEST_CASE("bad store paths give the promised messages", "[store][open]") {
  TempDir dir;
  SECTION("a file") {
    kg::testing::WriteFile(dir.path() / "file", "x");
    auto r = GraphStore::Open((dir.path() / "file").string());
    REQUIRE_FALSE(r.has_value());
    CHECK_THAT(r.error().message(), Catch::Contains("is not a kg store"));
  }
  SECTION("a non-empty directory that is not a store") {
    kg::testing::WriteFile(dir.path() / "notes" / "a.txt", "x");
    auto r = GraphStore::Open((dir.path() / "notes").string());
    REQUIRE_FALSE(r.has_value());
    CHECK_THAT(r.error().message(), Catch::Contains("is not a kg store"));
    CHECK(std::filesystem::exists(dir.path() / "notes" / "a.txt"));
  }
  SECTION("a missing parent directory") {
    auto r = GraphStore::Open((dir.path() / "no" / "such" / "db").string());
    REQUIRE_FALSE(r.has_value());
    CHECK_THAT(r.error().message(), Catch::Contains("parent directory"));
  }
  SECTION("read-only open of a missing store") {
    OpenOptions options;
    options.mode = OpenMode::kReadOnly;
    auto r = GraphStore::Open((dir.path() / "missing").string(), options);
    REQUIRE_FALSE(r.has_value());
    CHECK_THAT(r.error().message(), Catch::Contains("does not exist"));
  }
}

TEST_CASE("a second writer is refused while the first holds the lock", "[store][open]") {
  TempDir dir;
  auto first = OpenStore(dir.path() / "db");
  auto second = GraphStore::Open((dir.path() / "db").string());
  REQUIRE_FALSE(second.has_value());
  CHECK(second.error().code() == kg::Status::Code::kBusy);
  CHECK_THAT(second.error().message(), Catch::Contains("is in use by another kg process"));
}

TEST_CASE("a read-only store sees the writer's commits after CatchUp", "[store][open]") {
  TempDir dir;
  auto writer = OpenStore(dir.path() / "db");
  REQUIRE(writer->WriteExtraction(MakeExtraction("d1", "A", "Person", "B", "Person", "MEETS")));
  auto reader = OpenStore(dir.path() / "db", OpenMode::kReadOnly);
  CHECK(reader->read_only());
  CHECK(reader->NewReadView()->Stats().documents == 1);
  REQUIRE(writer->WriteExtraction(MakeExtraction("d2", "A", "Person", "C", "Person", "LIKES")));
  REQUIRE(reader->CatchUp().ok());
  auto view = reader->NewReadView();
  CHECK(view->Stats().documents == 2);
  auto a = view->FindByName("A").at(0);
  CHECK(view->EdgeRefs(a, Direction::kOut, "LIKES").size() == 1);
  auto batch = reader->NewBatch();
  batch->CreateNode({"X"}, kg::EmptyProperties());
  CHECK_FALSE(reader->Commit(*batch).ok());
}

TEST_CASE("a newer schema version is refused", "[store][open]") {
  TempDir dir;
  auto path = (dir.path() / "db").string();
  { auto store = OpenStore(dir.path() / "db"); }
  {
    // Rewrite the version behind kg's back, as a future kg would have written it.
    std::vector<std::string> names;
    REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (const auto& n : names) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    REQUIRE(rocksdb::DB::Open(rocksdb::DBOptions(), path, cfs, &handles, &db).ok());
    size_t meta = std::find(names.begin(), names.end(), "meta") - names.begin();
    REQUIRE(meta < names.size());
    REQUIRE(db->Put(rocksdb::WriteOptions(), handles[meta], "schema_version",
                    std::string("\0\0\x03\xe7", 4)).ok());
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    delete db;
  }
  auto again = GraphStore::Open(path);
  REQUIRE_FALSE(again.has_value());
  CHECK_THAT(again.error().message(), Catch::Contains("was written by a newer kg (schema 999"));
}

TEST_CASE("top nodes by degree come highest first", "[store][degree]") {
  TempDir dir;
  auto store = OpenStore(dir.path() / "db");
  REQUIRE(store->WriteExtraction(MakeExtraction("d1", "Hub", "Country", "A", "Person", "X")));
  REQUIRE(store->WriteExtraction(MakeExtraction("d2", "Hub", "Country", "B", "Person", "Y")));
  REQUIRE(store->WriteExtraction(MakeExtraction("d3", "B", "Person", "Hub", "Country", "Z")));
  auto view = store->NewReadView();
  auto top = view->TopByDegree(2, Direction::kBoth);
  REQUIRE(top.size() == 2);
  CHECK(view->GetNode(top[0].node)->name() == "Hub");
  CHECK(top[0].degree == 3);
  CHECK(view->GetNode(top[1].node)->name() == "B");
  CHECK(top[1].degree == 2);
  CHECK(view->TopByDegree(1, Direction::kOut).at(0).degree == 2);
}
