#include "kg/store/csv_import.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "kg/store/graph_store.h"
#include "kg/store/verify.h"
#include "store_test_util.h"
#include "test_support.h"

namespace {

using kg::store::CsvImportOptions;
using kg::store::Direction;
using kg::store::GraphStore;
using kg::testing::OpenStore;
using kg::testing::TempDir;
using kg::testing::WriteFile;

// A small multigraph: repeated mentions, both directions, a quoted name, three types.
const char* kNodes =
    "id,name,type\n"
    "0,Russia,Country\n"
    "1,G-7,Group\n"
    "2,\"Brandt, Olaf\",Person\n"
    "3,Germany,Country\n"
    "4,Japan,Country\n";
const char* kEdges =
    "src,dst,type,polarity,weight,doc_id\n"
    "3,1,MEMBER_OF,0,1.000,doc-00000001\n"
    "4,1,MEMBER_OF,0,0.900,doc-00000001\n"
    "2,3,LEADER_OF,0,0.750,doc-00000002\n"
    "3,0,CRITICIZES,-1,0.500,doc-00000003\n"
    "3,0,CRITICIZES,-1,0.250,doc-00000004\n"
    "0,3,CRITICIZES,-1,0.125,doc-00000004\n"
    "1,0,CRITICIZES,-1,0.300,doc-00000005\n"
    "3,0,CRITICIZES,-1,0.050,doc-00000006\n";

// Everything a reader can see of a store, as text (ids included: both paths must allocate the
// same ones).
std::string Describe(GraphStore& store) {
  auto view = store.NewReadView();
  std::ostringstream out;
  view->ForEachNode([&](const kg::store::Node& n) {
    out << "node " << n.id << " " << n.labels[0] << " " << n.properties.dump() << " deg "
        << view->Degree(n.id, Direction::kOut) << "/" << view->Degree(n.id, Direction::kIn)
        << " names";
    for (auto id : view->FindByName(n.name())) out << " " << id;
    out << "\n";
    return true;
  });
  view->ForEachEdge([&](const kg::store::Edge& e) {
    out << "edge " << e.id << " " << e.source << " -" << e.type << "-> " << e.target << " "
        << e.properties.dump() << " ev " << e.evidence_count << "\n";
    return true;
  });
  view->ForEachEvidence([&](const kg::store::Evidence& ev) {
    out << "evidence " << ev.id << " of " << ev.edge_or_node << " " << ev.rule << " "
        << ev.confidence << " " << ev.properties.dump() << "\n";
    return true;
  });
  for (const auto& label : view->Labels()) {
    out << "label " << label << ":";
    for (auto id : view->NodesWithLabel(label)) out << " " << id;
    out << "\n";
  }
  auto stats = view->Stats();
  out << "stats " << stats.nodes << " " << stats.edges << " " << stats.evidence << " "
      << stats.documents << "\n";
  for (const auto& [t, n] : stats.types) out << "type " << t << " " << n << "\n";
  for (const auto& d : view->TopByDegree(10, Direction::kBoth)) {
    out << "top " << d.node << " " << d.degree << "\n";
  }
  return out.str();
}

}  // namespace

TEST_CASE("the bulk import into a fresh store writes what the batch import writes",
          "[store][import]") {
  TempDir dir;
  WriteFile(dir.path() / "nodes.csv", kNodes);
  WriteFile(dir.path() / "edges.csv", kEdges);
  std::string nodes = (dir.path() / "nodes.csv").string();
  std::string edges = (dir.path() / "edges.csv").string();

  auto bulk_store = OpenStore(dir.path() / "bulk.db");
  auto bulk = kg::store::ImportCsv(*bulk_store, nodes, edges);
  REQUIRE(bulk.has_value());
  auto batch_store = OpenStore(dir.path() / "batch.db");
  CsvImportOptions options;
  options.bulk = false;
  options.batch_rows = 3;  // several batches
  auto batch = kg::store::ImportCsv(*batch_store, nodes, edges, options);
  REQUIRE(batch.has_value());

  CHECK(bulk->node_rows == 5);
  CHECK(bulk->edge_rows == 8);
  CHECK(bulk->edges_created == 6);
  CHECK(bulk->edges_merged == 2);
  CHECK(bulk->evidence == 8);
  CHECK(batch->edges_created == bulk->edges_created);
  CHECK(batch->evidence == bulk->evidence);

  std::string expected = Describe(*batch_store);
  CHECK(Describe(*bulk_store) == expected);
  CHECK(expected.find("\"doc_id\":\"doc-00000004\",\"polarity\":-1,\"weight\":0.25") !=
        std::string::npos);
  auto report = kg::store::VerifyStore(*bulk_store);
  REQUIRE(report.has_value());
  for (const auto& p : report->problems) UNSCOPED_INFO(p);
  CHECK(report->ok());

  // The store keeps working after a bulk import: ids continue, types are known.
  auto w = bulk_store->NewBatch();
  auto edge = w->MergeEdge(5, "CRITICIZES", 1, kg::EmptyProperties());
  REQUIRE(edge.has_value());
  CHECK(*edge == 7);
  auto again = w->MergeEdge(5, "MEMBER_OF", 2, kg::EmptyProperties());
  REQUIRE(again.has_value());
  CHECK(*again == 2);
  REQUIRE(bulk_store->Commit(*w).ok());

  // Reopened, it still holds everything.
  bulk_store.reset();
  auto reopened = OpenStore(dir.path() / "bulk.db");
  auto view = reopened->NewReadView();
  CHECK(view->Stats().edges == 7);
  CHECK(view->FindByName("brandt, olaf") == std::vector<uint64_t>{3});
}

// Thousands of rows: SST files of many blocks, compressed (ZSTD or LZ4 by family), written on
// several threads, and weights in every notation the parser takes.
TEST_CASE("a bulk import of thousands of rows writes what the batch import writes",
          "[store][import]") {
  TempDir dir;
  std::ostringstream nodes_csv, edges_csv;
  const char* kLabels[] = {"Country", "Person", "Organization", ""};
  nodes_csv << "id,name,type\n";
  for (int i = 0; i < 1500; ++i) {
    nodes_csv << i * 3 << ",\"Entity " << i << ", the " << (i % 7) << "th\"," << kLabels[i % 4]
              << "\n";
  }
  const char* kWeights[] = {"0.5", "1", "+0.25", "1e-3", "-0.0", ".75", "3.4028235e38", "0x1p-2",
                            "nan", "1e999", "0.1", "123456789.123456789"};
  edges_csv << "src,dst,type,polarity,weight,doc_id\n";
  uint64_t x = 42;
  for (int i = 0; i < 12000; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    int src = static_cast<int>((x >> 33) % 400), dst = static_cast<int>((x >> 17) % 1500);
    edges_csv << src * 3 << "," << dst * 3 << ",TYPE_" << (x >> 60) << "," << (i % 5) - 2 << ","
              << kWeights[i % 12] << ",doc-" << (i % 977) << "\n";
  }
  WriteFile(dir.path() / "nodes.csv", nodes_csv.str());
  WriteFile(dir.path() / "edges.csv", edges_csv.str());
  std::string nodes = (dir.path() / "nodes.csv").string();
  std::string edges = (dir.path() / "edges.csv").string();

  auto bulk_store = OpenStore(dir.path() / "bulk.db");
  auto bulk = kg::store::ImportCsv(*bulk_store, nodes, edges);
  REQUIRE(bulk.has_value());
  CHECK(bulk->bulk);
  auto batch_store = OpenStore(dir.path() / "batch.db");
  CsvImportOptions options;
  options.bulk = false;
  options.batch_rows = 5000;
  auto batch = kg::store::ImportCsv(*batch_store, nodes, edges, options);
  REQUIRE(batch.has_value());
  CHECK(bulk->evidence == 12000);
  CHECK(bulk->edges_merged > 0);
  CHECK(batch->edges_created == bulk->edges_created);
  CHECK(Describe(*bulk_store) == Describe(*batch_store));
  auto report = kg::store::VerifyStore(*bulk_store);
  REQUIRE(report.has_value());
  for (const auto& p : report->problems) UNSCOPED_INFO(p);
  CHECK(report->ok());
}

TEST_CASE("an import into a non-empty store merges through batches", "[store][import]") {
  TempDir dir;
  WriteFile(dir.path() / "nodes.csv", kNodes);
  WriteFile(dir.path() / "edges.csv", kEdges);
  auto store = OpenStore(dir.path() / "kg.db");
  std::string nodes = (dir.path() / "nodes.csv").string();
  std::string edges = (dir.path() / "edges.csv").string();
  REQUIRE(kg::store::ImportCsv(*store, nodes, edges).has_value());
  auto second = kg::store::ImportCsv(*store, nodes, edges);
  REQUIRE(second.has_value());
  CHECK(second->nodes_merged == 5);
  CHECK(second->edges_created == 0);
  auto view = store->NewReadView();
  CHECK(view->Stats().nodes == 5);
  CHECK(view->Stats().edges == 6);
  CHECK(view->Stats().evidence == 16);
  auto report = kg::store::VerifyStore(*store);
  REQUIRE(report.has_value());
  CHECK(report->ok());
}

TEST_CASE("names that normalise alike are merged also into a fresh store", "[store][import]") {
  TempDir dir;
  WriteFile(dir.path() / "nodes.csv", "id,name,type\n0,Russia,Country\n1,RUSSIA,Country\n");
  WriteFile(dir.path() / "edges.csv",
            "src,dst,type,polarity,weight,doc_id\n0,1,MEETS,0,0.5,doc-1\n");
  auto store = OpenStore(dir.path() / "kg.db");
  auto summary = kg::store::ImportCsv(*store, (dir.path() / "nodes.csv").string(),
                                      (dir.path() / "edges.csv").string());
  REQUIRE(summary.has_value());
  CHECK(summary->nodes_created == 1);
  CHECK(summary->nodes_merged == 1);
  CHECK(store->NewReadView()->Stats().nodes == 1);
}

TEST_CASE("bulk import errors name the file and line and write nothing", "[store][import]") {
  TempDir dir;
  WriteFile(dir.path() / "nodes.csv", kNodes);
  WriteFile(dir.path() / "edges.csv",
            "src,dst,type,polarity,weight,doc_id\n3,1,MEMBER_OF,0,1.0,d\n3,9,MEETS,0,1.0,d\n");
  auto store = OpenStore(dir.path() / "kg.db");
  auto edges = (dir.path() / "edges.csv").string();
  auto summary = kg::store::ImportCsv(*store, (dir.path() / "nodes.csv").string(), edges);
  REQUIRE(!summary.has_value());
  CHECK(summary.error().message() ==
        edges + ":3: unknown node id 9 (not in " + (dir.path() / "nodes.csv").string() + ")");
  CHECK(store->NewReadView()->Stats().nodes == 0);
}

TEST_CASE("batched node reads, evidence counts and the edge summary scan agree with single reads",
          "[store][read]") {
  TempDir dir;
  WriteFile(dir.path() / "nodes.csv", kNodes);
  WriteFile(dir.path() / "edges.csv", kEdges);
  auto store = OpenStore(dir.path() / "kg.db");
  REQUIRE(kg::store::ImportCsv(*store, (dir.path() / "nodes.csv").string(),
                               (dir.path() / "edges.csv").string())
              .has_value());
  auto view = store->NewReadView();
  CHECK(view->NodeIds() == std::vector<uint64_t>{1, 2, 3, 4, 5});
  auto nodes = view->GetNodes({4, 99, 1, 4});
  REQUIRE(nodes.size() == 4);
  REQUIRE(nodes[0].has_value());
  CHECK(nodes[0]->name() == "Germany");
  CHECK(!nodes[1].has_value());
  REQUIRE(nodes[2].has_value());
  CHECK(nodes[2]->name() == "Russia");
  REQUIRE(nodes[3].has_value());
  CHECK(nodes[3]->id == 4);

  std::vector<std::string> summaries, expected;
  view->ForEachEdgeSummary([&](const kg::store::ReadView::EdgeSummary& e) {
    summaries.push_back(std::to_string(e.id) + " " + std::string(e.type) + " " +
                        std::to_string(e.source) + " " + std::to_string(e.target) + " " +
                        std::to_string(e.evidence_count));
    return true;
  });
  view->ForEachEdge([&](const kg::store::Edge& e) {
    expected.push_back(std::to_string(e.id) + " " + e.type + " " + std::to_string(e.source) +
                       " " + std::to_string(e.target) + " " + std::to_string(e.evidence_count));
    return true;
  });
  CHECK(summaries == expected);
  CHECK(summaries.at(3) == "4 CRITICIZES 4 1 3");

  // Batched evidence counts: in the order asked, duplicates answered twice, 0 for no edge.
  std::vector<uint64_t> ids = {4, 999, 1, 4};
  std::vector<uint64_t> single;
  for (uint64_t id : ids) {
    auto edge = view->GetEdge(id);
    single.push_back(edge ? edge->evidence_count : 0);
  }
  CHECK(view->EdgeEvidenceCounts(ids) == single);
  CHECK(single.at(0) == 3);
  CHECK(view->EdgeEvidenceCounts({}).empty());
}
