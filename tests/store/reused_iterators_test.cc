// A read-only store's views take their iterators from the RocksDB instance they read and give
// them back (store/src/iterator_pool.h): what one view reads must never depend on what an
// earlier view left there.

#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include "kg/store/graph_store.h"
#include "store_test_util.h"
#include "test_support.h"

using kg::store::Direction;
using kg::store::OpenMode;
using kg::testing::MakeExtraction;
using kg::testing::OpenStore;
using kg::testing::TempDir;

TEST_CASE("a caught-up instance does not read through iterators kept from before", "[store][open]") {
  TempDir dir;
  auto writer = OpenStore(dir.path() / "db");
  REQUIRE(writer->WriteExtraction(MakeExtraction("d1", "A", "Person", "B", "Person", "MEETS")));
  auto reader = OpenStore(dir.path() / "db", OpenMode::kReadOnly);
  // The first instance: its views leave a name iterator and an adjacency iterator behind.
  {
    auto view = reader->NewReadView();
    CHECK(view->FindByName("Alpha").empty());
    CHECK(view->FindByName("Beta").empty());
    CHECK(view->EdgeRefs(view->FindByName("A").at(0), Direction::kOut, "LIKES").empty());
  }
  // The first catch-up opens a second instance and keeps the first as the spare...
  REQUIRE(writer->WriteExtraction(MakeExtraction("d2", "A", "Person", "Alpha", "Person", "LIKES")));
  REQUIRE(reader->CatchUp().ok());
  CHECK(reader->NewReadView()->FindByName("Alpha").size() == 1);
  // ...which the next one catches up in place: the iterators it kept read the old state.
  REQUIRE(writer->WriteExtraction(MakeExtraction("d3", "A", "Person", "Beta", "Person", "LIKES")));
  REQUIRE(reader->CatchUp().ok());
  auto view = reader->NewReadView();
  CHECK(view->FindByName("Alpha").size() == 1);
  CHECK(view->FindByName("Beta").size() == 1);
  CHECK(view->EdgeRefs(view->FindByName("A").at(0), Direction::kOut, "LIKES").size() == 2);
  CHECK(view->Stats().documents == 3);
}

TEST_CASE("views read the same through kept iterators, one after another and side by side",
          "[store][open]") {
  TempDir dir;
  {
    auto writer = OpenStore(dir.path() / "db");
    for (int i = 0; i < 20; ++i) {
      auto name = "Member " + std::to_string(i);
      REQUIRE(writer->WriteExtraction(
          MakeExtraction("d" + std::to_string(i), name, "Country", "G-7", "Group", "MEMBER_OF")));
    }
  }
  auto reader = OpenStore(dir.path() / "db", OpenMode::kReadOnly);
  auto read_all = [&]() {
    auto view = reader->NewReadView();
    size_t found = 0;
    for (int i = 0; i < 20; ++i) {
      auto ids = view->FindByName("Member " + std::to_string(i));
      if (ids.size() != 1) return found;
      if (view->EdgeRefs(ids[0], Direction::kOut, "MEMBER_OF").size() == 1) ++found;
    }
    auto group = view->FindByName("G-7");
    if (group.size() == 1 && view->EdgeRefs(group[0], Direction::kIn, "MEMBER_OF").size() == 20) {
      ++found;
    }
    return found;
  };
  for (int round = 0; round < 5; ++round) CHECK(read_all() == 21);
  // Two views open at once: the second cannot have the first's iterators.
  {
    auto outer = reader->NewReadView();
    CHECK(outer->FindByName("Member 3").size() == 1);
    CHECK(read_all() == 21);
    CHECK(outer->FindByName("Member 4").size() == 1);
  }
  std::vector<size_t> results(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t]() {
      size_t all = 0;
      for (int round = 0; round < 25; ++round) all += read_all() == 21 ? 1 : 0;
      results[t] = all;
    });
  }
  for (auto& th : threads) th.join();
  for (size_t all : results) CHECK(all == 25);
}
