// The bulk import keeps its rows in 1 MB chunks and its CSV ids in a flat table (import_tables.h):
// rows that span several chunks, long texts, and ids that are neither dense nor positive must
// come out as the batch import writes them.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "kg/store/csv_import.h"
#include "kg/store/graph_store.h"
#include "kg/store/verify.h"
#include "store_test_util.h"
#include "test_support.h"

namespace {

// Nodes, edges and evidence as text, ids included (both paths must allocate the same ones).
std::string ChunkedImportContents(kg::store::GraphStore& store) {
  auto view = store.NewReadView();
  std::ostringstream out;
  view->ForEachNode([&](const kg::store::Node& n) {
    out << "node " << n.id << " " << n.labels[0] << " " << n.properties.dump() << " deg "
        << view->Degree(n.id, kg::store::Direction::kOut) << "/"
        << view->Degree(n.id, kg::store::Direction::kIn) << " names";
    for (auto id : view->FindByName(n.name())) out << " " << id;
    out << "\n";
    return true;
  });
  view->ForEachEdge([&](const kg::store::Edge& e) {
    out << "edge " << e.id << " " << e.source << " -" << e.type << "-> " << e.target << " ev "
        << e.evidence_count << "\n";
    return true;
  });
  view->ForEachEvidence([&](const kg::store::Evidence& ev) {
    out << "evidence " << ev.id << " of " << ev.edge_or_node << " " << ev.confidence << " "
        << ev.properties.dump() << "\n";
    return true;
  });
  for (const auto& label : view->Labels()) {
    out << "label " << label << ":";
    for (auto id : view->NodesWithLabel(label)) out << " " << id;
    out << "\n";
  }
  return out.str();
}

}  // namespace

TEST_CASE("a bulk import whose rows fill several chunks writes what the batch import writes",
          "[store][import]") {
  kg::testing::TempDir dir;
  std::ostringstream nodes_csv, edges_csv;
  // 3,000 nodes with names of up to ~900 bytes (~1.4 MB of names and normalised names), ids
  // far apart and negative (not the dense-vector path), labels many and some empty.
  nodes_csv << "id,name,type\n";
  auto node_id = [](int i) { return static_cast<int64_t>(i) * 1'000'003 - 1'500'000'000; };
  for (int i = 0; i < 3000; ++i) {
    std::string name = "Ent\xC3\xA9t\xC3\xA9 " + std::to_string(i) + " ";
    name += std::string(static_cast<size_t>(i % 5 == 0 ? 900 : i % 40), 'x');
    nodes_csv << node_id(i) << ",\"" << name << ", \"\"q\"\"\"," << (i % 9 ? "L" : "")
              << (i % 9 ? std::to_string(i % 13) : "") << "\n";
  }
  // 9,000 rows with doc ids of up to 1,500 bytes (~4 MB of evidence rows), repeated edges,
  // polarities far from zero both ways.
  edges_csv << "src,dst,type,polarity,weight,doc_id\n";
  uint64_t x = 7;
  for (int i = 0; i < 9000; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    int src = static_cast<int>((x >> 33) % 50), dst = static_cast<int>((x >> 13) % 60) * 50;
    int64_t polarity = (i % 3 == 0) ? -(int64_t{1} << (i % 63)) : (int64_t{1} << (i % 62));
    edges_csv << node_id(src) << "," << node_id(dst) << ",T" << (x >> 61) << "," << polarity
              << "," << (i % 7) * 0.125 << ",d" << i % 1000 << "-"
              << std::string(static_cast<size_t>((i * 37) % 1500), 'y') << "\n";
  }
  kg::testing::WriteFile(dir.path() / "nodes.csv", nodes_csv.str());
  kg::testing::WriteFile(dir.path() / "edges.csv", edges_csv.str());
  std::string nodes = (dir.path() / "nodes.csv").string();
  std::string edges = (dir.path() / "edges.csv").string();

  auto bulk_store = kg::testing::OpenStore(dir.path() / "bulk.db");
  auto bulk = kg::store::ImportCsv(*bulk_store, nodes, edges);
  REQUIRE(bulk.has_value());
  CHECK(bulk->bulk);
  kg::store::CsvImportOptions options;
  options.bulk = false;
  auto batch_store = kg::testing::OpenStore(dir.path() / "batch.db");
  auto batch = kg::store::ImportCsv(*batch_store, nodes, edges, options);
  REQUIRE(batch.has_value());
  CHECK(bulk->evidence == 9000);
  CHECK(bulk->edges_merged > 0);
  CHECK(batch->edges_created == bulk->edges_created);
  CHECK(ChunkedImportContents(*bulk_store) == ChunkedImportContents(*batch_store));
  auto report = kg::store::VerifyStore(*bulk_store);
  REQUIRE(report.has_value());
  for (const auto& p : report->problems) UNSCOPED_INFO(p);
  CHECK(report->ok());
}

TEST_CASE("a bulk import names the line of a duplicate or unknown sparse id",
          "[store][import]") {
  kg::testing::TempDir dir;
  kg::testing::WriteFile(dir.path() / "nodes.csv",
                         "id,name,type\n-9000000000,A,X\n77777777777,B,X\n-9000000000,C,X\n");
  kg::testing::WriteFile(dir.path() / "edges.csv", "src,dst,type,polarity,weight,doc_id\n");
  auto store = kg::testing::OpenStore(dir.path() / "dup.db");
  auto dup = kg::store::ImportCsv(*store, (dir.path() / "nodes.csv").string(),
                                  (dir.path() / "edges.csv").string());
  REQUIRE_FALSE(dup.has_value());
  CHECK_THAT(dup.error().message(), Catch::Contains("nodes.csv:4: duplicate id -9000000000"));

  kg::testing::WriteFile(dir.path() / "nodes2.csv",
                         "id,name,type\n-9000000000,A,X\n77777777777,B,X\n");
  kg::testing::WriteFile(dir.path() / "edges2.csv",
                         "src,dst,type,polarity,weight,doc_id\n"
                         "-9000000000,77777777777,R,0,1,d\n77777777777,5,R,0,1,d\n");
  auto store2 = kg::testing::OpenStore(dir.path() / "unknown.db");
  auto unknown = kg::store::ImportCsv(*store2, (dir.path() / "nodes2.csv").string(),
                                      (dir.path() / "edges2.csv").string());
  REQUIRE_FALSE(unknown.has_value());
  CHECK_THAT(unknown.error().message(), Catch::Contains("edges2.csv:3: unknown node id 5"));
}
