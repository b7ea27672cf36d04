// One writer thread and several reader threads on one GraphStore: readers must always see whole
// documents (each document adds exactly one MEETS edge with two evidence records, and the
// counters of a view agree with what the view can scan).

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "kg/store/graph_store.h"
#include "kg/store/verify.h"
#include "store_test_util.h"
#include "test_support.h"

TEST_CASE("readers see whole documents while one writer writes", "[store][threads]") {
  kg::testing::TempDir dir;
  auto opened = kg::store::GraphStore::Open((dir.path() / "db").string());
  REQUIRE(opened.has_value());
  auto& store = **opened;
  constexpr int kDocs = 300;
  std::atomic<bool> done{false};
  std::atomic<int> torn{0};

  std::thread writer([&] {
    for (int i = 0; i < kDocs; ++i) {
      auto x = kg::testing::MakeExtraction("d" + std::to_string(i), "Hub", "Person",
                                           "P" + std::to_string(i), "Person", "MEETS");
      x.relations[0].evidence.push_back(x.relations[0].evidence[0]);
      if (!store.WriteExtraction(x)) torn++;
    }
    done = true;
  });
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    // Each reader makes at least one view: on a loaded machine the writer may be done before
    // a reader thread first runs (the check then reads a finished store, which must be whole
    // too).
    readers.emplace_back([&] {
      do {
        auto view = store.NewReadView();
        auto stats = view->Stats();
        uint64_t edges = 0, evidence = 0;
        view->ForEachEdge([&](const kg::store::Edge& e) {
          ++edges;
          evidence += e.evidence_count;
          return true;
        });
        // Each document: one edge, two edge evidence + two mention evidence records.
        if (edges != stats.documents || evidence != 2 * stats.documents ||
            stats.evidence != 4 * stats.documents || stats.nodes != stats.documents + 1 * (stats.documents > 0)) {
          torn++;
        }
        auto hub = view->FindByName("Hub");
        if (!hub.empty() && view->Degree(hub[0], kg::store::Direction::kOut) != stats.documents) {
          torn++;
        }
      } while (!done);
    });
  }
  writer.join();
  for (auto& t : readers) t.join();
  CHECK(torn == 0);
  CHECK(store.NewReadView()->Stats().documents == kDocs);
  auto report = kg::store::VerifyStore(store);
  REQUIRE(report.has_value());
  CHECK(report->ok());
}
