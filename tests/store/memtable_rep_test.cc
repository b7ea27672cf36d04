// The writer's memtable (store/src/memtable_rep.h) against RocksDB's own skip list: the same
// writes into two databases, one with each, must read back the same through every way RocksDB
// reads a memtable (Get, iterators forward and backward, Seek, SeekForPrev, snapshots), and a
// reader beside the writer must only ever see whole, ordered entries.
#include "../../store/src/memtable_rep.h"

#include <catch2/catch.hpp>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "test_support.h"

namespace {

using kg::testing::TempDir;

struct MemtableDb {
  std::unique_ptr<rocksdb::DB> db;
  static MemtableDb Open(const std::filesystem::path& dir, bool writer_memtable) {
    rocksdb::Options options;
    options.create_if_missing = true;
    options.write_buffer_size = 64u << 20;  // everything stays in the memtable
    if (writer_memtable) {
      options.memtable_factory = kg::store::internal::NewWriterMemTableFactory();
      options.allow_concurrent_memtable_write = false;
    }
    rocksdb::DB* raw = nullptr;
    auto s = rocksdb::DB::Open(options, dir.string(), &raw);
    REQUIRE(s.ok());
    return MemtableDb{std::unique_ptr<rocksdb::DB>(raw)};
  }
};

std::string KeyOf(uint32_t n) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "k%06u", n);
  // Keys of several lengths, some the prefix of others.
  return std::string(buf, 1 + n % 7);
}

std::vector<std::pair<std::string, std::string>> Scan(rocksdb::DB& db, const rocksdb::Snapshot* at,
                                                      bool backward) {
  rocksdb::ReadOptions ro;
  ro.snapshot = at;
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(ro));
  std::vector<std::pair<std::string, std::string>> out;
  if (backward) {
    for (it->SeekToLast(); it->Valid(); it->Prev()) {
      out.emplace_back(it->key().ToString(), it->value().ToString());
    }
  } else {
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      out.emplace_back(it->key().ToString(), it->value().ToString());
    }
  }
  REQUIRE(it->status().ok());
  return out;
}

std::string SeekResult(rocksdb::DB& db, const std::string& target, bool for_prev) {
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions()));
  if (for_prev) {
    it->SeekForPrev(target);
  } else {
    it->Seek(target);
  }
  if (!it->Valid()) return "<end>";
  std::string at = it->key().ToString() + "=" + it->value().ToString();
  if (for_prev) {
    it->Prev();
  } else {
    it->Next();
  }
  return at + " then " + (it->Valid() ? it->key().ToString() : "<end>");
}

TEST_CASE("The writer's memtable reads back what RocksDB's skip list does",
          "[store][memtable]") {
  TempDir dir;
  auto ours = MemtableDb::Open(dir.path() / "ours", true);
  auto theirs = MemtableDb::Open(dir.path() / "theirs", false);
  std::mt19937 rng(7);
  std::vector<const rocksdb::Snapshot*> snapshots[2];
  for (int round = 0; round < 60; ++round) {
    // Batches of sorted keys (as the store writes them) and of keys in any order, with the
    // same key more than once (several sequence numbers of one user key).
    rocksdb::WriteBatch batch;
    int n = 1 + static_cast<int>(rng() % 200);
    std::vector<uint32_t> keys;
    for (int i = 0; i < n; ++i) keys.push_back(rng() % 3000);
    if (round % 2 == 0) std::sort(keys.begin(), keys.end());
    for (uint32_t k : keys) {
      if (rng() % 5 == 0) {
        batch.Delete(KeyOf(k));
      } else {
        batch.Put(KeyOf(k), "v" + std::to_string(round) + "." + std::to_string(rng() % 100));
      }
    }
    REQUIRE(ours.db->Write(rocksdb::WriteOptions(), &batch).ok());
    REQUIRE(theirs.db->Write(rocksdb::WriteOptions(), &batch).ok());
    if (round % 20 == 10) {
      snapshots[0].push_back(ours.db->GetSnapshot());
      snapshots[1].push_back(theirs.db->GetSnapshot());
    }
  }
  auto forward = Scan(*theirs.db, nullptr, false);
  REQUIRE(forward.size() > 300);
  CHECK(Scan(*ours.db, nullptr, false) == forward);
  CHECK(Scan(*ours.db, nullptr, true) == Scan(*theirs.db, nullptr, true));
  for (size_t i = 0; i < snapshots[0].size(); ++i) {
    auto at = Scan(*theirs.db, snapshots[1][i], false);
    CHECK(Scan(*ours.db, snapshots[0][i], false) == at);
    CHECK(at != forward);
  }
  for (uint32_t k = 0; k < 3100; k += 7) {
    std::string a, b;
    auto sa = ours.db->Get(rocksdb::ReadOptions(), KeyOf(k), &a);
    auto sb = theirs.db->Get(rocksdb::ReadOptions(), KeyOf(k), &b);
    CHECK(sa.code() == sb.code());
    CHECK(a == b);
    for (bool for_prev : {false, true}) {
      for (const auto& target : {KeyOf(k), KeyOf(k) + "x", KeyOf(k).substr(0, 2)}) {
        CHECK(SeekResult(*ours.db, target, for_prev) == SeekResult(*theirs.db, target, for_prev));
      }
    }
  }
  for (int i = 0; i < 2; ++i) {
    auto& db = i == 0 ? ours.db : theirs.db;
    for (const auto* s : snapshots[i]) db->ReleaseSnapshot(s);
  }
}

TEST_CASE("A reader beside the writer's memtable sees whole entries in order",
          "[store][memtable]") {
  TempDir dir;
  auto ours = MemtableDb::Open(dir.path() / "db", true);
  constexpr uint32_t kKeys = 20000;
  std::atomic<uint32_t> written{0};
  std::atomic<bool> writes_ok{true};
  std::thread writer([&] {
    std::mt19937 rng(3);
    for (uint32_t base = 0; base < kKeys; base += 100) {
      rocksdb::WriteBatch batch;
      for (uint32_t k = base; k < base + 100; ++k) {
        // Keys land all over the key space, so inserts go between earlier ones.
        char buf[16];
        std::snprintf(buf, sizeof(buf), "%08u", (k * 7919u) % kKeys);
        batch.Put(buf, std::string(buf) + "-value");
      }
      if (!ours.db->Write(rocksdb::WriteOptions(), &batch).ok()) writes_ok = false;
      written.store(base + 100);
    }
  });
  bool ordered = true;
  bool whole = true;
  size_t last_count = 0;
  bool counts_grow = true;
  while (written.load() < kKeys) {
    uint32_t before = written.load();
    std::unique_ptr<rocksdb::Iterator> it(ours.db->NewIterator(rocksdb::ReadOptions()));
    std::string previous;
    size_t count = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      std::string key = it->key().ToString();
      if (!previous.empty() && key <= previous) ordered = false;
      if (it->value().ToString() != key + "-value") whole = false;
      previous = std::move(key);
      ++count;
    }
    if (count < before || count < last_count) counts_grow = false;
    last_count = count;
  }
  writer.join();
  REQUIRE(writes_ok);
  CHECK(ordered);
  CHECK(whole);
  CHECK(counts_grow);
  std::string value;
  CHECK(ours.db->Get(rocksdb::ReadOptions(), "00012345", &value).ok());
  CHECK(value == "00012345-value");
}

TEST_CASE("A snapshot's Get never sees a write made after the snapshot", "[store][memtable]") {
  // Each Write puts a newer version of one key, which sorts before the older ones: a Get whose
  // seek loaded the successor twice could return the version linked in between, newer than its
  // snapshot (RocksDB's Get trusts the seek and does not check sequence numbers again). The
  // iterator, which does check them, says what the snapshot holds.
  TempDir dir;
  auto ours = MemtableDb::Open(dir.path() / "db", true);
  REQUIRE(ours.db->Put(rocksdb::WriteOptions(), "a", "before").ok());
  REQUIRE(ours.db->Put(rocksdb::WriteOptions(), "key", "0").ok());
  constexpr int kVersions = 20000;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 1; i <= kVersions; ++i) {
      ours.db->Put(rocksdb::WriteOptions(), "key", std::to_string(i));
    }
    done = true;
  });
  size_t reads = 0, mismatches = 0;
  while (!done.load() || reads == 0) {
    const rocksdb::Snapshot* snapshot = ours.db->GetSnapshot();
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot;
    std::string got;
    bool found = ours.db->Get(ro, "key", &got).ok();
    std::unique_ptr<rocksdb::Iterator> it(ours.db->NewIterator(ro));
    it->Seek("key");
    bool held = it->Valid() && it->key() == "key";
    if (!found || !held || it->value().ToString() != got) ++mismatches;
    it.reset();
    ours.db->ReleaseSnapshot(snapshot);
    ++reads;
  }
  writer.join();
  INFO(reads << " reads");
  CHECK(mismatches == 0);
}

}  // namespace
