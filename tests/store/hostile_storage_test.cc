// A read-only store (RocksDB secondary, what `kg serve` opens) beside a writer that flushes and
// restarts, and beside damaged table files. Found by scripts/crash-test.sh and
// tests/e2e/hostile_storage_test.sh: the secondary double-counted merged counters once the writer
// flushed what it had replayed from the WAL, and it silently read an older state when an SST
// file was truncated or gone.

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "kg/store/graph_store.h"
#include "kg/store/verify.h"
#include "store_test_util.h"
#include "test_support.h"

namespace {

using kg::store::GraphStore;
using kg::store::OpenMode;
using kg::store::OpenOptions;
using kg::testing::MakeExtraction;
using kg::testing::OpenStore;
using kg::testing::TempDir;
namespace fs = std::filesystem;

void Write(GraphStore& store, int from, int to) {
  for (int i = from; i < to; ++i) {
    auto id = std::to_string(i);
    REQUIRE(store.WriteExtraction(
        MakeExtraction("doc-" + id, "Person " + id, "Person", "Country " + std::to_string(i % 7),
                       "Country", "LIVES_IN")));
  }
}

TEST_CASE("a read-only store counts right after the writer flushes and restarts",
          "[store][hostile]") {
  TempDir dir;
  auto path = dir.path() / "db";
  auto writer = OpenStore(path);
  Write(*writer, 0, 10);
  // The reader replays the writer's WAL, which the writer then flushes into an SST (with
  // RocksDB's plain catch-up the reader counted those 10 documents twice: 30).
  auto reader = OpenStore(path, OpenMode::kReadOnly);
  REQUIRE(writer->Flush().ok());
  Write(*writer, 10, 20);
  REQUIRE(writer->Flush().ok());
  REQUIRE(reader->CatchUp().ok());
  CHECK(reader->NewReadView()->Stats().documents == 20);
  // A second writer (its recovery flushes nothing new) adds more.
  writer.reset();
  writer = OpenStore(path);
  Write(*writer, 20, 25);
  REQUIRE(writer->Flush().ok());
  Write(*writer, 25, 30);
  REQUIRE(reader->CatchUp().ok());
  auto view = reader->NewReadView();
  auto stats = view->Stats();
  CHECK(stats.documents == 30);
  CHECK(stats.nodes == 37);  // 30 persons, 7 countries
  CHECK(stats.edges == 30);
  auto fresh = OpenStore(path, OpenMode::kReadOnly);
  CHECK(fresh->NewReadView()->Stats().documents == 30);
}

TEST_CASE("a view keeps reading while a read-only store replaces its instance",
          "[store][hostile]") {
  TempDir dir;
  auto path = dir.path() / "db";
  auto writer = OpenStore(path);
  Write(*writer, 0, 10);
  auto reader = OpenStore(path, OpenMode::kReadOnly);
  auto old_view = reader->NewReadView();
  REQUIRE(writer->Flush().ok());
  Write(*writer, 10, 20);
  REQUIRE(writer->Flush().ok());
  REQUIRE(reader->CatchUp().ok());
  // The view made before still reads (its instance lives on) and sees its own state.
  CHECK(old_view->Stats().documents == 10);
  CHECK(old_view->GetDocumentByExternalId("doc-3").has_value());
  CHECK(reader->NewReadView()->Stats().documents == 20);
}

TEST_CASE("a view's state does not move when the read-only store catches up", "[store][hostile]") {
  TempDir dir;
  auto path = dir.path() / "db";
  auto writer = OpenStore(path);
  Write(*writer, 0, 10);
  auto reader = OpenStore(path, OpenMode::kReadOnly);
  auto first = reader->NewReadView();
  // No flush: the writer's new documents only reach the reader through its WAL. Caught up in
  // place, the instance `first` reads would show them mid-query (a secondary has no snapshots).
  for (int round = 1; round <= 4; ++round) {
    Write(*writer, round * 10, round * 10 + 10);
    REQUIRE(reader->CatchUp().ok());
    CHECK(first->Stats().documents == 10);
    CHECK_FALSE(first->GetDocumentByExternalId("doc-" + std::to_string(round * 10)));
    CHECK(reader->NewReadView()->Stats().documents == static_cast<uint64_t>(round * 10 + 10));
  }
  // A flush between catch-ups, with views held across them, counts nothing twice.
  auto held = reader->NewReadView();
  REQUIRE(writer->Flush().ok());
  Write(*writer, 50, 55);
  REQUIRE(reader->CatchUp().ok());
  REQUIRE(reader->CatchUp().ok());
  CHECK(held->Stats().documents == 50);
  CHECK(reader->NewReadView()->Stats().documents == 55);
  CHECK(first->Stats().documents == 10);
}

TEST_CASE("a truncated or missing table file fails a read-only open, naming it",
          "[store][hostile]") {
  TempDir dir;
  auto path = dir.path() / "db";
  {
    auto writer = OpenStore(path);
    Write(*writer, 0, 50);
    REQUIRE(writer->Flush().ok());
  }
  fs::path largest;
  for (const auto& entry : fs::directory_iterator(path)) {
    if (entry.path().extension() != ".sst") continue;
    if (largest.empty() || fs::file_size(entry.path()) > fs::file_size(largest)) {
      largest = entry.path();
    }
  }
  REQUIRE(!largest.empty());
  auto size = fs::file_size(largest);
  fs::copy(path, dir.path() / "gone");
  fs::remove(dir.path() / "gone" / largest.filename());
  fs::resize_file(largest, size / 2);

  OpenOptions read_only;
  read_only.mode = OpenMode::kReadOnly;
  auto truncated = GraphStore::Open(path.string(), read_only);
  REQUIRE_FALSE(truncated.has_value());
  CHECK(truncated.error().code() == kg::Status::Code::kCorruption);
  CHECK_THAT(truncated.error().message(),
             Catch::Contains("file is too short (" + std::to_string(size) +
                             " bytes) to be an sstable") &&
                 Catch::Contains(largest.filename().string()));
  auto gone = GraphStore::Open((dir.path() / "gone").string(), read_only);
  REQUIRE_FALSE(gone.has_value());
  CHECK(gone.error().code() == kg::Status::Code::kCorruption);
  CHECK_THAT(gone.error().message(), Catch::Contains("No such file or directory"));
}

}  // namespace
